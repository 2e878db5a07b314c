using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>
/// A form about one citizen's dossier: it names the applicant and the procedure requested. Its template model is
/// the heading <c>C</c>, <c>Applicant</c> and <c>ProcedureName</c>, then the form's own values (<see cref="OwnView"/>).
/// </summary>
public abstract record DossierLetter : LetterData
{
    private protected DossierLetter(FormKind kind, string templateName)
        : base(kind, templateName)
    {
    }

    /// <summary>The citizen or organisation the dossier belongs to.</summary>
    public required LetterApplicant Applicant { get; init; }

    /// <summary>What is requested: the procedure's name.</summary>
    public required string ProcedureName { get; init; }

    internal sealed override object View(CommonView common, RuleSet rules) => LetterViews.Merge(
        new { C = common, Applicant = LetterViews.Applicant(Applicant), ProcedureName },
        OwnView(common, rules));

    /// <summary>The form's own values, formatted in Vietnamese: an anonymous object whose property names are the template's.</summary>
    private protected abstract object OwnView(CommonView common, RuleSet rules);
}

/// <summary>
/// A notice to the applicant about a dossier already received (apology, new appointment, stop): its template opens
/// with the addressee and the day the dossier was received, gives the reason, and is signed and sealed by the head
/// of the issuing agency.
/// </summary>
public abstract record NoticeToApplicant : DossierLetter
{
    private protected NoticeToApplicant(FormKind kind, string templateName)
        : base(kind, templateName)
    {
    }

    /// <summary>When the dossier was received; printed as a date.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Why the notice is sent, in words; printed inside a sentence.</summary>
    public required string Reason { get; init; }

    /// <summary>Head of the issuing agency; defaults to "Thủ trưởng cơ quan".</summary>
    public LetterSignatory? Signatory { get; init; }

    private protected sealed override object OwnView(CommonView common, RuleSet rules) => LetterViews.Merge(
        new
        {
            ReceivedAt = VietnameseFormat.Date(ReceivedAt, UtcOffset),
            Reason = LetterViews.Sentence(Reason),
            Signatory = LetterViews.Signatory(Signatory, "Thủ trưởng cơ quan"),
        },
        NoticeView(common));

    /// <summary>The notice's own values, as <see cref="DossierLetter.OwnView"/>.</summary>
    private protected abstract object NoticeView(CommonView common);
}
