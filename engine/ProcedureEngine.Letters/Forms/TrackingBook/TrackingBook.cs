using System.Collections.Immutable;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>One dossier's line in the tracking book.</summary>
public sealed record TrackingBookRow(
    string DossierCode,
    string ProcedureName,
    LetterApplicant Applicant,
    string LeadAgency,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt)
{
    public DateTimeOffset? TransferredAt { get; init; }

    public DateTimeOffset? ResultReceivedAt { get; init; }

    public DateTimeOffset? ReturnedAt { get; init; }

    public string? Note { get; init; }
}

/// <summary>Tracking book: Sổ theo dõi hồ sơ (form 06 nd61-2018, 07 nd118-2025), printed on A4.</summary>
public sealed record TrackingBook() : LetterData(FormKind.TrackingBook, "tracking-book")
{
    internal override bool Landscape => true;

    /// <summary>Period the book covers, e.g. the quarter; printed under the title when set.</summary>
    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    public ImmutableArray<TrackingBookRow> Rows { get; init; } = [];

    internal override object View(CommonView c, RuleSet rules) => new
    {
        C = c,
        Period = Period(From, To),
        Rows = Rows.Select((row, i) => new TrackingBookRowView(
            i + 1,
            row.DossierCode,
            row.ProcedureName,
            row.Applicant.Name,
            Contact(row.Applicant),
            row.LeadAgency,
            VietnameseFormat.ShortDateTime(row.ReceivedAt, UtcOffset),
            VietnameseFormat.ShortDateTime(row.DueAt, UtcOffset),
            row.TransferredAt is { } t ? VietnameseFormat.ShortDateTime(t, UtcOffset) : null,
            row.ResultReceivedAt is { } rr ? VietnameseFormat.ShortDateTime(rr, UtcOffset) : null,
            row.ReturnedAt is { } ret ? VietnameseFormat.ShortDateTime(ret, UtcOffset) : null,
            row.Note)).ToList(),
    };

    private static string? Contact(LetterApplicant a)
    {
        var parts = new[] { a.Address, a.Phone }.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string? Period(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        ({ } f, { } t) => $"Từ {VietnameseFormat.Date(f)} đến {VietnameseFormat.Date(t)}",
        ({ } f, null) => $"Từ {VietnameseFormat.Date(f)}",
        (null, { } t) => $"Đến {VietnameseFormat.Date(t)}",
        _ => null,
    };
}

/// <summary>A tracking-book line as the template prints it.</summary>
public sealed record TrackingBookRowView(
    int Index,
    string DossierCode,
    string ProcedureName,
    string ApplicantName,
    string? ApplicantContact,
    string LeadAgency,
    string ReceivedAt,
    string DueAt,
    string? TransferredAt,
    string? ResultReceivedAt,
    string? ReturnedAt,
    string? Note);
