using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Model;

namespace ProcedureEngine.Letters.Tests;

/// <summary>Letters of one construction-permit dossier received on Friday 24 April 2026 at 09:00 (+07:00).</summary>
internal static class SampleLetters
{
    public static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    public const string Code = "000.00.07.H13-260424-0001";
    public const string Procedure = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ";
    public static readonly DateTimeOffset Received = new(2026, 4, 24, 9, 0, 0, Vn);
    public static readonly DateTimeOffset Appointment = new(2026, 5, 19, 9, 0, 0, Vn);

    public static readonly LetterAgency OneStop = new("Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh", "UBND tỉnh Bắc Ninh");

    public static readonly LetterApplicant Applicant = new("Nguyễn Văn A", "0912 345 678", "Số 12 đường Lý Thái Tổ, phường Suối Hoa, tỉnh Bắc Ninh");

    public static ReceiptLetter Receipt(string ruleSet = RuleSets.Nd118Id) => new()
    {
        RuleSetId = ruleSet,
        Agency = OneStop,
        Place = "Bắc Ninh",
        IssuedAt = Received,
        DossierCode = Code,
        TrackingUrl = LetterData.TrackingUrlFor("https://dichvucong.bacninh.gov.vn/", Code),
        Applicant = Applicant,
        ProcedureName = Procedure,
        Documents =
        [
            new("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01 Phụ lục II Nghị định 15/2021/NĐ-CP)", 1, true),
            new("Bản vẽ thiết kế xây dựng", 2),
            new("Văn bản thẩm duyệt thiết kế về PCCC", 1),
        ],
        TimeLimit = Duration.WorkingDays(15),
        ReceivedAt = Received,
        AppointmentAt = Appointment,
        ReturnPlace = "Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh",
        ReceivingOfficer = new LetterSignatory("Người tiếp nhận hồ sơ", "Trần Thị B"),
    };

    public static ApologyLetter Apology(string ruleSet = RuleSets.Nd118Id) => new()
    {
        RuleSetId = ruleSet,
        Agency = new LetterAgency("Sở Xây dựng", "UBND tỉnh Bắc Ninh"),
        Place = "Bắc Ninh",
        IssuedAt = new DateTimeOffset(2026, 5, 18, 8, 0, 0, Vn),
        DossierCode = Code,
        TrackingUrl = LetterData.TrackingUrlFor("https://dichvucong.bacninh.gov.vn", Code),
        Applicant = Applicant,
        ProcedureName = Procedure,
        AgencyAtFault = "Sở Xây dựng",
        ReceivedAt = Received,
        OriginalAppointmentAt = Appointment,
        Reason = "Hồ sơ phải lấy thêm ý kiến của Phòng Cảnh sát PCCC và CNCH.",
        NewAppointmentAt = new DateTimeOffset(2026, 5, 26, 14, 30, 0, Vn),
        Signatory = new LetterSignatory("Giám đốc", "Lê Văn C"),
    };

    public static SupplementRequestLetter Supplement(string ruleSet = RuleSets.Nd118Id) => new()
    {
        RuleSetId = ruleSet,
        Agency = OneStop,
        Place = "Bắc Ninh",
        IssuedAt = new DateTimeOffset(2026, 5, 4, 8, 0, 0, Vn),
        DossierCode = Code,
        Applicant = Applicant,
        ProcedureName = Procedure,
        Documents = [new("Bản vẽ thiết kế xây dựng", 2, Note: "thiếu bản vẽ mặt cắt")],
        Reason = "Bản vẽ thiếu mặt cắt",
        ReceivedAt = Received,
        SupplyBy = new DateTimeOffset(2026, 5, 19, 17, 0, 0, Vn),
        Officer = new LetterSignatory("Người hướng dẫn", "Trần Thị B"),
    };

    public static RefusalLetter Refusal(string ruleSet = RuleSets.Nd118Id) => new()
    {
        RuleSetId = ruleSet,
        Agency = OneStop,
        Place = "Bắc Ninh",
        IssuedAt = Received,
        Applicant = Applicant,
        ProcedureName = Procedure,
        Reason = "Công trình không thuộc thẩm quyền cấp phép của Sở Xây dựng",
        Officer = new LetterSignatory("Người tiếp nhận hồ sơ", "Trần Thị B"),
    };

    public static WithdrawalNoticeLetter Withdrawal() => new()
    {
        RuleSetId = RuleSets.Nd118Id,
        Agency = OneStop,
        Place = "Bắc Ninh",
        IssuedAt = new DateTimeOffset(2026, 5, 6, 10, 0, 0, Vn),
        DossierCode = Code,
        Applicant = Applicant,
        ProcedureName = Procedure,
        ReceivedAt = Received,
        StoppedAt = new DateTimeOffset(2026, 5, 6, 10, 0, 0, Vn),
        Reason = "Theo đề nghị rút hồ sơ của người nộp hồ sơ",
    };

    public static AppointmentNoticeLetter AppointmentNotice(string ruleSet = RuleSets.Nd118Id) => new()
    {
        RuleSetId = ruleSet,
        Agency = OneStop,
        Place = "Bắc Ninh",
        IssuedAt = new DateTimeOffset(2026, 5, 4, 8, 0, 0, Vn),
        DossierCode = Code,
        Applicant = Applicant,
        ProcedureName = Procedure,
        ReceivedAt = Received,
        PreviousAppointmentAt = Appointment,
        NewAppointmentAt = new DateTimeOffset(2026, 5, 20, 9, 0, 0, Vn),
        Reason = "Quyết định của Chủ tịch UBND tỉnh cho nghỉ ngày 19/05/2026",
    };

    public static ControlSlip ControlSlip(string ruleSet = RuleSets.Nd118Id) => new()
    {
        RuleSetId = ruleSet,
        Agency = OneStop,
        Place = "Bắc Ninh",
        IssuedAt = Received,
        DossierCode = Code,
        Applicant = Applicant,
        ProcedureName = Procedure,
        ReceivedAt = Received,
        DueAt = Appointment,
        LeadAgency = "Sở Xây dựng",
        CoordinatingAgencies = ["Phòng Cảnh sát PCCC và CNCH - Công an tỉnh"],
        Rows =
        [
            new("Trung tâm Phục vụ hành chính công", "Sở Xây dựng", new DateTimeOffset(2026, 4, 24, 11, 0, 0, Vn))
            {
                Task = "Thẩm định hồ sơ", GivenBy = "Trần Thị B", ReceivedBy = "Phạm Văn D", Result = HandoverResult.Early,
            },
            new("Sở Xây dựng", "Trung tâm Phục vụ hành chính công", new DateTimeOffset(2026, 5, 20, 15, 0, 0, Vn))
            {
                Task = "Trả kết quả", Result = HandoverResult.Late, Note = "Đã có văn bản xin lỗi",
            },
        ],
    };

    public static TrackingBook Book() => new()
    {
        RuleSetId = RuleSets.Nd61Id,
        Agency = OneStop,
        Place = "Bắc Ninh",
        IssuedAt = new DateTimeOffset(2026, 6, 30, 17, 0, 0, Vn),
        From = new DateOnly(2026, 4, 1),
        To = new DateOnly(2026, 6, 30),
        Rows =
        [
            new(Code, Procedure, Applicant, "Sở Xây dựng", Received, Appointment)
            {
                TransferredAt = Received.AddHours(2),
                ResultReceivedAt = Appointment.AddDays(-1),
                ReturnedAt = Appointment,
            },
            new("000.00.07.H13-260424-0002", "Gia hạn giấy phép xây dựng", new LetterApplicant("Công ty TNHH Xây dựng Hòa Bình"), "Sở Xây dựng", Received.AddHours(1), Received.AddDays(7)),
        ],
    };
}
