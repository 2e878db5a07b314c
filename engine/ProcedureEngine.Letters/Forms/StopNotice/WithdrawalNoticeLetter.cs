using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>Form 05 under nd118-2025: Thông báo dừng giải quyết hồ sơ (withdrawal, or a supplement that never came).</summary>
public sealed record WithdrawalNoticeLetter : LetterData
{
    public override FormKind Kind => FormKind.StopNotice;

    public override string TemplateName => "withdrawal-notice";

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

    internal override object View(CommonView c, RuleSet rules) => new
    {
        C = c,
        Applicant = LetterViews.Applicant(Applicant),
        ProcedureName,
        ReceivedAt = VietnameseFormat.Date(ReceivedAt, UtcOffset),
        StoppedAt = VietnameseFormat.DateTime(StoppedAt, UtcOffset),
        Reason = LetterViews.Sentence(Reason),
        ReturnPlace = string.IsNullOrWhiteSpace(ReturnPlace) ? c.AgencyName : ReturnPlace,
        Signatory = LetterViews.Signatory(Signatory, "Thủ trưởng cơ quan"),
    };
}
