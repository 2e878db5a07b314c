
namespace ProcedureEngine.Host.Web.Dossiers;

public sealed record ProcedureRef(string Code, int? Version);

/// <summary>The applicant; `notify` lists the channels they consent to be told on ("sms", "email"; none when absent or empty).</summary>
public sealed record ApplicantBody(string Name, string? Kind, string? Phone, string? Address, string? Email, List<string>? Notify = null);

/// <summary>POST /api/dossiers. `refuse` (a reason) records a refusal (form 03) instead of a receipt.</summary>
public sealed record ReceiveBody(ProcedureRef? Procedure, string? Jurisdiction, string? Channel, ApplicantBody? Applicant,
    Dictionary<string, JsonElement>? Inputs, List<string>? Documents, string? Refuse);


/// <summary>Request bodies and answers shared by the dossier endpoints.</summary>
internal static class DossierApi
{
    /// <summary>
    /// The first problem of a receipt or submission body (required fields, <see cref="FieldLimits"/>, a jurisdiction
    /// the catalogue knows), or null.
    /// </summary>
    internal static string? Validate(ReceiveBody body, DefinitionCatalog catalog) =>
        body.Procedure is null || string.IsNullOrWhiteSpace(body.Procedure.Code) ? "procedure.code is required"
        : body.Applicant is null || string.IsNullOrWhiteSpace(body.Applicant.Name) ? "applicant.name is required"
        : FieldLimits.Check(body)
        ?? ValidateNotify(body.Applicant.Notify, body.Applicant.Phone, body.Applicant.Email, "applicant.")
        ?? UnknownJurisdiction(body.Jurisdiction, catalog);

    /// <summary>
    /// A jurisdiction selects the local overlay (a province's shorter limits); one the catalogue does not know would
    /// silently drop the reduction, so it is refused with the known ones.
    /// </summary>
    private static string? UnknownJurisdiction(string? jurisdiction, DefinitionCatalog catalog)
    {
        if (jurisdiction is null || catalog.Jurisdictions.Contains(jurisdiction))
        {
            return null;
        }

        return $"jurisdiction '{jurisdiction}' is unknown; known: {(catalog.Jurisdictions.Count == 0 ? "none (omit it)" : string.Join(", ", catalog.Jurisdictions))}";
    }

    /// <summary>Consent channels: each "sms" or "email", once, with the phone or e-mail address it needs.</summary>
    internal static string? ValidateNotify(List<string>? notify, string? phone, string? email, string path)
    {
        for (var i = 0; i < (notify?.Count ?? 0); i++)
        {
            var channel = notify![i];
            var at = $"{path}notify[{i}]";
            if (channel is not ("sms" or "email"))
            {
                return $"{at}: '{channel}' is not a notification channel (sms, email)";
            }

            if (notify.IndexOf(channel) != i)
            {
                return $"{at}: '{channel}' is listed twice";
            }

            if (channel == "sms" && string.IsNullOrWhiteSpace(phone))
            {
                return $"{at}: consent to SMS needs {path}phone";
            }

            if (channel == "email" && (string.IsNullOrWhiteSpace(email) || !System.Net.Mail.MailAddress.TryCreate(email, out _)))
            {
                return $"{at}: consent to e-mail needs a valid {path}email";
            }
        }

        return null;
    }

    internal static ReceiveRequest Request(ReceiveBody body, Channel channel) =>
        new(FieldLimits.Nfc(body.Procedure!.Code)!, body.Procedure.Version, body.Jurisdiction, channel,
            new Applicant(FieldLimits.Nfc(body.Applicant!.Name)!)
            {
                Kind = FieldLimits.Nfc(body.Applicant.Kind), Phone = FieldLimits.Nfc(body.Applicant.Phone),
                Address = FieldLimits.Nfc(body.Applicant.Address), Email = FieldLimits.Nfc(body.Applicant.Email),
                Notify = body.Applicant.Notify is { Count: > 0 } n ? [.. n] : null,
            },
            (body.Inputs ?? []).ToImmutableDictionary(kv => FieldLimits.Nfc(kv.Key)!, kv => FieldLimits.Nfc(InputText(kv.Value))!, StringComparer.Ordinal),
            [.. (body.Documents ?? []).Select(d => FieldLimits.Nfc(d)!)], FieldLimits.Nfc(body.Refuse));

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

    internal static RequestKey? IdempotencyKey(HttpRequest request) =>
        request.Headers.TryGetValue("Idempotency-Key", out var key) && !string.IsNullOrWhiteSpace(key)
            ? new RequestKey(key.ToString(), RequestFingerprint.Of(request.HttpContext))
            : null;

    /// <summary>422 naming an Idempotency-Key that came back with a different request.</summary>
    internal static ProblemResult KeyReused(IdempotencyKeyReusedException e) => ProblemHandling.FromException(e);

    /// <summary>400 invalid-body with the reason (field limits, an unknown jurisdiction, a missing field).</summary>
    internal static ProblemResult BadRequest(string message) => Problems.InvalidBody($"Nội dung yêu cầu không hợp lệ: {message}.", message);

    internal static ProblemResult Rejected(Rejection rejection) => Problems.Rejected(rejection);

    internal static ProblemResult NotFound(string id) => Problems.DossierNotFound(id);

    internal static ProblemResult UnknownProcedure(KeyNotFoundException e) =>
        Problems.Of(StatusCodes.Status422UnprocessableEntity, ProblemCodes.UnknownProcedure,
            "Không có thủ tục (phiên bản) có hiệu lực với mã đã gửi.", e.Message);
}
