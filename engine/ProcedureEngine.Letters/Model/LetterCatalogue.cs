using System.Collections.Frozen;

namespace ProcedureEngine.Letters.Model;

/// <summary>The legal forms the engine prints, whatever their number under a given rule set.</summary>
public enum LetterKind
{
    Receipt,
    SupplementRequest,
    Refusal,
    Apology,
    WithdrawalNotice,
    ControlSlip,
    TrackingBook,

    /// <summary>The appointment moved because the calendar changed (no numbered form in either circular: "TB").</summary>
    AppointmentNotice,
}

/// <summary>Paper size of a printed form.</summary>
public enum PaperSize
{
    A5,
    A4,
}

/// <summary>One form of a rule set: its number ("01"), its official title and its paper size.</summary>
public sealed record LetterFormInfo(string RuleSetId, LetterKind Kind, string Number, string Title, PaperSize Paper);

/// <summary>
/// Form numbers and titles per rule set: Thông tư 01/2018/TT-VPCP (<c>nd61-2018</c>) and
/// Thông tư 03/2025/TT-VPCP (<c>nd118-2025</c>).
/// </summary>
public static class LetterCatalogue
{
    public const string Nd61 = "nd61-2018";
    public const string Nd118 = "nd118-2025";

    /// <summary>Title of the notice issued when a calendar change moves the appointment (the rule set's CalendarChangeRule.NoticeTitle).</summary>
    public const string AppointmentNoticeTitle = "Thông báo điều chỉnh ngày hẹn trả kết quả do thay đổi lịch làm việc";

    private static readonly FrozenDictionary<string, IReadOnlyList<LetterFormInfo>> Forms =
        new Dictionary<string, IReadOnlyList<LetterFormInfo>>
        {
            [Nd61] =
            [
                new(Nd61, LetterKind.Receipt, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", PaperSize.A5),
                new(Nd61, LetterKind.SupplementRequest, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", PaperSize.A5),
                new(Nd61, LetterKind.Refusal, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", PaperSize.A5),
                new(Nd61, LetterKind.Apology, "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", PaperSize.A5),
                new(Nd61, LetterKind.ControlSlip, "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", PaperSize.A5),
                new(Nd61, LetterKind.TrackingBook, "06", "Sổ theo dõi hồ sơ", PaperSize.A4),
                new(Nd61, LetterKind.AppointmentNotice, "TB", AppointmentNoticeTitle, PaperSize.A5),
            ],
            [Nd118] =
            [
                new(Nd118, LetterKind.Receipt, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", PaperSize.A5),
                new(Nd118, LetterKind.SupplementRequest, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", PaperSize.A5),
                new(Nd118, LetterKind.Refusal, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", PaperSize.A5),
                new(Nd118, LetterKind.Apology, "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", PaperSize.A5),
                new(Nd118, LetterKind.WithdrawalNotice, "05", "Thông báo dừng giải quyết hồ sơ", PaperSize.A5),
                new(Nd118, LetterKind.ControlSlip, "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", PaperSize.A5),
                new(Nd118, LetterKind.TrackingBook, "07", "Sổ theo dõi hồ sơ", PaperSize.A4),
                new(Nd118, LetterKind.AppointmentNotice, "TB", AppointmentNoticeTitle, PaperSize.A5),
            ],
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The rule sets known to the letters, oldest first.</summary>
    public static IReadOnlyList<string> RuleSets { get; } = [Nd61, Nd118];

    /// <summary>Every form of a rule set, in number order.</summary>
    public static IReadOnlyList<LetterFormInfo> FormsOf(string ruleSetId) =>
        Forms.TryGetValue(ruleSetId, out var forms)
            ? forms
            : throw new ArgumentException($"unknown rule set '{ruleSetId}'; expected {Nd61} or {Nd118}", nameof(ruleSetId));

    /// <summary>The form of a kind under a rule set; false when the rule set has no such form (no stop notice under nd61-2018).</summary>
    public static bool TryGet(string ruleSetId, LetterKind kind, out LetterFormInfo form)
    {
        form = null!;
        if (!Forms.TryGetValue(ruleSetId, out var forms))
        {
            return false;
        }

        foreach (var f in forms)
        {
            if (f.Kind == kind)
            {
                form = f;
                return true;
            }
        }

        return false;
    }

    /// <summary>The form of a kind under a rule set, or a clear error when it has none.</summary>
    public static LetterFormInfo Get(string ruleSetId, LetterKind kind) =>
        TryGet(ruleSetId, kind, out var form)
            ? form
            : throw new ArgumentException(
                Forms.ContainsKey(ruleSetId)
                    ? $"rule set '{ruleSetId}' has no form for {kind}"
                    : $"unknown rule set '{ruleSetId}'; expected {Nd61} or {Nd118}",
                nameof(kind));

    /// <summary>Short ASCII name of a form, used for template and file names: "receipt", "control-slip".</summary>
    public static string Slug(LetterKind kind) => kind switch
    {
        LetterKind.Receipt => "receipt",
        LetterKind.SupplementRequest => "supplement-request",
        LetterKind.Refusal => "refusal",
        LetterKind.Apology => "apology",
        LetterKind.WithdrawalNotice => "withdrawal-notice",
        LetterKind.ControlSlip => "control-slip",
        LetterKind.TrackingBook => "tracking-book",
        LetterKind.AppointmentNotice => "appointment-notice",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown letter kind"),
    };

    /// <summary>The form with a given number ("05") under a rule set.</summary>
    public static bool TryGetByNumber(string ruleSetId, string number, out LetterFormInfo form)
    {
        form = null!;
        if (!Forms.TryGetValue(ruleSetId, out var forms))
        {
            return false;
        }

        var normalized = number.Trim().PadLeft(2, '0');
        foreach (var f in forms)
        {
            if (f.Number == normalized)
            {
                form = f;
                return true;
            }
        }

        return false;
    }
}
