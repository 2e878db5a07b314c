using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>
/// Async read model for the on-time report: <c>report_step_results</c> (each completed step: agency, due, completed,
/// on time) and <c>report_dossier_outcomes</c> (each dossier: procedure, receiving agency, appointment, returned,
/// on time, agency at fault). Group by agency on the first, by procedure on the second. A dossier refused at the counter
/// (never received) is still counted under its procedure, with outcome <c>refused</c>.
/// </summary>
public sealed class OnTimeReportProjection(DossierEventSerializer serializer) : DossierProjectionBase(serializer)
{
    public static RowTable Steps { get; } = new("report_step_results",
    [
        new("dossier_id", ColumnType.Text, false),
        new("step_id", ColumnType.Text, false),
        new("agency", ColumnType.Text, false),
        new("due_at", ColumnType.Time, false),
        new("completed_at", ColumnType.Time, false),
        new("on_time", ColumnType.Boolean, false),
    ], ["dossier_id", "step_id"]);

    public static RowTable Outcomes { get; } = new("report_dossier_outcomes",
    [
        new("dossier_id", ColumnType.Text, false),
        new("procedure_code", ColumnType.Text),
        new("receiving_agency", ColumnType.Text),
        new("received_at", ColumnType.Time),
        new("appointment_at", ColumnType.Time),
        new("finished_at", ColumnType.Time),
        new("outcome", ColumnType.Text),
        new("on_time", ColumnType.Boolean),
        new("agency_at_fault", ColumnType.Text),
    ], ["dossier_id"]);

    public override string Name => "on-time-report";

    public override ProjectionMode Mode => ProjectionMode.Async;

    protected override IReadOnlyList<RowTable> OwnedTables => [Steps, Outcomes];

    protected override async Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken)
    {
        var existing = (await Outcomes.LoadAsync(context, [.. slices.Select(s => s.DossierId)], cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => (string)r[0]!, StringComparer.Ordinal);
        var outcomes = new List<object?[]>(slices.Count);
        var steps = new List<object?[]>();
        foreach (var slice in slices)
        {
            var row = existing.TryGetValue(slice.DossierId, out var loaded) ? loaded : new object?[Outcomes.Columns.Count];
            row[0] = slice.DossierId;
            foreach (var (_, e) in slice.Events)
            {
                switch (e)
                {
                    case DossierReceived r:
                        (row[1], row[2], row[3], row[4]) = (r.ProcedureCode, r.By.Agency, r.At, r.AppointmentAt);
                        break;
                    case SupplementProvided p:
                        row[4] = p.AppointmentAt;
                        break;
                    case DossierReplanned p:
                        row[4] = p.AppointmentAt;
                        break;
                    case ApologyIssued a:
                        (row[4], row[8]) = (a.NewAppointmentAt, a.AgencyAtFault);
                        break;
                    case StepCompleted c:
                        steps.Add([slice.DossierId, c.StepId, c.By.Agency, c.DueAt, c.At, c.At <= c.DueAt]);
                        break;
                    case ResultReturned returned:
                        (row[5], row[6], row[7]) = (returned.At, "returned", returned.OnTime);
                        break;
                    case DossierRefused f:
                        // Refused at the counter: never received, so the refusal itself names the procedure and the counter.
                        row[1] ??= f.ProcedureCode;
                        row[2] ??= f.By.Agency;
                        (row[5], row[6]) = (f.At, "refused");
                        break;
                    case DossierWithdrawn w:
                        (row[5], row[6]) = (w.At, "withdrawn");
                        break;
                    case DossierClosed c:
                        (row[5], row[6]) = (c.At, "closed");
                        break;
                    default:
                        break;
                }
            }

            outcomes.Add(row);
        }

        await Outcomes.UpsertAsync(context, outcomes, cancellationToken).ConfigureAwait(false);
        await Steps.UpsertAsync(context, steps, cancellationToken).ConfigureAwait(false);
    }
}
