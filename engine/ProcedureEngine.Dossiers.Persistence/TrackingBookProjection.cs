using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>One row of <c>dossier_tracking_book</c>; its constructor is the table's column list.</summary>
public sealed record TrackingBookRow(
    string DossierId,
    string? DossierCode,
    string? ProcedureCode,
    string? ProcedureName,
    string? Applicant,
    string? ReceivingAgency,
    string? LeadAgency,
    DateTimeOffset? ReceivedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? TransferredAt,
    DateTimeOffset? ResultReceivedAt,
    DateTimeOffset? ReturnedAt,
    string? Notes)
{
    public static TrackingBookRow New(string dossierId) => new(dossierId, null, null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>Folds one event; the due date is the decider's appointment in force (<see cref="DossierLifecycle.AppointmentAfter"/>).</summary>
    public static TrackingBookRow Apply(TrackingBookRow row, DossierEvent e)
    {
        ArgumentNullException.ThrowIfNull(row);
        row = row with { DueAt = DossierLifecycle.AppointmentAfter(row.DueAt, e) };
        return e switch
        {
            DossierReceived r => row with
            {
                DossierCode = r.DossierCode, ProcedureCode = r.ProcedureCode, ProcedureName = r.ProcedureName, Applicant = r.Applicant.Name, ReceivingAgency = r.By.Agency,
                LeadAgency = r.Steps.FirstOrDefault(s => s.Agency != r.By.Agency)?.AgencyName ?? r.ReceivingAgencyName, ReceivedAt = r.At,
            },
            StepStarted s when row.TransferredAt is null && s.Agency != row.ReceivingAgency => row with { TransferredAt = s.At },
            SupplementRequested q => Note(row, $"Yêu cầu bổ sung ngày {Local(q.At)}: {q.Reason}"),
            ApologyIssued a => Note(row, $"Xin lỗi, hẹn lại ngày {Local(a.NewAppointmentAt)} ({a.AgencyAtFaultName}: {a.Reason})"),
            DossierReplanned p when p.AppointmentMoved => Note(row, $"Lịch làm việc thay đổi, hẹn lại ngày {Local(p.AppointmentAt)}"),
            ResultReady ready => row with { ResultReceivedAt = ready.At },
            ResultReturned returned => Note(row with { ReturnedAt = returned.At }, returned.OnTime ? "Trả đúng hạn" : "Trả quá hạn"),
            DossierRefused f => Note(row, $"Từ chối: {f.Reason}"),
            DossierWithdrawn w => Note(row, "Công dân rút hồ sơ" + (w.Reason is null ? string.Empty : $": {w.Reason}")),
            DossierClosed c => Note(row, $"Dừng xử lý: {c.Reason}"),
            _ => row,
        };
    }

    private static TrackingBookRow Note(TrackingBookRow row, string note) =>
        row with { Notes = row.Notes is { Length: > 0 } existing ? existing + "; " + note : note };

    private static string Local(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(7)).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Async read model <c>dossier_tracking_book</c>: the tracking book (Sổ theo dõi hồ sơ): code, procedure, applicant,
/// lead agency, received, due, transferred, result received, returned, notes. Fed by the projection daemon.
/// </summary>
public sealed class TrackingBookProjection(DossierBatchDecoder decoder) : DossierRowProjection<TrackingBookRow>(decoder)
{
    public static RowTable<TrackingBookRow> Table { get; } = new("dossier_tracking_book", "dossier_id");

    public override string Name => "tracking-book";

    public override ProjectionMode Mode => ProjectionMode.Async;

    protected override RowTable<TrackingBookRow> Rows => Table;

    protected override TrackingBookRow Fold(string dossierId, TrackingBookRow? row, StoredEvent stored, DossierEvent e) =>
        TrackingBookRow.Apply(row ?? TrackingBookRow.New(dossierId), e);
}
