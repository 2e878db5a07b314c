using System.Text.Json.Nodes;
using static ProcedureEngine.Host.Web.Dossiers.DossierApi;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>/api/dossiers/online: the public service portal lodges dossiers and follows them until accepted.</summary>
public static class OnlineSubmissionEndpoints
{
    public static void MapOnlineSubmissions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dossiers/online").WithTags("Online submissions");

        group.MapPost("/", async (ReceiveBody body, ClaimsPrincipal user, HttpRequest http, DossierService service, DefinitionRegistry registry, CancellationToken ct) =>
            {
                if (Validate(body, registry.Catalog) is { } problem)
                {
                    return BadRequest(problem);
                }

                try
                {
                    var by = new Actor(user.UserId(), user.Agency() ?? "portal");
                    var outcome = await service.SubmitAsync(Request(body, Channel.Online), by, IdempotencyKey(http), ct).ConfigureAwait(false);
                    if (outcome.Rejection is { } rejection)
                    {
                        return Rejected(rejection);
                    }

                    MarkReplayed(http, outcome);

                    return Results.Json(SubmissionJson(outcome.Dossier!), statusCode: StatusCodes.Status201Created);
                }
                catch (KeyNotFoundException e)
                {
                    return UnknownProcedure(e);
                }
                catch (IdempotencyKeyReusedException e)
                {
                    return KeyReused(e);
                }
            })
            .RequireAuthorization(Policies.SubmitOnline)
            .WithSummary("The public service portal lodges a dossier online: 201 with its id and the time by which the one-stop unit must accept it (8 working hours)");

        // Each portal account sees only what it lodged itself (the submission's first event names it): another's
        // submission is answered as unknown, so its existence is not disclosed either.
        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, DossierService service, CancellationToken ct) =>
                id.StartsWith("online-", StringComparison.Ordinal) && await service.LoadAsync(id, null, ct).ConfigureAwait(false) is { } dossier &&
                dossier.Events.Count > 0 && dossier.Events[0].Stored.Metadata.Actor.User == user.UserId()
                    ? Results.Json(SubmissionJson(dossier))
                    : NotFound(id))
            .RequireAuthorization(Policies.SubmitOnline)
            .WithSummary("Status of an online submission: submitted, or received with its code and appointment (no personal data)");
    }

    /// <summary>What the portal may see of an online dossier: where it stands, never who lodged it.</summary>
    private static JsonObject SubmissionJson(LoadedDossier dossier)
    {
        var s = dossier.State;
        return new JsonObject
        {
            ["id"] = dossier.Id,
            ["status"] = SimulationOutput.Camel(s.Status.ToString()),
            ["procedure"] = new JsonObject { ["code"] = s.ProcedureCode, ["version"] = s.ProcedureVersion },
            ["submittedAt"] = SimulationOutput.TimeOrNull(s.SubmittedAt, dossier.Calendar),
            ["acceptBy"] = SimulationOutput.TimeOrNull(s.AcceptBy, dossier.Calendar),
            ["acceptanceOverdue"] = s.AcceptanceOverdue,
            ["code"] = s.Code,
            ["receivedAt"] = SimulationOutput.TimeOrNull(s.ReceivedAt, dossier.Calendar),
            ["appointmentAt"] = SimulationOutput.TimeOrNull(s.AppointmentAt, dossier.Calendar),
            ["version"] = s.Version,
        };
    }
}
