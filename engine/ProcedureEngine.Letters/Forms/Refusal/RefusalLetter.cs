using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ.</summary>
public sealed record RefusalLetter() : DossierLetter(FormKind.Refusal, "refusal")
{
    public required string Reason { get; init; }

    /// <summary>Legal basis of the refusal, when one is cited.</summary>
    public string? LegalBasis { get; init; }

    public LetterSignatory? Officer { get; init; }

    private protected override object OwnView(CommonView c, RuleSet rules) => new
    {
        Reason = LetterViews.Sentence(Reason),
        LegalBasis,
        Officer = LetterViews.Signatory(Officer, "Người tiếp nhận hồ sơ"),
    };
}
