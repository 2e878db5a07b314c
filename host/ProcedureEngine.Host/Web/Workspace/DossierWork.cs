using System.Text.Json.Nodes;
using ProcedureEngine.Host.Views;
using ProcedureEngine.Letters.Composition;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>
/// What the dossier page needs beyond the dossier itself: the actions the signed-in officer may take now, each tried
/// on the real decider against the dossier's current state (a trial decision, nothing written: what the page offers
/// is exactly what the POST would accept), the control slip (form 05/06) as HTML or PDF, and the workspace's
/// filter choices (fields and procedures by name).
/// </summary>
public static class DossierWork
{
    /// <summary>The actions a page offers, in the order shown.</summary>
    public static JsonArray Available(LoadedDossier dossier, DossierContext context, Actor by, DateTimeOffset now)
    {
        var state = dossier.State;
        var definition = context.Definition;
        var at = state.LastEventAt is { } last && last > now ? last : now;
        var actions = new JsonArray();
        bool Allowed(DossierCommand command) => Decider.Decide(command, state, context).Rejection is null;

        if (state.Status == DossierStatus.Submitted)
        {
            // An online submission: a one-stop unit that receives the procedure accepts it (form 01) or refuses it (form 03).
            if (Allowed(new ReceiveDossier(at, by, dossier.Id, null, null, null, Channel.Online)))
            {
                actions.Add(new JsonObject { ["action"] = "receive" });
            }

            if (Allowed(new RefuseDossier(at, by, dossier.Id, "-", null)))
            {
                actions.Add(new JsonObject { ["action"] = "refuse" });
            }
        }

        var listed = definition.Documents.Where(d => d.When is null || d.When.Evaluate(state.Inputs)).ToList();
        foreach (var step in state.Steps.Where(s => s.Status == StepStatus.Active))
        {
            var def = definition.FindStep(step.Id);
            var outcomes = (def?.Outcomes ?? [Outcomes.Done]).Where(o => o != Outcomes.Supplement).Where(o => Allowed(new CompleteStep(at, by, step.Id, o))).ToList();
            if (step.IsReturn)
            {
                continue; // completing the return step is returning the result, offered below
            }

            if (outcomes.Count > 0)
            {
                actions.Add(new JsonObject
                {
                    ["action"] = "complete",
                    ["step"] = step.Id,
                    ["stepName"] = step.Name,
                    ["dueAt"] = Simulation.SimulationOutput.TimeOrNull(step.DueAt, dossier.Calendar),
                    ["outcomes"] = new JsonArray([.. outcomes.Select(o => (JsonNode)new JsonObject { ["id"] = o, ["name"] = OutcomeName(o) })]),
                });
            }

            var examined = def is { Documents.Length: > 0 } ? listed.Where(d => def.Documents.Contains(d.Id)).ToList() : listed;
            if (examined.Count > 0 && Allowed(new RequestSupplement(at, by, step.Id, [examined[0].Id], "-")))
            {
                actions.Add(new JsonObject
                {
                    ["action"] = "request-supplement",
                    ["step"] = step.Id,
                    ["stepName"] = step.Name,
                    ["documents"] = Documents(examined),
                });
            }
        }

        if (state.Supplement is { } pending && Allowed(new ProvideSupplement(at, by, [.. pending.Documents.Select(d => d.Id)])))
        {
            actions.Add(new JsonObject
            {
                ["action"] = "supplement",
                ["documents"] = new JsonArray([.. pending.Documents.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["name"] = d.Name })]),
            });
        }

        if (Allowed(new ReturnResult(at, by)))
        {
            actions.Add(new JsonObject { ["action"] = "return" });
        }

        if (Allowed(new IssueApology(at, by, null, "-")))
        {
            actions.Add(new JsonObject { ["action"] = "apologize" });
        }

        if (Allowed(new WithdrawDossier(at, by, "-")))
        {
            actions.Add(new JsonObject { ["action"] = "withdraw" });
        }

        // After the result is returned the counter records the applicant's rating (Decision 766), e.g. from a tablet.
        if (Allowed(new EvaluateDossier(at, by, 5)))
        {
            actions.Add(new JsonObject { ["action"] = "evaluate" });
        }

        return actions;
    }

    /// <summary>The dossier page's one answer (dossier, names, steps with lateness, letters, history, actions).</summary>
    public static JsonObject Page(LoadedDossier dossier, CatalogNames names, UserDirectory users, DateTimeOffset now, JsonArray actions, string? agency)
    {
        var state = dossier.State;
        var calendar = dossier.Calendar;
        string? Name(string? userId) => userId is null ? null : users.FindById(userId) is { Name.Length: > 0 } u ? u.Name : userId;
        var json = JsonSerializer.SerializeToNode(DossierView.Of(dossier), ApiJson.Options)!.AsObject();
        json["procedureName"] = state.ProcedureName ?? names.Procedure(state.ProcedureCode);
        json["statusText"] = EventNames.Status(state.Status);
        json["applicant"] = state.Applicant?.Name;
        json["receivedBy"] = state.ReceivedBy is { } r ? new JsonObject { ["user"] = r.User, ["name"] = Name(r.User), ["agency"] = r.Agency, ["agencyName"] = names.Agency(r.Agency) } : null;
        json["steps"] = new JsonArray([.. state.Steps.Select(st =>
        {
            var end = st.CompletedAt ?? (st.Status == StepStatus.Active ? now : (DateTimeOffset?)null);
            var late = st.DueAt is { } due && end is { } e && e > due ? (long)(e - due).TotalMinutes : 0;
            return (JsonNode)new JsonObject
            {
                ["id"] = st.Id,
                ["name"] = st.Name,
                ["agency"] = st.Agency,
                ["agencyName"] = st.AgencyName,
                ["status"] = Simulation.SimulationOutput.Camel(st.Status.ToString()),
                ["startedAt"] = Simulation.SimulationOutput.TimeOrNull(st.StartedAt, calendar),
                ["dueAt"] = Simulation.SimulationOutput.TimeOrNull(st.DueAt, calendar),
                ["completedAt"] = Simulation.SimulationOutput.TimeOrNull(st.CompletedAt, calendar),
                ["completedBy"] = st.CompletedBy?.User,
                ["completedByName"] = Name(st.CompletedBy?.User),
                ["outcome"] = st.Outcome,
                ["lateMinutes"] = late,
                ["mine"] = agency is not null && st.Agency == agency,
            };
        })]);
        json["history"] = new JsonArray([.. dossier.Events.Select(e => (JsonNode)new JsonObject
        {
            ["version"] = e.Stored.Version,
            ["type"] = e.Stored.Type,
            ["typeName"] = EventNames.Vietnamese(e.Stored.Type),
            ["summary"] = EventNames.Summary(e.Event, names),
            ["at"] = Simulation.SimulationOutput.Time(e.Event.At, calendar),
            ["user"] = e.Stored.Metadata.Actor.User,
            ["userName"] = Name(e.Stored.Metadata.Actor.User),
            ["agency"] = e.Stored.Metadata.Actor.Agency,
            ["agencyName"] = names.Agency(e.Stored.Metadata.Actor.Agency),
        })]);
        json["controlSlip"] = state.ReceivedAt is null ? null : $"/api/dossiers/{Uri.EscapeDataString(dossier.Id)}/control-slip";
        json["actingAgency"] = agency;
        json["actions"] = actions;
        return json;
    }

    private static JsonArray Documents(IEnumerable<DocumentDecl> documents) =>
        new([.. documents.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["name"] = d.Name })]);

    private static string OutcomeName(string outcome) => outcome switch
    {
        Outcomes.Done => "Hoàn thành",
        Outcomes.Rejected => "Không đủ điều kiện (từ chối)",
        "approved" => "Đồng ý",
        _ => outcome,
    };

    public static void MapDossierWork(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/workspace/dossiers/{id}", async (string id, ClaimsPrincipal user, DossierService service, CatalogNames names,
                UserDirectorySource users, TimeProvider clock, CancellationToken ct) =>
            {
                if (await service.LoadAsync(id, null, ct).ConfigureAwait(false) is not { } dossier || dossier.Events.Count == 0)
                {
                    return Problems.NotFound($"no dossier '{id}'", "Không tìm thấy hồ sơ.");
                }

                var now = clock.GetUtcNow();
                var agency = user.IsInRole(nameof(UserRole.Officer)) ? user.Agency() : null;
                var actions = agency is null || !dossier.Verification.IsValid || dossier.Definition is null
                    ? []
                    : Available(dossier, service.ContextFor(dossier), new Actor(user.UserId(), agency), now);
                return Results.Json(Page(dossier, names, users.Current, now, actions, agency));
            })
            .RequireAuthorization(Policies.Read)
            .WithTags("Workspace")
            .WithSummary("The dossier page: the dossier with names (procedure, applicant, status, agencies, who did each step and how late), its letters, its history, and the actions the signed-in officer may take now (each tried on the decider, nothing recorded; none for other roles or a dossier whose hash chain is broken)");

        app.MapGet("/api/dossiers/{id}/control-slip", async (string id, string? format, DossierService service, PublicSite site, CancellationToken ct) =>
            {
                if (await service.LoadAsync(id, null, ct).ConfigureAwait(false) is not { } dossier || dossier.Events.Count == 0)
                {
                    return Problems.NotFound($"no dossier '{id}'", "Không tìm thấy hồ sơ.");
                }

                if (DossierLetters.ControlSlip([.. dossier.Events.Select(e => e.Event)], site.LetterOptions(dossier)) is not { } slip)
                {
                    return Problems.NotFound($"dossier '{id}' has no control slip (it was never received)", "Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát.");
                }

                return format switch
                {
                    null or "html" => Results.Content(LetterRenderer.Default.RenderHtml(slip), "text/html; charset=utf-8"),
                    "pdf" => Results.File(LetterRenderer.Default.RenderPdf(slip), "application/pdf", $"{dossier.State.Code ?? id}-phieu-kiem-soat.pdf"),
                    _ => Problems.BadParameter("format", $"format '{format}' is not html or pdf", "Định dạng phải là html hoặc pdf."),
                };
            })
            .RequireAuthorization(Policies.Read)
            .WithTags("Workspace")
            .WithSummary("The dossier's control slip (phiếu kiểm soát quá trình giải quyết hồ sơ, A5): HTML to print, ?format=pdf for PDF");

        app.MapGet("/api/workspace/catalogue", (DefinitionsView view) => Results.Json(view.Catalogue()))
            .RequireAuthorization(Policies.Read)
            .WithTags("Workspace")
            .WithSummary("The workspace's choices: fields, agencies and procedures (code, name, field, accent-folded name for search, the one-stop units that receive it) in effect today");
    }
}

/// <summary>The procedures in effect today and the fields they belong to, with names, for the worklist's filters and the counter's search.</summary>
public sealed class DefinitionsView(Definitions.DefinitionRegistry registry, TimeProvider clock)
{
    public JsonObject Catalogue()
    {
        var catalog = registry.Catalog;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ReadModelSql.VietnamOffset).DateTime);
        var procedures = catalog.Definitions.Select(d => d.Code).Distinct(StringComparer.Ordinal)
            .Select(code => catalog.Resolve(code, today, null) ?? catalog.Versions(code)[^1])
            .OrderBy(d => d.Code, StringComparer.Ordinal)
            .ToList();
        var used = procedures.Select(p => p.Field).ToHashSet(StringComparer.Ordinal);
        return new JsonObject
        {
            ["fields"] = new JsonArray([.. catalog.Fields.Where(f => used.Contains(f.Id)).Select(f => (JsonNode)new JsonObject { ["id"] = f.Id, ["name"] = f.Name })]),
            // The province's agencies and any other a procedure in effect names (the supervisor's worklist picker), by name.
            ["agencies"] = new JsonArray([.. catalog.Agencies.Select(a => (a.Id, a.Name))
                .Concat(procedures.SelectMany(p => p.Agencies).Select(a => (a.Id, a.Name)))
                .DistinctBy(a => a.Id, StringComparer.Ordinal)
                .OrderBy(a => a.Name, StringComparer.Ordinal)
                .Select(a => (JsonNode)new JsonObject { ["id"] = a.Id, ["name"] = a.Name })]),
            ["procedures"] = new JsonArray([.. procedures.Select(p => (JsonNode)new JsonObject
            {
                ["code"] = p.Code,
                ["version"] = p.Version,
                ["name"] = p.Name,
                ["field"] = p.Field,
                ["folded"] = ProcedureEngine.Dossiers.Persistence.WorklistProjection.Fold(p.Name),
                ["timeLimit"] = p.TimeLimit.ToString(),
                ["oneStops"] = new JsonArray([.. p.Agencies.Where(a => a.OneStop).Select(a => (JsonNode)a.Id)]),
            })]),
        };
    }
}
