using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>
/// Notice "TB": a new calendar version (a day off declared, a swap) moved the appointment; it names the decision,
/// the changed days (the reason, in words), the appointment before and after. Issued by the receiving unit.
/// </summary>
public sealed record AppointmentNoticeLetter() : NoticeToApplicant(FormKind.AppointmentNotice, "appointment-notice")
{
    public required DateTimeOffset PreviousAppointmentAt { get; init; }

    public required DateTimeOffset NewAppointmentAt { get; init; }

    private protected override object NoticeView(CommonView c) => new
    {
        PreviousAppointmentAt = VietnameseFormat.DateTime(PreviousAppointmentAt, UtcOffset),
        NewAppointmentAt = VietnameseFormat.DateTime(NewAppointmentAt, UtcOffset),
    };
}
