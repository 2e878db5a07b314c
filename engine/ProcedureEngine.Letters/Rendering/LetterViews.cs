using System.Collections.Immutable;
using System.Globalization;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Model;
using QRCoder;

namespace ProcedureEngine.Letters.Rendering;

/// <summary>What every form's heading shows; handed to the templates as <c>C</c>.</summary>
public sealed record CommonView(
    string RuleSetId,
    bool IsNd118,
    string FormNumber,
    string Title,
    string TitleUpper,
    string Circular,
    string Paper,
    string Orientation,
    string PageWidth,
    string? AgencyParentUpper,
    string AgencyUpper,
    string AgencyName,
    string Number,
    string PlaceDate,
    string? DossierCode,
    string? TrackingUrl,
    string? QrPngDataUri);

public sealed record ApplicantView(string Name, string? Phone, string? Address, string? Email);

public sealed record DocumentView(int Index, string Name, string Copies, string Kind, string? Note);

public sealed record SignatoryView(string RoleUpper, string? Name);

public sealed record ControlSlipRowView(
    int Index,
    string FromAgency,
    string ToAgency,
    string At,
    string? Task,
    string? GivenBy,
    string? ReceivedBy,
    string? Result,
    string? Note);

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

/// <summary>Builds the template model of a letter: every value pre-formatted in Vietnamese.</summary>
internal static class LetterViews
{
    public static CommonView Common(LetterData letter, LetterFormInfo form)
    {
        var offset = letter.UtcOffset;
        var circular = form.RuleSetId == LetterCatalogue.Nd118 ? "Thông tư số 03/2025/TT-VPCP" : "Thông tư số 01/2018/TT-VPCP";
        var defaultNumber = letter is ApologyLetter ? "……/PXL" : "……/……";
        return new CommonView(
            form.RuleSetId,
            form.RuleSetId == LetterCatalogue.Nd118,
            form.Number,
            form.Title,
            VietnameseFormat.Upper(form.Title),
            circular,
            form.Paper.ToString(),
            letter is TrackingBook ? "landscape" : "portrait",
            letter is TrackingBook ? "262mm" : "118mm",
            string.IsNullOrWhiteSpace(letter.Agency.ParentName) ? null : VietnameseFormat.Upper(letter.Agency.ParentName.Trim()),
            VietnameseFormat.Upper(letter.Agency.Name.Trim()),
            letter.Agency.Name.Trim(),
            string.IsNullOrWhiteSpace(letter.Number) ? defaultNumber : letter.Number.Trim(),
            VietnameseFormat.PlaceDate(letter.Place, letter.IssuedAt, offset),
            letter.DossierCode,
            letter.TrackingUrl,
            letter.TrackingUrl is null ? null : QrDataUri(letter.TrackingUrl));
    }

    public static object Build(LetterData letter, LetterFormInfo form)
    {
        var c = Common(letter, form);
        var o = letter.UtcOffset;
        return letter switch
        {
            ReceiptLetter r => new
            {
                C = c,
                Applicant = Applicant(r.Applicant),
                r.ProcedureName,
                Documents = Documents(r.Documents),
                DocumentCount = r.Documents.Length,
                TimeLimit = VietnameseFormat.Duration(r.TimeLimit),
                ReceivedAt = VietnameseFormat.DateTime(r.ReceivedAt, o),
                AppointmentAt = VietnameseFormat.DateTime(r.AppointmentAt, o),
                ReturnPlace = string.IsNullOrWhiteSpace(r.ReturnPlace) ? c.AgencyName : r.ReturnPlace,
                Officer = Signatory(r.ReceivingOfficer, "Người tiếp nhận hồ sơ"),
            },
            SupplementRequestLetter s => new
            {
                C = c,
                Applicant = Applicant(s.Applicant),
                s.ProcedureName,
                Documents = Documents(s.Documents),
                Reason = Sentence(s.Reason),
                ReceivedAt = s.ReceivedAt is { } at ? VietnameseFormat.Date(at, o) : null,
                SupplyBy = s.SupplyBy is { } by ? VietnameseFormat.Date(by, o) : null,
                ContactPoint = string.IsNullOrWhiteSpace(s.ContactPoint) ? c.AgencyName : s.ContactPoint,
                Officer = Signatory(s.Officer, "Người hướng dẫn"),
            },
            RefusalLetter f => new
            {
                C = c,
                Applicant = Applicant(f.Applicant),
                f.ProcedureName,
                Reason = Sentence(f.Reason),
                f.LegalBasis,
                Officer = Signatory(f.Officer, "Người tiếp nhận hồ sơ"),
            },
            ApologyLetter a => new
            {
                C = c,
                Applicant = Applicant(a.Applicant),
                a.ProcedureName,
                a.AgencyAtFault,
                ReceivedAt = VietnameseFormat.Date(a.ReceivedAt, o),
                OriginalAppointmentAt = VietnameseFormat.DateTime(a.OriginalAppointmentAt, o),
                Reason = Sentence(a.Reason),
                NewAppointmentAt = VietnameseFormat.DateTime(a.NewAppointmentAt, o),
                Signatory = Signatory(a.Signatory, "Thủ trưởng cơ quan"),
            },
            AppointmentNoticeLetter n => new
            {
                C = c,
                Applicant = Applicant(n.Applicant),
                n.ProcedureName,
                ReceivedAt = VietnameseFormat.Date(n.ReceivedAt, o),
                PreviousAppointmentAt = VietnameseFormat.DateTime(n.PreviousAppointmentAt, o),
                NewAppointmentAt = VietnameseFormat.DateTime(n.NewAppointmentAt, o),
                Reason = Sentence(n.Reason),
                Signatory = Signatory(n.Signatory, "Thủ trưởng cơ quan"),
            },
            WithdrawalNoticeLetter w => new
            {
                C = c,
                Applicant = Applicant(w.Applicant),
                w.ProcedureName,
                ReceivedAt = VietnameseFormat.Date(w.ReceivedAt, o),
                StoppedAt = VietnameseFormat.DateTime(w.StoppedAt, o),
                Reason = Sentence(w.Reason),
                ReturnPlace = string.IsNullOrWhiteSpace(w.ReturnPlace) ? c.AgencyName : w.ReturnPlace,
                Signatory = Signatory(w.Signatory, "Thủ trưởng cơ quan"),
            },
            ControlSlip k => new
            {
                C = c,
                Applicant = Applicant(k.Applicant),
                k.ProcedureName,
                ReceivedAt = VietnameseFormat.DateTime(k.ReceivedAt, o),
                DueAt = VietnameseFormat.DateTime(k.DueAt, o),
                k.LeadAgency,
                CoordinatingAgencies = k.CoordinatingAgencies.IsDefaultOrEmpty ? null : string.Join("; ", k.CoordinatingAgencies),
                Rows = k.Rows.Select((row, i) => new ControlSlipRowView(
                    i + 1,
                    row.FromAgency,
                    row.ToAgency,
                    VietnameseFormat.ShortDateTime(row.At, o),
                    row.Task,
                    row.GivenBy,
                    row.ReceivedBy,
                    row.Result is { } res ? VietnameseFormat.Result(res) : null,
                    row.Note)).ToList(),
            },
            TrackingBook b => new
            {
                C = c,
                Period = Period(b.From, b.To),
                Rows = b.Rows.Select((row, i) => new TrackingBookRowView(
                    i + 1,
                    row.DossierCode,
                    row.ProcedureName,
                    row.Applicant.Name,
                    Contact(row.Applicant),
                    row.LeadAgency,
                    VietnameseFormat.ShortDateTime(row.ReceivedAt, o),
                    VietnameseFormat.ShortDateTime(row.DueAt, o),
                    row.TransferredAt is { } t ? VietnameseFormat.ShortDateTime(t, o) : null,
                    row.ResultReceivedAt is { } rr ? VietnameseFormat.ShortDateTime(rr, o) : null,
                    row.ReturnedAt is { } ret ? VietnameseFormat.ShortDateTime(ret, o) : null,
                    row.Note)).ToList(),
            },
            _ => throw new ArgumentException($"no view for letter type {letter.GetType().Name}", nameof(letter)),
        };
    }

    /// <summary>A free-text reason as printed inside a sentence: trimmed, without its closing full stop.</summary>
    private static string? Sentence(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().TrimEnd('.', ' ');

    private static ApplicantView Applicant(LetterApplicant a) => new(a.Name, a.Phone, a.Address, a.Email);

    private static string? Contact(LetterApplicant a)
    {
        var parts = new[] { a.Address, a.Phone }.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static List<DocumentView> Documents(ImmutableArray<LetterDocument> documents) =>
        [.. documents.Select((d, i) => new DocumentView(
            i + 1,
            d.Name,
            d.Copies.ToString(CultureInfo.InvariantCulture),
            d.Original ? "Bản chính" : "Bản sao",
            d.Note))];

    private static SignatoryView Signatory(LetterSignatory? s, string defaultRole) =>
        new(VietnameseFormat.Upper(s?.Role ?? defaultRole), s?.Name);

    private static string? Period(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        ({ } f, { } t) => $"Từ {VietnameseFormat.Date(f)} đến {VietnameseFormat.Date(t)}",
        ({ } f, null) => $"Từ {VietnameseFormat.Date(f)}",
        (null, { } t) => $"Đến {VietnameseFormat.Date(t)}",
        _ => null,
    };

    /// <summary>A PNG data: URI of the QR code for <paramref name="payload"/>.</summary>
    public static string QrDataUri(string payload)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        return "data:image/png;base64," + Convert.ToBase64String(png.GetGraphic(4));
    }
}
