namespace ProcedureEngine.Dossiers.Rules;

/// <summary>The kinds of legal form the engine issues or keeps; numbers and titles belong to each rule set.</summary>
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

    /// <summary>Thông báo dừng giải quyết hồ sơ (nd118-2025 only): a withdrawal, or a supplement that never came.</summary>
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

/// <summary>Paper size of a printed form.</summary>
public enum PaperSize
{
    A5,
    A4,
}

/// <summary>A form of a rule set: its number ("01"), official title and paper size.</summary>
public sealed record FormInfo(FormKind Kind, string Number, string Title, PaperSize Paper = PaperSize.A5);

/// <summary>A rule's value and the legal text that sets it (article, clause, decree), kept side by side.</summary>
/// <param name="Value">What the rule says, e.g. 15 calendar days.</param>
/// <param name="Basis">Where the law says it, in Vietnamese, e.g. "khoản 6 Điều 19 Nghị định số 61/2018/NĐ-CP".</param>
public sealed record LegalRule<T>(T Value, string Basis);
