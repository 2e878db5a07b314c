using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>
/// Form 05 under nd118-2025: Thông báo dừng giải quyết hồ sơ (withdrawal, or a supplement that never came). The
/// reason is e.g. "Theo đề nghị của người nộp hồ sơ" or the supplement deadline that passed.
/// </summary>
public sealed record WithdrawalNoticeLetter() : NoticeToApplicant(FormKind.StopNotice, "withdrawal-notice")
{
    /// <summary>When processing stopped.</summary>
    public required DateTimeOffset StoppedAt { get; init; }

    /// <summary>Where the applicant may take the dossier back.</summary>
    public string? ReturnPlace { get; init; }

    private protected override object NoticeView(CommonView c) => new
    {
        StoppedAt = VietnameseFormat.DateTime(StoppedAt, UtcOffset),
        ReturnPlace = string.IsNullOrWhiteSpace(ReturnPlace) ? c.AgencyName : ReturnPlace,
    };
}
