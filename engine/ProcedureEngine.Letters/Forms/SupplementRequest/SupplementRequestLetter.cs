using System.Collections.Immutable;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.</summary>
public sealed record SupplementRequestLetter() : DossierLetter(FormKind.SupplementRequest, "supplement-request")
{
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

    private protected override object OwnView(CommonView c, RuleSet rules) => new
    {
        Documents = LetterViews.Documents(Documents),
        Reason = LetterViews.Sentence(Reason),
        ReceivedAt = ReceivedAt is { } at ? VietnameseFormat.Date(at, UtcOffset) : null,
        SupplyBy = SupplyBy is { } by ? VietnameseFormat.Date(by, UtcOffset) : null,
        ContactPoint = string.IsNullOrWhiteSpace(ContactPoint) ? c.AgencyName : ContactPoint,
        Officer = LetterViews.Signatory(Officer, "Người hướng dẫn"),

        // How the clock runs while the applicant completes the dossier: the rule set's rule, not its id.
        ClockRestarts = rules.SupplementMode.Value == SupplementMode.Restart,
    };
}
