using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>
/// Async read model <c>dossier_tracking_book</c>: the tracking book (Sổ theo dõi hồ sơ): code, procedure, applicant,
/// lead agency, received, due, transferred, result received, returned, notes. Fed by the projection daemon.
/// </summary>
public sealed class TrackingBookProjection(DossierEventSerializer serializer) : DossierProjectionBase(serializer)
{
    public static RowTable Table { get; } = new("dossier_tracking_book",
    [
        new("dossier_id", ColumnType.Text, false),
        new("dossier_code", ColumnType.Text),
        new("procedure_code", ColumnType.Text),
        new("procedure_name", ColumnType.Text),
        new("applicant", ColumnType.Text),
        new("receiving_agency", ColumnType.Text),
        new("lead_agency", ColumnType.Text),
        new("received_at", ColumnType.Time),
        new("due_at", ColumnType.Time),
        new("transferred_at", ColumnType.Time),
        new("result_received_at", ColumnType.Time),
        new("returned_at", ColumnType.Time),
        new("notes", ColumnType.Text),
    ], ["dossier_id"]);

    public override string Name => "tracking-book";

    public override ProjectionMode Mode => ProjectionMode.Async;

    protected override IReadOnlyList<RowTable> OwnedTables => [Table];

    protected override async Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken)
    {
        var existing = (await Table.LoadAsync(context, [.. slices.Select(s => s.DossierId)], cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => (string)r[0]!, StringComparer.Ordinal);
        var rows = new List<object?[]>(slices.Count);
        foreach (var slice in slices)
        {
            var row = existing.TryGetValue(slice.DossierId, out var loaded) ? loaded : new object?[Table.Columns.Count];
            row[0] = slice.DossierId;
            foreach (var (_, e) in slice.Events)
            {
                Apply(row, e);
            }

            rows.Add(row);
        }

        await Table.UpsertAsync(context, rows, cancellationToken).ConfigureAwait(false);
    }

    private static void Note(object?[] row, string note) => row[12] = row[12] is string existing && existing.Length > 0 ? existing + "; " + note : note;

    private static void Apply(object?[] row, DossierEvent e)
    {
        switch (e)
        {
            case DossierReceived r:
                (row[1], row[2], row[3], row[4], row[5]) = (r.DossierCode, r.ProcedureCode, r.ProcedureName, r.Applicant.Name, r.By.Agency);
                row[6] = r.Steps.FirstOrDefault(s => s.Agency != r.By.Agency)?.AgencyName ?? r.ReceivingAgencyName;
                (row[7], row[8]) = (r.At, r.AppointmentAt);
                break;
            case StepStarted s when row[9] is null && s.Agency != (string?)row[5]:
                row[9] = s.At;
                break;
            case SupplementRequested q:
                Note(row, $"Yêu cầu bổ sung ngày {q.At.ToOffset(TimeSpan.FromHours(7)):dd/MM/yyyy}: {q.Reason}");
                break;
            case SupplementProvided p:
                row[8] = p.AppointmentAt;
                break;
            case ApologyIssued a:
                row[8] = a.NewAppointmentAt;
                Note(row, $"Xin lỗi, hẹn lại ngày {a.NewAppointmentAt.ToOffset(TimeSpan.FromHours(7)):dd/MM/yyyy} ({a.AgencyAtFaultName}: {a.Reason})");
                break;
            case DossierReplanned p when p.AppointmentMoved:
                row[8] = p.AppointmentAt;
                Note(row, $"Lịch làm việc thay đổi, hẹn lại ngày {p.AppointmentAt.ToOffset(TimeSpan.FromHours(7)):dd/MM/yyyy}");
                break;
            case ResultReady ready:
                row[10] = ready.At;
                break;
            case ResultReturned returned:
                row[11] = returned.At;
                Note(row, returned.OnTime ? "Trả đúng hạn" : "Trả quá hạn");
                break;
            case DossierRefused f:
                Note(row, $"Từ chối: {f.Reason}");
                break;
            case DossierWithdrawn w:
                Note(row, "Công dân rút hồ sơ" + (w.Reason is null ? string.Empty : $": {w.Reason}"));
                break;
            case DossierClosed c:
                Note(row, $"Dừng xử lý: {c.Reason}");
                break;
            default:
                break;
        }
    }
}
