
namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>POST /api/workspace/receipt-preview: what the counter would give for these inputs and documents, nothing recorded.</summary>
public sealed record ReceiptPreviewBody(string? Procedure, Dictionary<string, JsonElement>? Inputs, List<string>? Documents);

/// <summary>
/// The counter's form before confirming: the procedure in effect today, its inputs, the documents its list asks for
/// given the inputs answered so far (conditional ones appear as inputs are answered), what is missing, and the
/// appointment the decider would promise now. Decided by the real decider on a blank dossier; nothing is written.
/// </summary>
public static class CounterPreview
{
    public static void MapCounterPreview(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/workspace/receipt-preview", (ReceiptPreviewBody body, ClaimsPrincipal user, DefinitionRegistry registry, TimeProvider clock) =>
            {
                if (string.IsNullOrWhiteSpace(body.Procedure))
                {
                    return Problems.BadParameter("procedure", "procedure is required", "Chưa chọn thủ tục.");
                }

                var now = clock.GetUtcNow();
                var today = DateOnly.FromDateTime(now.ToOffset(ReadModelSql.VietnamOffset).DateTime);
                if (registry.Catalog.Resolve(body.Procedure, today, null) is not { } definition)
                {
                    return Problems.NotFound($"no version of procedure {body.Procedure} is in effect on {today:yyyy-MM-dd}", "Thủ tục không có phiên bản đang hiệu lực.");
                }

                var inputs = (body.Inputs ?? []).ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ValueKind switch
                {
                    JsonValueKind.String => kv.Value.GetString()!,
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => kv.Value.GetRawText(),
                }, StringComparer.Ordinal);
                var documents = (body.Documents ?? []).ToImmutableArray();
                var calendar = registry.CalendarFor(definition);
                var by = new Actor(user.UserId(), user.Agency() ?? "one-stop");
                var decision = Decider.Decide(new ReceiveDossier(now, by, "preview", new Applicant("—"), inputs, documents, Channel.Counter),
                    DossierState.Initial, new DossierContext(definition, calendar).WithSequence(1));
                var guidance = decision.Events.IsDefaultOrEmpty ? null : decision.Events.OfType<ReceiptGuidanceIssued>().FirstOrDefault();
                return Results.Json(new
                {
                    code = definition.Code,
                    version = definition.Version,
                    name = definition.Name,
                    timeLimit = definition.TimeLimit.ToString(),
                    inputs = definition.Inputs.Select(i => new { id = i.Id, name = i.Name ?? i.Id, type = SimulationOutput.Camel(i.Type.ToString()), values = i.Values }),
                    documents = definition.Documents
                        .Where(d => d.When is null || d.When.Evaluate(inputs))
                        .Select(d => new { id = d.Id, name = d.Name, copies = d.Copies, original = d.Original, conditional = d.When is not null, ticked = documents.Contains(d.Id) }),
                    complete = decision.Rejection is null && guidance is null,
                    missing = guidance?.Missing.Select(m => new { id = m.Id, name = m.Name }).ToArray() ?? [],
                    refusal = decision.Rejection?.Message,
                    appointmentAt = decision.Rejection is null && guidance is null ? SimulationOutput.TimeOrNull(decision.State.AppointmentAt, calendar) : null,
                });
            })
            .RequireAuthorization(Policies.ActOnDossiers)
            .WithTags("Workspace")
            .WithSummary("The counter's preview: the procedure's inputs and the documents its list asks for given the inputs, what is missing, and the appointment the decider would give now; nothing is recorded");
    }
}
