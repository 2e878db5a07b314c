using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>
/// Async read model <c>dossier_facts</c> for the supervisors' dashboard: one row per received dossier with what the
/// on-time report does not keep: the channel (online share), the legal appointment given at receipt, the apology
/// (when, which agency), the return, and the applicant's rating with its Decision 766 criteria.
/// </summary>
public sealed class DossierFactsProjection(DossierEventSerializer serializer) : DossierProjectionBase(serializer)
{
    public static RowTable Table { get; } = new("dossier_facts",
    [
        new("dossier_id", ColumnType.Text, false),
        new("procedure_code", ColumnType.Text),
        new("procedure_version", ColumnType.Integer),
        new("receiving_agency", ColumnType.Text),
        new("channel", ColumnType.Text),
        new("received_at", ColumnType.Time),
        new("legal_appointment_at", ColumnType.Time),
        new("returned_at", ColumnType.Time),
        new("apology_at", ColumnType.Time),
        new("apology_agency", ColumnType.Text),
        new("evaluated_at", ColumnType.Time),
        new("score", ColumnType.Integer),
        new("time_taken", ColumnType.Integer),
        new("contacts", ColumnType.Integer),
        new("accuracy", ColumnType.Integer),
        new("attitude", ColumnType.Integer),
    ], ["dossier_id"]);

    public override string Name => "dossier-facts";

    public override ProjectionMode Mode => ProjectionMode.Async;

    protected override IReadOnlyList<RowTable> OwnedTables => [Table];

    protected override async Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken)
    {
        var existing = (await Table.LoadAsync(context, [.. slices.Select(s => s.DossierId)], cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => (string)r[0]!, StringComparer.Ordinal);
        var rows = new List<object?[]>();
        foreach (var slice in slices)
        {
            existing.TryGetValue(slice.DossierId, out var row);
            foreach (var (_, e) in slice.Events)
            {
                if (e is DossierReceived r)
                {
                    row ??= new object?[Table.Columns.Count];
                    (row[0], row[1], row[2], row[3], row[4], row[5], row[6]) =
                        (slice.DossierId, r.ProcedureCode, (long)r.ProcedureVersion, r.By.Agency, r.Channel.ToString().ToLowerInvariant(), r.At, r.AppointmentAt);
                    continue;
                }

                if (row is null)
                {
                    continue; // not received (online submission waiting, guidance, refusal at the counter): no row
                }

                switch (e)
                {
                    case ApologyIssued a:
                        (row[8], row[9]) = (a.At, a.AgencyAtFault);
                        break;
                    case ResultReturned returned:
                        row[7] = returned.At;
                        break;
                    case DossierEvaluated v:
                        (row[10], row[11]) = (v.At, (long)v.Score);
                        row[12] = Criterion(v, "timeTaken");
                        row[13] = Criterion(v, "contacts");
                        row[14] = Criterion(v, "accuracy");
                        row[15] = Criterion(v, "attitude");
                        break;
                    default:
                        break;
                }
            }

            if (row is not null)
            {
                rows.Add(row);
            }
        }

        await Table.UpsertAsync(context, rows, cancellationToken).ConfigureAwait(false);
    }

    private static long? Criterion(DossierEvaluated v, string name) => v.Criteria is { } c && c.TryGetValue(name, out var score) ? score : null;
}
