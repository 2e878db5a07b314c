using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>
/// Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (nd61-2018), Văn bản xin lỗi và đề nghị gia hạn
/// thời gian giải quyết (nd118-2025). Issued by the agency at fault, signed by its head.
/// </summary>
public sealed record ApologyLetter : LetterData
{
    public override FormKind Kind => FormKind.Apology;

    public override string TemplateName => "apology";

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

    internal override object View(CommonView c, RuleSet rules) => new
    {
        C = c,
        Applicant = LetterViews.Applicant(Applicant),
        ProcedureName,
        AgencyAtFault,
        ReceivedAt = VietnameseFormat.Date(ReceivedAt, UtcOffset),
        OriginalAppointmentAt = VietnameseFormat.DateTime(OriginalAppointmentAt, UtcOffset),
        Reason = LetterViews.Sentence(Reason),
        NewAppointmentAt = VietnameseFormat.DateTime(NewAppointmentAt, UtcOffset),
        Signatory = LetterViews.Signatory(Signatory, "Thủ trưởng cơ quan"),
    };
}
