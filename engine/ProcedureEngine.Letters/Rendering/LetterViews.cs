using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Model;
using System.Reflection;
using QRCoder;

namespace ProcedureEngine.Letters.Rendering;

/// <summary>What every form's heading shows; handed to the templates as <c>C</c>. Numbers, titles, paper and circular come from the rule set.</summary>
public sealed record CommonView(
    string RuleSetId,
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

/// <summary>
/// Builds the template model of a letter: the heading every form shares (<see cref="CommonView"/>) and the helpers
/// the forms' own views (<c>LetterData.View</c>, next to each form's template under <c>Forms/</c>) use.
/// </summary>
internal static class LetterViews
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PartProperties = new();

    public static CommonView Common(LetterData letter, RuleSet rules, FormInfo form, bool qrImage = true)
    {
        var offset = letter.UtcOffset;
        var defaultNumber = letter is ApologyLetter ? "……/PXL" : "……/……";
        var landscape = letter.Landscape;
        return new CommonView(
            rules.Id,
            form.Number,
            form.Title,
            VietnameseFormat.Upper(form.Title),
            rules.Circular,
            form.Paper.ToString(),
            landscape ? "landscape" : "portrait",
            landscape ? "262mm" : "118mm",
            string.IsNullOrWhiteSpace(letter.Agency.ParentName) ? null : VietnameseFormat.Upper(letter.Agency.ParentName.Trim()),
            VietnameseFormat.Upper(letter.Agency.Name.Trim()),
            letter.Agency.Name.Trim(),
            string.IsNullOrWhiteSpace(letter.Number) ? defaultNumber : letter.Number.Trim(),
            VietnameseFormat.PlaceDate(letter.Place, letter.IssuedAt, offset),
            letter.DossierCode,
            letter.TrackingUrl,
            letter.TrackingUrl is null || !qrImage ? null : QrDataUri(letter.TrackingUrl));
    }

    public static object Build(LetterData letter, RuleSet rules, FormInfo form, bool qrImage = true) => letter.View(Common(letter, rules, form, qrImage), rules);

    /// <summary>
    /// One template model from parts: each an anonymous object whose property names are the template's, or a model built
    /// here. A name given twice is a programming error.
    /// </summary>
    public static Dictionary<string, object?> Merge(params ReadOnlySpan<object> parts)
    {
        var view = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            if (part is Dictionary<string, object?> built)
            {
                foreach (var (name, value) in built)
                {
                    view.Add(name, value);
                }

                continue;
            }

            foreach (var property in PartProperties.GetOrAdd(part.GetType(), static type => type.GetProperties()))
            {
                view.Add(property.Name, property.GetValue(part));
            }
        }

        return view;
    }

    /// <summary>A free-text reason as printed inside a sentence: trimmed, without its closing full stop.</summary>
    public static string? Sentence(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().TrimEnd('.', ' ');

    public static ApplicantView Applicant(LetterApplicant a) => new(a.Name, a.Phone, a.Address, a.Email);

    public static List<DocumentView> Documents(ImmutableArray<LetterDocument> documents) =>
        [.. documents.Select((d, i) => new DocumentView(
            i + 1,
            d.Name,
            d.Copies.ToString(CultureInfo.InvariantCulture),
            d.Original ? "Bản chính" : "Bản sao",
            d.Note))];

    public static SignatoryView Signatory(LetterSignatory? s, string defaultRole) =>
        new(VietnameseFormat.Upper(s?.Role ?? defaultRole), s?.Name);

    /// <summary>A PNG data: URI of the QR code for <paramref name="payload"/>.</summary>
    public static string QrDataUri(string payload)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        return "data:image/png;base64," + Convert.ToBase64String(png.GetGraphic(4));
    }
}
