using System.Collections.Frozen;
using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Dossiers.Rules;

/// <summary>The kinds of legal form the engine issues or keeps; numbers differ between rule sets.</summary>
public enum FormKind
{
    /// <summary>Giấy tiếp nhận hồ sơ và hẹn trả kết quả.</summary>
    Receipt,

    /// <summary>Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.</summary>
    SupplementRequest,

    /// <summary>Phiếu từ chối tiếp nhận giải quyết hồ sơ.</summary>
    Refusal,

    /// <summary>Apology and new appointment (nd61) / apology and extension request (nd118).</summary>
    Apology,

    /// <summary>Thông báo dừng giải quyết hồ sơ (nd118-2025 only).</summary>
    StopNotice,

    /// <summary>Phiếu kiểm soát quá trình giải quyết hồ sơ.</summary>
    ControlSlip,

    /// <summary>
    /// Thông báo điều chỉnh ngày hẹn trả kết quả do thay đổi lịch làm việc: not a numbered form of either circular
    /// (none foresees a calendar change); the engine issues it under the number "TB".
    /// </summary>
    AppointmentNotice,

    /// <summary>Sổ theo dõi hồ sơ.</summary>
    TrackingBook,
}

/// <summary>A form of a rule set: its number ("01") and official title.</summary>
public sealed record FormInfo(FormKind Kind, string Number, string Title);

/// <summary>
/// The legal regime a dossier runs under, chosen by its receipt date and kept to the end:
/// forms, supplement behaviour, closing and apology rules, online acceptance limit.
/// </summary>
public sealed record RuleSet
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>Legal basis printed on letters.</summary>
    public required ImmutableArray<string> LegalBasis { get; init; }

    /// <summary>First receipt date the rule set governs (inclusive).</summary>
    public required DateOnly InForceFrom { get; init; }

    /// <summary>Last receipt date the rule set governs (inclusive); null: still in force.</summary>
    public DateOnly? InForceUntil { get; init; }

    public required FrozenDictionary<FormKind, FormInfo> Forms { get; init; }

    public required SupplementMode SupplementMode { get; init; }

    /// <summary>A dossier whose requested documents have not come back after this long is closed (15 days).</summary>
    public Duration SupplementClosingAfter { get; init; } = Duration.CalendarDays(15);

    /// <summary>How long before the appointment the apology must be issued at the latest (1 working day).</summary>
    public Duration ApologyLeadTime { get; init; } = Duration.WorkingDays(1);

    /// <summary>
    /// Why an apology's new appointment is bounded, as printed in a refusal. The law lets the appointment be re-set
    /// once and fixes no maximum; the rule set bounds it by <see cref="LatestNewAppointment"/>.
    /// </summary>
    public required string ApologyBoundBasis { get; init; }

    /// <summary>
    /// The latest new appointment an apology may set: the appointment in force plus the procedure's own time limit,
    /// counted on the dossier's calendar (as long again as the law gave for the whole dossier, never open-ended).
    /// </summary>
    public DateTimeOffset LatestNewAppointment(IWorkingCalendar calendar, DateTimeOffset current, Duration timeLimit)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.Add(current, timeLimit);
    }

    /// <summary>Online dossiers must be accepted or sent back within this time (8 working hours).</summary>
    public Duration OnlineAcceptanceLimit { get; init; } = Duration.WorkingHours(8);

    /// <summary>Warn a step's agency this long before its due instant (capped at a quarter of the step's budget).</summary>
    public Duration WarningLeadTime { get; init; } = Duration.WorkingDays(1);

    /// <summary>How open dossiers are re-planned when the calendar changes (the appointment rule and its legal reasoning).</summary>
    public CalendarChangeRule CalendarChange { get; init; } = CalendarChangeRule.Standard;

    /// <summary>The form of that kind, or null when this rule set has none (e.g. no stop notice under nd61-2018).</summary>
    public FormInfo? Form(FormKind kind) => Forms.GetValueOrDefault(kind);

    public bool GovernsReceiptOn(DateOnly day) => day >= InForceFrom && (InForceUntil is null || day <= InForceUntil.Value);
}

/// <summary>The rule sets the engine knows, by id and by receipt date.</summary>
public static class RuleSets
{
    public const string Nd61Id = "nd61-2018";
    public const string Nd118Id = "nd118-2025";

    /// <summary>Nghị định 61/2018/NĐ-CP as amended by 107/2021/NĐ-CP; forms of Thông tư 01/2018/TT-VPCP.</summary>
    public static RuleSet Nd61 { get; } = new()
    {
        Id = Nd61Id,
        Title = "Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)",
        LegalBasis = ["Nghị định số 61/2018/NĐ-CP", "Nghị định số 107/2021/NĐ-CP", "Thông tư số 01/2018/TT-VPCP"],
        InForceFrom = DateOnly.MinValue,
        InForceUntil = new DateOnly(2025, 6, 30),
        SupplementMode = SupplementMode.Pause,
        ApologyBoundBasis = "khoản 6 Điều 19 Nghị định số 61/2018/NĐ-CP: ngày hẹn trả kết quả chỉ được điều chỉnh một lần; " +
            "ngày hẹn mới không muộn hơn ngày hẹn hiện tại cộng thời hạn giải quyết của thủ tục",
        Forms = Catalogue(
            (FormKind.Receipt, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
            (FormKind.SupplementRequest, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            (FormKind.Refusal, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
            (FormKind.Apology, "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
            (FormKind.ControlSlip, "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            (FormKind.TrackingBook, "06", "Sổ theo dõi hồ sơ"),
            (FormKind.AppointmentNotice, "TB", CalendarChangeRule.NoticeTitle)),
    };

    /// <summary>Nghị định 118/2025/NĐ-CP; forms of Thông tư 03/2025/TT-VPCP.</summary>
    public static RuleSet Nd118 { get; } = new()
    {
        Id = Nd118Id,
        Title = "Nghị định 118/2025/NĐ-CP",
        LegalBasis = ["Nghị định số 118/2025/NĐ-CP", "Thông tư số 03/2025/TT-VPCP"],
        InForceFrom = new DateOnly(2025, 7, 1),
        SupplementMode = SupplementMode.Restart,
        ApologyBoundBasis = "Nghị định số 118/2025/NĐ-CP và mẫu 04 Thông tư số 03/2025/TT-VPCP (xin lỗi và đề nghị gia hạn thời gian giải quyết, một lần): " +
            "thời gian gia hạn không vượt quá thời hạn giải quyết của thủ tục, tính từ ngày hẹn hiện tại",
        Forms = Catalogue(
            (FormKind.Receipt, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
            (FormKind.SupplementRequest, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            (FormKind.Refusal, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
            (FormKind.Apology, "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
            (FormKind.StopNotice, "05", "Thông báo dừng giải quyết hồ sơ"),
            (FormKind.ControlSlip, "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            (FormKind.TrackingBook, "07", "Sổ theo dõi hồ sơ"),
            (FormKind.AppointmentNotice, "TB", CalendarChangeRule.NoticeTitle)),
    };

    public static ImmutableArray<RuleSet> All { get; } = [Nd61, Nd118];

    /// <summary>The rule set governing a dossier received on <paramref name="receivedOn"/> (local date).</summary>
    public static RuleSet ForReceipt(DateOnly receivedOn) => receivedOn >= Nd118.InForceFrom ? Nd118 : Nd61;

    public static RuleSet? Find(string id) => id switch
    {
        Nd61Id => Nd61,
        Nd118Id => Nd118,
        _ => null,
    };

    private static FrozenDictionary<FormKind, FormInfo> Catalogue(params (FormKind Kind, string Number, string Title)[] forms) =>
        forms.ToFrozenDictionary(f => f.Kind, f => new FormInfo(f.Kind, f.Number, f.Title));
}

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
