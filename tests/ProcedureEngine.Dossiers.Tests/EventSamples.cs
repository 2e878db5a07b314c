using System.Collections.Immutable;
using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Dossiers.Tests;

/// <summary>One filled-in instance of every event type.</summary>
internal static class EventSamples
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly DateTimeOffset T = new(2026, 4, 24, 9, 0, 0, Vn);
    private static readonly Actor Officer = new("cb-motcua-01", "one-stop");
    private static readonly DocumentEntry Form = new("don-de-nghi", "Đơn đề nghị cấp giấy phép xây dựng", 1, true);

    public static IReadOnlyList<DossierEvent> All() =>
    [
        new DossierSubmitted(T, "d-1", "1.009792", 3, new Applicant("Nguyễn Văn A") { Kind = "individual", Phone = "0912345678" },
            ImmutableDictionary<string, string>.Empty.Add("works.fireRisk", "true"), [Form], T.AddHours(8)),
        new ReceiptGuidanceIssued(T, "d-1", "1.009792", 3, "nd118-2025", Officer, new Applicant("Nguyễn Văn A"), [Form], []),
        new DossierReceived(T, "d-1", "000.00.07.H13-260424-0001", "1.009792", 3, "Cấp giấy phép xây dựng", "nd118-2025", "bac-ninh",
            Channel.Counter, Officer, "Bộ phận Một cửa", new Applicant("Nguyễn Văn A"), ImmutableDictionary<string, string>.Empty.Add("works.grade", "III"),
            [Form], "15 working days", T, T.AddDays(25),
            [new PlannedStep("receive", "Tiếp nhận", "one-stop", "Bộ phận Một cửa", []), new PlannedStep("return", "Trả kết quả", "one-stop", "Bộ phận Một cửa", ["receive"]) { IsReturn = true }]),
        new DossierRefused(T, "d-1", Officer, "Không thuộc thẩm quyền", null) { Applicant = new Applicant("Nguyễn Văn A"), ProcedureCode = "1.009792", ProcedureVersion = 3, RuleSet = "nd118-2025" },
        new SupplementRequested(T, new Actor("sxd-01", "so-xay-dung"), "appraise", [Form], "Bản vẽ thiếu mặt cắt", SupplementMode.Restart, T.AddDays(16)),
        new SupplementProvided(T, new Actor("applicant", "applicant"), [Form], T.AddDays(30), [new StepDue("appraise", T.AddDays(12))]),
        new StepStarted(T, "appraise", "so-xay-dung", T.AddDays(12)),
        new StepCompleted(T, new Actor("sxd-01", "so-xay-dung"), "appraise", "approved", T.AddDays(12), "đạt"),
        new StepSkipped(T, "consult-fire", "điều kiện không thỏa"),
        new DeadlineWarning(T, "appraise", "so-xay-dung", T.AddDays(1)),
        new StepOverdue(T, "appraise", "so-xay-dung", T.AddDays(-1)),
        new DossierOverdue(T, T.AddHours(-1), Breach: true),
        new ApologyIssued(T, null, "so-xay-dung", "Sở Xây dựng", "appraise", "Bước thẩm định quá hạn", T.AddDays(1), T.AddDays(5), Automatic: true),
        new ResultReady(T, "approved"),
        new ResultReturned(T, Officer, T.AddDays(1), OnTime: true),
        new DossierWithdrawn(T, new Actor("applicant", "applicant"), "Không có nhu cầu"),
        new DossierClosed(T, T.AddDays(-16), T.AddDays(-1), "Quá 15 ngày không bổ sung"),
        new DossierEvaluated(T, null, 5, "Tốt"),
        new AcceptanceOverdue(T, T.AddDays(-2), T.AddDays(-1)),
        new DossierReplanned(T, "vn", 2, "Quyết định số 1/QĐ-TTg", [new DateOnly(2026, 11, 24)], T.AddDays(10), T.AddDays(11),
            [new StepDue("appraise", T.AddDays(5))], [new StepDue("appraise", T.AddDays(6))], "Lịch làm việc vn phiên bản 2 thay đổi các ngày 24/11/2026."),
    ];
}
