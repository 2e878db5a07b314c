using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.</summary>
public sealed record ReceiptLetter() : DossierLetter(FormKind.Receipt, "receipt")
{
    public ImmutableArray<LetterDocument> Documents { get; init; } = [];

    /// <summary>The legal time limit of the procedure (after any local reduction).</summary>
    public required Duration TimeLimit { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required DateTimeOffset AppointmentAt { get; init; }

    /// <summary>Where the result is collected, e.g. the one-stop counter's address.</summary>
    public string? ReturnPlace { get; init; }

    public LetterSignatory? ReceivingOfficer { get; init; }

    private protected override object OwnView(CommonView c, RuleSet rules) => new
    {
        Documents = LetterViews.Documents(Documents),
        DocumentCount = Documents.Length,
        TimeLimit = VietnameseFormat.Duration(TimeLimit),
        ReceivedAt = VietnameseFormat.DateTime(ReceivedAt, UtcOffset),
        AppointmentAt = VietnameseFormat.DateTime(AppointmentAt, UtcOffset),
        ReturnPlace = string.IsNullOrWhiteSpace(ReturnPlace) ? c.AgencyName : ReturnPlace,
        Officer = LetterViews.Signatory(ReceivingOfficer, "Người tiếp nhận hồ sơ"),
    };
}
