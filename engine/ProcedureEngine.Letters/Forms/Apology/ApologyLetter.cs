using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>
/// Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (nd61-2018), Văn bản xin lỗi và đề nghị gia hạn
/// thời gian giải quyết (nd118-2025). Issued by the agency at fault, signed by its head; the reason is why its step is late.
/// </summary>
public sealed record ApologyLetter() : NoticeToApplicant(FormKind.Apology, "apology")
{
    /// <summary>The agency whose step is late; it issues and signs the letter.</summary>
    public required string AgencyAtFault { get; init; }

    public required DateTimeOffset OriginalAppointmentAt { get; init; }

    public required DateTimeOffset NewAppointmentAt { get; init; }

    private protected override object NoticeView(CommonView c) => new
    {
        AgencyAtFault,
        OriginalAppointmentAt = VietnameseFormat.DateTime(OriginalAppointmentAt, UtcOffset),
        NewAppointmentAt = VietnameseFormat.DateTime(NewAppointmentAt, UtcOffset),
    };
}
