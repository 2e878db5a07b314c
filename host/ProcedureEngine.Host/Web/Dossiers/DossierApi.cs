using System.Collections.Immutable;
using System.Text.Json;
using ProcedureEngine.Dossiers;
using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Host.Web.Dossiers;

public sealed record ProcedureRef(string Code, int? Version);

public sealed record ApplicantBody(string Name, string? Kind, string? Phone, string? Address, string? Email);

/// <summary>POST /api/dossiers. `refuse` (a reason) records a refusal (form 03) instead of a receipt.</summary>
public sealed record ReceiveBody(ProcedureRef? Procedure, string? Jurisdiction, string? Channel, ApplicantBody? Applicant,
    Dictionary<string, JsonElement>? Inputs, List<string>? Documents, string? Refuse);

/// <summary>POST /api/dossiers/{id}/{action}: the fields each action needs (see the OpenAPI document).</summary>
public sealed record ActionBody(string? Step, string? Outcome, string? Note, List<string>? Documents, string? Reason,
    int? Score, string? Comment, string? AgencyAtFault, DateTimeOffset? NewAppointmentAt);

/// <summary>Request bodies and answers shared by the dossier endpoints.</summary>
internal static class DossierApi
{
    internal static string? Validate(ReceiveBody body) =>
        body.Procedure is null || string.IsNullOrWhiteSpace(body.Procedure.Code) ? "procedure.code is required"
        : body.Applicant is null || string.IsNullOrWhiteSpace(body.Applicant.Name) ? "applicant.name is required"
        : null;

    internal static ReceiveRequest Request(ReceiveBody body, Channel channel) =>
        new(body.Procedure!.Code, body.Procedure.Version, body.Jurisdiction, channel,
            new Applicant(body.Applicant!.Name) { Kind = body.Applicant.Kind, Phone = body.Applicant.Phone, Address = body.Applicant.Address, Email = body.Applicant.Email },
            (body.Inputs ?? []).ToImmutableDictionary(kv => kv.Key, kv => InputText(kv.Value), StringComparer.Ordinal),
            [.. body.Documents ?? []], body.Refuse);

    internal static string InputText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    /// <summary>A retried request answered as the first time says so (`Idempotent-Replayed: true`).</summary>
    internal static void MarkReplayed(HttpRequest request, CommandOutcome outcome)
    {
        if (outcome.Duplicate)
        {
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }
    }

    internal static string? IdempotencyKey(HttpRequest request) =>
        request.Headers.TryGetValue("Idempotency-Key", out var key) && !string.IsNullOrWhiteSpace(key) ? key.ToString() : null;

    internal static IResult Rejected(Rejection rejection) =>
        Results.Json(new { rule = rejection.Code, reason = rejection.Message, reasonEn = rejection.MessageEn }, statusCode: StatusCodes.Status422UnprocessableEntity);

    internal static IResult BadRequest(string message) => Results.BadRequest(new { error = message });

    internal static IResult NotFound(string id) => Results.NotFound(new { error = $"no dossier '{id}'" });
}
