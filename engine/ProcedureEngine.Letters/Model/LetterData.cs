using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>An agency as printed in a letter's heading: its own name and, above it, the body it belongs to.</summary>
/// <param name="Name">e.g. "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh" (printed in capitals).</param>
/// <param name="ParentName">e.g. "UBND tỉnh Bắc Ninh"; null when the agency heads its own letters.</param>
public sealed record LetterAgency(string Name, string? ParentName = null);

/// <summary>The citizen or organisation the dossier belongs to.</summary>
public sealed record LetterApplicant(string Name, string? Phone = null, string? Address = null, string? Email = null);

/// <summary>A document of the dossier as listed in a letter.</summary>
/// <param name="Copies">Number of copies (bộ/bản) received or requested.</param>
/// <param name="Original">True when the original (bản chính) is meant, false for a copy (bản sao).</param>
/// <param name="Note">What is wrong or missing (supplement requests), or any remark.</param>
public sealed record LetterDocument(string Name, int Copies = 1, bool Original = false, string? Note = null);

/// <summary>Who signs a letter: the role printed above the signature and the person's name, if known.</summary>
public sealed record LetterSignatory(string Role, string? Name = null);

/// <summary>
/// The data of one legal form, independent of how the dossier engine stores events. A closed
/// hierarchy: one record per form, each in its folder under <c>Forms/</c> with its view and template.
/// Every instant is printed in <see cref="UtcOffset"/> (Vietnam: +07:00).
/// </summary>
public abstract record LetterData
{
    private protected LetterData(FormKind kind, string templateName)
    {
        Kind = kind;
        TemplateName = templateName;
    }

    /// <summary>Id of the dossier's rule set (<see cref="RuleSets"/>): decides the form numbers, titles and wording.</summary>
    public required string RuleSetId { get; init; }

    /// <summary>The agency issuing the letter (top-left of the page).</summary>
    public required LetterAgency Agency { get; init; }

    /// <summary>When the letter is issued; printed as "{Place}, ngày dd tháng MM năm yyyy".</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Place name printed before the date, e.g. "Bắc Ninh"; dots when unknown.</summary>
    public string? Place { get; init; }

    /// <summary>Letter number after "Số:", e.g. "15/PXL"; a blank to fill in by hand when null.</summary>
    public string? Number { get; init; }

    /// <summary>Dossier code (mã hồ sơ), e.g. "000.00.07.H13-260424-0001"; null for a dossier refused before it got one.</summary>
    public string? DossierCode { get; init; }

    /// <summary>Public tracking page the QR code points at; no QR code when null.</summary>
    public string? TrackingUrl { get; init; }

    /// <summary>Offset the letter prints times in.</summary>
    public TimeSpan UtcOffset { get; init; } = TimeSpan.FromHours(7);

    /// <summary>The form this letter is.</summary>
    public FormKind Kind { get; }

    /// <summary>Short ASCII name of the form, used for template and file names: "receipt", "control-slip".</summary>
    public string TemplateName { get; }

    /// <summary>The public tracking address for a dossier code: {publicBaseUrl}/track/{code}.</summary>
    public static string TrackingUrlFor(string publicBaseUrl, string dossierCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicBaseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(dossierCode);
        return $"{publicBaseUrl.TrimEnd('/')}/track/{Uri.EscapeDataString(dossierCode)}";
    }

    /// <summary>Printed across the page (the tracking book's wide table); the paper size itself is the rule set's.</summary>
    internal virtual bool Landscape => false;

    /// <summary>The template model of this form: <paramref name="common"/> (as <c>C</c>) and the form's own values, formatted in Vietnamese.</summary>
    internal abstract object View(CommonView common, RuleSet rules);
}
