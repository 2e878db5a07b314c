using System.Collections.Immutable;
using ProcedureEngine.Calendar;

namespace ProcedureEngine.Letters.Model;

/// <summary>An agency as printed in a letter's heading: its own name and, above it, the body it belongs to.</summary>
/// <param name="Name">e.g. "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh" (printed in capitals).</param>
/// <param name="ParentName">e.g. "UBND tỉnh Bắc Ninh"; null when the agency heads its own letters.</param>
public sealed record LetterAgency(string Name, string? ParentName = null);

/// <summary>The citizen or organisation the dossier belongs to.</summary>
public sealed record LetterApplicant(string Name, string? Phone = null, string? Address = null, string? Email = null);

/// <summary>A document of the dossier as listed in a letter.</summary>
/// <param name="Copies">Number of copies (bộ/bản) received or requested.</param>
/// <param name="Original">True when the original (bản chính) is meant, false for a copy (bản sao).</param>
/// <param name="Note">What is wrong or missing (supplement requests), or any remark.</param>
public sealed record LetterDocument(string Name, int Copies = 1, bool Original = false, string? Note = null);

/// <summary>Who signs a letter: the role printed above the signature and the person's name, if known.</summary>
public sealed record LetterSignatory(string Role, string? Name = null);

/// <summary>
/// The data of one legal form, independent of how the dossier engine stores events. A closed
/// hierarchy: one record per form. Every instant is printed in <see cref="UtcOffset"/> (Vietnam: +07:00).
/// </summary>
public abstract record LetterData
{
    private protected LetterData()
    {
    }

    /// <summary>"nd61-2018" or "nd118-2025": decides the form numbers, titles and wording.</summary>
    public required string RuleSetId { get; init; }

    /// <summary>The agency issuing the letter (top-left of the page).</summary>
    public required LetterAgency Agency { get; init; }

    /// <summary>When the letter is issued; printed as "{Place}, ngày dd tháng MM năm yyyy".</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Place name printed before the date, e.g. "Bắc Ninh"; dots when unknown.</summary>
    public string? Place { get; init; }

    /// <summary>Letter number after "Số:", e.g. "15/PXL"; a blank to fill in by hand when null.</summary>
    public string? Number { get; init; }

    /// <summary>Dossier code (mã hồ sơ), e.g. "000.00.07.H13-260424-0001"; null for a dossier refused before it got one.</summary>
    public string? DossierCode { get; init; }

    /// <summary>Public tracking page the QR code points at; no QR code when null.</summary>
    public string? TrackingUrl { get; init; }

    /// <summary>Offset the letter prints times in.</summary>
    public TimeSpan UtcOffset { get; init; } = TimeSpan.FromHours(7);

    /// <summary>The form this letter is.</summary>
    public abstract LetterKind Kind { get; }

    /// <summary>The public tracking address for a dossier code: {publicBaseUrl}/track/{code}.</summary>
    public static string TrackingUrlFor(string publicBaseUrl, string dossierCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicBaseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(dossierCode);
        return $"{publicBaseUrl.TrimEnd('/')}/track/{Uri.EscapeDataString(dossierCode)}";
    }
}

/// <summary>Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.</summary>
public sealed record ReceiptLetter : LetterData
{
    public override LetterKind Kind => LetterKind.Receipt;

    public required LetterApplicant Applicant { get; init; }

    /// <summary>What is requested: the procedure's name.</summary>
    public required string ProcedureName { get; init; }

    public ImmutableArray<LetterDocument> Documents { get; init; } = [];

    /// <summary>The legal time limit of the procedure (after any local reduction).</summary>
    public required Duration TimeLimit { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required DateTimeOffset AppointmentAt { get; init; }

    /// <summary>Where the result is collected, e.g. the one-stop counter's address.</summary>
    public string? ReturnPlace { get; init; }

    public LetterSignatory? ReceivingOfficer { get; init; }
}

/// <summary>Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.</summary>
public sealed record SupplementRequestLetter : LetterData
{
    public override LetterKind Kind => LetterKind.SupplementRequest;

    public required LetterApplicant Applicant { get; init; }

    public required string ProcedureName { get; init; }

    /// <summary>Everything the applicant must supply or correct, all at once.</summary>
    public ImmutableArray<LetterDocument> Documents { get; init; } = [];

    public string? Reason { get; init; }

    /// <summary>Date the dossier was received, when it was (a request during appraisal).</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The dossier is closed if the documents have not come by then.</summary>
    public DateTimeOffset? SupplyBy { get; init; }

    /// <summary>Agency (and phone) the applicant may ask for guidance.</summary>
    public string? ContactPoint { get; init; }

    public LetterSignatory? Officer { get; init; }
}

/// <summary>Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ.</summary>
public sealed record RefusalLetter : LetterData
{
    public override LetterKind Kind => LetterKind.Refusal;

    public required LetterApplicant Applicant { get; init; }

    public required string ProcedureName { get; init; }

    public required string Reason { get; init; }

    /// <summary>Legal basis of the refusal, when one is cited.</summary>
    public string? LegalBasis { get; init; }

    public LetterSignatory? Officer { get; init; }
}

/// <summary>
/// Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (nd61-2018), Văn bản xin lỗi và đề nghị gia hạn
/// thời gian giải quyết (nd118-2025). Issued by the agency at fault, signed by its head.
/// </summary>
public sealed record ApologyLetter : LetterData
{
    public override LetterKind Kind => LetterKind.Apology;

    public required LetterApplicant Applicant { get; init; }

    public required string ProcedureName { get; init; }

    /// <summary>The agency whose step is late; it issues and signs the letter.</summary>
    public required string AgencyAtFault { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required DateTimeOffset OriginalAppointmentAt { get; init; }

    public required string Reason { get; init; }

    public required DateTimeOffset NewAppointmentAt { get; init; }

    /// <summary>Head of the agency at fault; defaults to "Thủ trưởng cơ quan".</summary>
    public LetterSignatory? Signatory { get; init; }
}

/// <summary>Form 05 under nd118-2025: Thông báo dừng giải quyết hồ sơ (withdrawal, or a supplement that never came).</summary>
public sealed record WithdrawalNoticeLetter : LetterData
{
    public override LetterKind Kind => LetterKind.WithdrawalNotice;

    public required LetterApplicant Applicant { get; init; }

    public required string ProcedureName { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>When processing stopped.</summary>
    public required DateTimeOffset StoppedAt { get; init; }

    /// <summary>Why, e.g. "Theo đề nghị của người nộp hồ sơ" or the supplement deadline that passed.</summary>
    public required string Reason { get; init; }

    /// <summary>Where the applicant may take the dossier back.</summary>
    public string? ReturnPlace { get; init; }

    public LetterSignatory? Signatory { get; init; }
}

/// <summary>Result of one hand-over on the control slip, against the step's due instant.</summary>
public enum HandoverResult
{
    Early,
    OnTime,
    Late,
}

/// <summary>One hand-over of the paper dossier between agencies (a row of the control slip).</summary>
public sealed record ControlSlipRow(
    string FromAgency,
    string ToAgency,
    DateTimeOffset At)
{
    /// <summary>What the hand-over is for, e.g. the step's name.</summary>
    public string? Task { get; init; }

    public string? GivenBy { get; init; }

    public string? ReceivedBy { get; init; }

    /// <summary>Early / on time / late for the work handed over; null while still in progress.</summary>
    public HandoverResult? Result { get; init; }

    public string? Note { get; init; }
}

/// <summary>Control slip: Phiếu kiểm soát quá trình giải quyết hồ sơ (form 05 nd61-2018, 06 nd118-2025).</summary>
public sealed record ControlSlip : LetterData
{
    public override LetterKind Kind => LetterKind.ControlSlip;

    public required LetterApplicant Applicant { get; init; }

    public required string ProcedureName { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required DateTimeOffset DueAt { get; init; }

    public required string LeadAgency { get; init; }

    /// <summary>Agencies consulted in parallel (liên thông).</summary>
    public ImmutableArray<string> CoordinatingAgencies { get; init; } = [];

    public ImmutableArray<ControlSlipRow> Rows { get; init; } = [];
}

/// <summary>One dossier's line in the tracking book.</summary>
public sealed record TrackingBookRow(
    string DossierCode,
    string ProcedureName,
    LetterApplicant Applicant,
    string LeadAgency,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt)
{
    public DateTimeOffset? TransferredAt { get; init; }

    public DateTimeOffset? ResultReceivedAt { get; init; }

    public DateTimeOffset? ReturnedAt { get; init; }

    public string? Note { get; init; }
}

/// <summary>Tracking book: Sổ theo dõi hồ sơ (form 06 nd61-2018, 07 nd118-2025), printed on A4.</summary>
public sealed record TrackingBook : LetterData
{
    public override LetterKind Kind => LetterKind.TrackingBook;

    /// <summary>Period the book covers, e.g. the quarter; printed under the title when set.</summary>
    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    public ImmutableArray<TrackingBookRow> Rows { get; init; } = [];
}

/// <summary>
/// Notice "TB": a new calendar version (a day off declared, a swap) moved the appointment; it names the decision,
/// the changed days, the appointment before and after. Issued by the receiving unit.
/// </summary>
public sealed record AppointmentNoticeLetter : LetterData
{
    public override LetterKind Kind => LetterKind.AppointmentNotice;

    public required LetterApplicant Applicant { get; init; }

    public required string ProcedureName { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required DateTimeOffset PreviousAppointmentAt { get; init; }

    public required DateTimeOffset NewAppointmentAt { get; init; }

    /// <summary>The decision that changed the calendar and the days it changed, in words.</summary>
    public required string Reason { get; init; }

    public LetterSignatory? Signatory { get; init; }
}
