namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>
/// What the dossier endpoints accept in the text an applicant or officer types (docs/http-api.md, "Limits"):
/// a maximum length per field, no C0 control characters (line breaks and tabs only in the free-text fields),
/// and text normalised to Unicode NFC before it is decided on and stored. A field over its limit is refused with
/// 400 naming the field; nothing is stored.
/// </summary>
public static class FieldLimits
{
    public const int ProcedureCode = 32;
    public const int Jurisdiction = 64;
    public const int ApplicantName = 200;
    public const int ApplicantKind = 32;
    public const int Phone = 32;
    public const int Email = 254;
    public const int Address = 500;
    public const int Identifier = 100;
    public const int Documents = 100;
    public const int Inputs = 50;
    public const int InputValue = 500;
    public const int Reason = 2000;

    /// <summary>Every limit as (field, characters), for the documentation and the tests.</summary>
    public static IReadOnlyList<(string Field, int Max)> All { get; } =
    [
        ("procedure.code", ProcedureCode), ("jurisdiction", Jurisdiction), ("applicant.name", ApplicantName), ("applicant.kind", ApplicantKind),
        ("applicant.phone", Phone), ("applicant.email", Email), ("applicant.address", Address), ("documents[i], step, outcome, agencyAtFault, inputs key", Identifier),
        ("documents (items)", Documents), ("inputs (entries)", Inputs), ("inputs value", InputValue), ("refuse, reason, note, comment", Reason),
    ];

    /// <summary>The first problem of a receipt or submission body, or null.</summary>
    public static string? Check(ReceiveBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var a = body.Applicant;
        return Line("procedure.code", body.Procedure?.Code, ProcedureCode)
            ?? Line("jurisdiction", body.Jurisdiction, Jurisdiction)
            ?? Line("channel", body.Channel, Identifier)
            ?? Line("applicant.name", a?.Name, ApplicantName)
            ?? Line("applicant.kind", a?.Kind, ApplicantKind)
            ?? Line("applicant.phone", a?.Phone, Phone)
            ?? Line("applicant.email", a?.Email, Email)
            ?? Line("applicant.address", a?.Address, Address)
            ?? Text("refuse", body.Refuse, Reason)
            ?? Ids("documents", body.Documents)
            ?? InputsOf(body);
    }

    /// <summary>A required field sent as null (a missing one is refused by the JSON reader already).</summary>
    internal static string? Required(string field, object? value) => value switch
    {
        null => $"'{field}' is required",
        List<string> { Count: 0 } => $"'{field}' must list at least one document",
        _ => null,
    };

    /// <summary>Text as stored: Unicode NFC (a name typed with combining marks and one typed precomposed are the same name).</summary>
    public static string? Nfc(string? text) => text is null || text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);

    private static string? InputsOf(ReceiveBody body)
    {
        if (body.Inputs is not { } inputs)
        {
            return null;
        }

        if (inputs.Count > Inputs)
        {
            return $"inputs: at most {Inputs} entries (got {inputs.Count})";
        }

        foreach (var (key, value) in inputs)
        {
            if (Line($"inputs key '{Shorten(key)}'", key, Identifier) is { } badKey)
            {
                return badKey;
            }

            if (Line($"inputs.{key}", DossierApi.InputText(value), InputValue) is { } badValue)
            {
                return badValue;
            }
        }

        return null;
    }

    internal static string? Ids(string field, List<string>? ids)
    {
        if (ids is null)
        {
            return null;
        }

        if (ids.Count > Documents)
        {
            return $"{field}: at most {Documents} items (got {ids.Count})";
        }

        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is null)
            {
                return $"{field}[{i}]: must be a string";
            }

            if (Line($"{field}[{i}]", ids[i], Identifier) is { } bad)
            {
                return bad;
            }
        }

        return null;
    }

    /// <summary>A one-line field: no control character at all.</summary>
    internal static string? Line(string field, string? value, int max) => Checked(field, value, max, allowBreaks: false);

    /// <summary>Free text (reasons, notes): line breaks and tabs allowed, no other control character.</summary>
    internal static string? Text(string field, string? value, int max) => Checked(field, value, max, allowBreaks: true);

    private static string? Checked(string field, string? value, int max, bool allowBreaks)
    {
        if (value is null)
        {
            return null;
        }

        // Counted as the user sees characters after NFC, so a precomposed and a decomposed name have the same limit.
        var text = Nfc(value)!;
        if (text.Length > max)
        {
            return $"{field}: at most {max} characters (got {text.Length.ToString("N0", CultureInfo.InvariantCulture)})";
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c < ' ' || c == '\u007f') && !(allowBreaks && c is '\n' or '\r' or '\t'))
            {
                return $"{field}: control character U+{(int)c:X4} at position {i + 1} is not allowed";
            }
        }

        return null;
    }

    private static string Shorten(string key) => key.Length <= 40 ? key : key[..40] + "…";
}
