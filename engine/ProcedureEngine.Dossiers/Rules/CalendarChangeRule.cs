namespace ProcedureEngine.Dossiers.Rules;

/// <summary>
/// What a rule set does with an open dossier when a new calendar version changes working days inside its remaining
/// windows. The rule, applied by <c>Decider</c> on <c>ApplyCalendarChange</c>:
/// <list type="number">
/// <item>Each open step due and the appointment keep the office time that was left of their window at the change
/// (from the change, or from the stop when the clock is stopped for a supplement), counted again on the new
/// calendar: a new day off inside the window adds a working day, a Saturday worked removes one. A window counted
/// in calendar days only moves when its last day becomes a day off (to the next working day).</item>
/// <item>The appointment is never moved earlier than the one in force: it was promised to the applicant.</item>
/// <item>An appointment that now falls on a day off moves to the next working instant (07:30 of the next working day).</item>
/// <item>The applicant is told by a notice (<see cref="FormKind.AppointmentNotice"/>) whenever the appointment moves.</item>
/// </list>
/// </summary>
/// <param name="NeverEarlier">The appointment never moves earlier.</param>
/// <param name="DayOffToNextWorkingInstant">An appointment on a day off moves to the next working instant.</param>
/// <param name="LegalReasoning">Why, in Vietnamese, printed in the re-plan record and the notice.</param>
public sealed record CalendarChangeRule(bool NeverEarlier, bool DayOffToNextWorkingInstant, string LegalReasoning)
{
    public const string NoticeTitle = "Thông báo điều chỉnh ngày hẹn trả kết quả do thay đổi lịch làm việc";

    /// <summary>The rule of both nd61-2018 and nd118-2025.</summary>
    public static CalendarChangeRule Standard { get; } = new(
        NeverEarlier: true,
        DayOffToNextWorkingInstant: true,
        LegalReasoning:
            "Thời hạn giải quyết thủ tục hành chính được tính theo ngày làm việc, không tính ngày nghỉ lễ, nghỉ Tết và ngày nghỉ " +
            "theo quyết định của cơ quan có thẩm quyền, nên phần thời hạn còn lại của hồ sơ được tính lại theo lịch làm việc mới. " +
            "Ngày hẹn trả kết quả ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả là cam kết với người nộp hồ sơ nên không " +
            "bao giờ được đưa lên sớm hơn; ngày hẹn rơi vào ngày cơ quan không làm việc được dời sang thời điểm làm việc kế tiếp, " +
            "và người nộp hồ sơ được thông báo ngày hẹn mới.");
}
