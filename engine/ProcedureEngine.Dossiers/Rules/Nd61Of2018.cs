using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Dossiers.Rules;

/// <summary>
/// Nghị định 61/2018/NĐ-CP as amended by 107/2021/NĐ-CP, forms of Thông tư 01/2018/TT-VPCP: dossiers received up to
/// 30/6/2025. Article references are given where the project's domain notes state them; the others cite the decree.
/// </summary>
internal static class Nd61Of2018
{
    public const string Id = "nd61-2018";

    private const string Decree = "Nghị định số 61/2018/NĐ-CP (sửa đổi, bổ sung bởi Nghị định số 107/2021/NĐ-CP)";

    public static RuleSet RuleSet { get; } = new()
    {
        Id = Id,
        Title = "Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)",
        LegalBasis = ["Nghị định số 61/2018/NĐ-CP", "Nghị định số 107/2021/NĐ-CP", "Thông tư số 01/2018/TT-VPCP"],
        Circular = "Thông tư số 01/2018/TT-VPCP",
        InForceFrom = DateOnly.MinValue,
        InForceUntil = new DateOnly(2025, 6, 30),
        Forms = RuleSet.FormTable(
            new(FormKind.Receipt, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
            new(FormKind.SupplementRequest, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            new(FormKind.Refusal, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
            new(FormKind.Apology, "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
            new(FormKind.ControlSlip, "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            new(FormKind.TrackingBook, "06", "Sổ theo dõi hồ sơ", PaperSize.A4),
            new(FormKind.AppointmentNotice, "TB", CalendarChangeRule.NoticeTitle)),
        SupplementMode = new(
            Events.SupplementMode.Pause,
            $"{Decree}: thời gian bổ sung, hoàn thiện hồ sơ không tính vào thời hạn giải quyết; mẫu 02 Thông tư số 01/2018/TT-VPCP"),
        SupplementClosingAfter = new(
            Duration.CalendarDays(15),
            "hồ sơ không được bổ sung sau 15 ngày kể từ ngày yêu cầu thì dừng giải quyết: thời hạn hệ thống áp dụng thống nhất với Nghị định số 118/2025/NĐ-CP"),
        ApologyLeadTime = new(
            Duration.WorkingDays(1),
            "khoản 6 Điều 19 Nghị định số 61/2018/NĐ-CP: văn bản xin lỗi gửi chậm nhất 01 ngày trước ngày hết hạn giải quyết"),
        OnlineAcceptanceLimit = new(
            Duration.WorkingHours(8),
            $"{Decree}: hồ sơ trực tuyến được tiếp nhận hoặc hướng dẫn bổ sung trong 08 giờ làm việc"),
        ApologyBoundBasis = "khoản 6 Điều 19 Nghị định số 61/2018/NĐ-CP: ngày hẹn trả kết quả chỉ được điều chỉnh một lần; " +
            "ngày hẹn mới không muộn hơn ngày hẹn hiện tại cộng thời hạn giải quyết của thủ tục",
    };
}
