using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>
/// Notice "TB": a new calendar version (a day off declared, a swap) moved the appointment; it names the decision,
/// the changed days, the appointment before and after. Issued by the receiving unit.
/// </summary>
public sealed record AppointmentNoticeLetter : LetterData
{
    public override FormKind Kind => FormKind.AppointmentNotice;

    public override string TemplateName => "appointment-notice";

    public required LetterApplicant Applicant { get; init; }

    public required string ProcedureName { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required DateTimeOffset PreviousAppointmentAt { get; init; }

    public required DateTimeOffset NewAppointmentAt { get; init; }

    /// <summary>The decision that changed the calendar and the days it changed, in words.</summary>
    public required string Reason { get; init; }

    public LetterSignatory? Signatory { get; init; }

    internal override object View(CommonView c, RuleSet rules) => new
    {
        C = c,
        Applicant = LetterViews.Applicant(Applicant),
        ProcedureName,
        ReceivedAt = VietnameseFormat.Date(ReceivedAt, UtcOffset),
        PreviousAppointmentAt = VietnameseFormat.DateTime(PreviousAppointmentAt, UtcOffset),
        NewAppointmentAt = VietnameseFormat.DateTime(NewAppointmentAt, UtcOffset),
        Reason = LetterViews.Sentence(Reason),
        Signatory = LetterViews.Signatory(Signatory, "Thủ trưởng cơ quan"),
    };
}
