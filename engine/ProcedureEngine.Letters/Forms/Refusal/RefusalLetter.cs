using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ.</summary>
public sealed record RefusalLetter : LetterData
{
    public override FormKind Kind => FormKind.Refusal;

    public override string TemplateName => "refusal";

    public required LetterApplicant Applicant { get; init; }

    public required string ProcedureName { get; init; }

    public required string Reason { get; init; }

    /// <summary>Legal basis of the refusal, when one is cited.</summary>
    public string? LegalBasis { get; init; }

    public LetterSignatory? Officer { get; init; }

    internal override object View(CommonView c, RuleSet rules) => new
    {
        C = c,
        Applicant = LetterViews.Applicant(Applicant),
        ProcedureName,
        Reason = LetterViews.Sentence(Reason),
        LegalBasis,
        Officer = LetterViews.Signatory(Officer, "Người tiếp nhận hồ sơ"),
    };
}
