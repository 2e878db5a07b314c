using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Dossiers.Rules;

/// <summary>
/// Nghị định 118/2025/NĐ-CP, forms of Thông tư 03/2025/TT-VPCP: dossiers received from 1/7/2025. Article references
/// are given where the project's domain notes state them (Điều 19 khoản 6 apology, Điều 21 stop, Điều 22 return,
/// Điều 28 dossier code); the others cite the decree.
/// </summary>
internal static class Nd118Of2025
{
    public const string Id = "nd118-2025";

    private const string Decree = "Nghị định số 118/2025/NĐ-CP";

    public static RuleSet RuleSet { get; } = new()
    {
        Id = Id,
        Title = "Nghị định 118/2025/NĐ-CP",
        LegalBasis = ["Nghị định số 118/2025/NĐ-CP", "Thông tư số 03/2025/TT-VPCP"],
        Circular = "Thông tư số 03/2025/TT-VPCP",
        InForceFrom = new DateOnly(2025, 7, 1),
        Forms = RuleSet.FormTable(
            new(FormKind.Receipt, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
            new(FormKind.SupplementRequest, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            new(FormKind.Refusal, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
            new(FormKind.Apology, "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
            new(FormKind.StopNotice, "05", "Thông báo dừng giải quyết hồ sơ"),
            new(FormKind.ControlSlip, "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            new(FormKind.TrackingBook, "07", "Sổ theo dõi hồ sơ", PaperSize.A4),
            new(FormKind.AppointmentNotice, "TB", CalendarChangeRule.NoticeTitle)),
        SupplementMode = new(
            Events.SupplementMode.Restart,
            $"{Decree}: thời hạn giải quyết được tính lại từ đầu khi nhận đủ hồ sơ đã bổ sung; mẫu 02 Thông tư số 03/2025/TT-VPCP"),
        SupplementClosingAfter = new(
            Duration.CalendarDays(15),
            $"{Decree}: quá 15 ngày kể từ ngày yêu cầu mà hồ sơ chưa được bổ sung thì Bộ phận Một cửa dừng giải quyết (mẫu 05, Điều 21)"),
        ApologyLeadTime = new(
            Duration.WorkingDays(1),
            $"khoản 6 Điều 19 {Decree}: văn bản xin lỗi gửi chậm nhất 01 ngày trước ngày hết hạn giải quyết"),
        OnlineAcceptanceLimit = new(
            Duration.WorkingHours(8),
            $"{Decree}: hồ sơ trực tuyến được tiếp nhận hoặc hướng dẫn bổ sung trong 08 giờ làm việc kể từ khi hệ thống nhận"),
        ApologyBoundBasis = "Nghị định số 118/2025/NĐ-CP và mẫu 04 Thông tư số 03/2025/TT-VPCP (xin lỗi và đề nghị gia hạn thời gian giải quyết, một lần): " +
            "thời gian gia hạn không vượt quá thời hạn giải quyết của thủ tục, tính từ ngày hẹn hiện tại",
    };
}
