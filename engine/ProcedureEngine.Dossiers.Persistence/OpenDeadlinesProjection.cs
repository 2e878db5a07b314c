using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>
/// Inline read model <c>dossier_deadlines</c>: the open deadlines the timers query (<c>due_at &lt;= now</c>).
/// kind = step (a started step's due instant, until completed, skipped or flagged overdue), appointment (the dossier's
/// appointment, until returned or flagged overdue), supplement (when an unanswered supplement request closes the
/// dossier) or acceptance (an online submission's acceptance limit). A dossier that ends loses all its rows.
/// </summary>
public sealed class OpenDeadlinesProjection(DossierEventSerializer serializer) : DossierProjectionBase(serializer)
{
    public static RowTable Table { get; } = new("dossier_deadlines",
    [
        new("dossier_id", ColumnType.Text, false),
        new("kind", ColumnType.Text, false),
        new("ref", ColumnType.Text, false),
        new("agency", ColumnType.Text),
        new("due_at", ColumnType.Time, false),
    ], ["dossier_id", "kind", "ref"]);

    public override string Name => "open-deadlines";

    public override ProjectionMode Mode => ProjectionMode.Inline;

    protected override IReadOnlyList<RowTable> OwnedTables => [Table];

    public override IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
    [
        .. base.Migrations(dialect),
        new Migration("projection:" + Name, 2, "timer lookup by due instant", "CREATE INDEX IF NOT EXISTS dossier_deadlines_due ON dossier_deadlines (due_at)"),
    ];

    protected override async Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken)
    {
        var owners = slices.Select(s => s.DossierId).ToArray();
        var open = new Dictionary<string, Dictionary<(string Kind, string Ref), (string? Agency, DateTimeOffset Due)>>(StringComparer.Ordinal);
        foreach (var id in owners)
        {
            open[id] = [];
        }

        var known = slices.Where(s => !s.IsNew).Select(s => s.DossierId).ToArray();
        foreach (var row in await Table.LoadAsync(context, known, cancellationToken).ConfigureAwait(false))
        {
            open[(string)row[0]!][((string)row[1]!, (string)row[2]!)] = ((string?)row[3], (DateTimeOffset)row[4]!);
        }

        foreach (var slice in slices)
        {
            var deadlines = open[slice.DossierId];
            foreach (var (_, e) in slice.Events)
            {
                Apply(deadlines, e);
            }
        }

        await Table.DeleteAsync(context, known, cancellationToken).ConfigureAwait(false);
        var rows = open.SelectMany(d => d.Value.Select(x => new object?[] { d.Key, x.Key.Kind, x.Key.Ref, x.Value.Agency, x.Value.Due })).ToList();
        await Table.UpsertAsync(context, rows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rows a dossier's whole history gives (dossier_id, kind, ref, agency, due_at): what the read-model check compares with.</summary>
    public static IReadOnlyList<object?[]> Expected(string dossierId, IEnumerable<DossierEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var deadlines = new Dictionary<(string Kind, string Ref), (string? Agency, DateTimeOffset Due)>();
        foreach (var e in events)
        {
            Apply(deadlines, e);
        }

        return [.. deadlines.Select(x => new object?[] { dossierId, x.Key.Kind, x.Key.Ref, x.Value.Agency, x.Value.Due })];
    }

    private static void Apply(Dictionary<(string Kind, string Ref), (string? Agency, DateTimeOffset Due)> deadlines, DossierEvent e)
    {
        switch (e)
        {
            case DossierSubmitted s:
                deadlines[("acceptance", "")] = (null, s.AcceptBy);
                break;
            case AcceptanceOverdue:
                deadlines.Remove(("acceptance", ""));
                break;
            case DossierReceived r:
                deadlines.Remove(("acceptance", ""));
                deadlines[("appointment", "")] = (r.By.Agency, r.AppointmentAt);
                break;
            case StepStarted s:
                deadlines[("step", s.StepId)] = (s.Agency, s.DueAt);
                break;
            case StepCompleted c:
                deadlines.Remove(("step", c.StepId));
                break;
            case StepSkipped k:
                deadlines.Remove(("step", k.StepId));
                break;
            case StepOverdue o:
                deadlines.Remove(("step", o.StepId));
                break;
            case SupplementRequested q:
                deadlines[("supplement", q.StepId)] = (q.By.Agency, q.ClosesAt);
                break;
            case SupplementProvided p:
                foreach (var key in deadlines.Keys.Where(k => k.Kind == "supplement").ToList())
                {
                    deadlines.Remove(key);
                }

                if (deadlines.TryGetValue(("appointment", ""), out var appointment))
                {
                    deadlines[("appointment", "")] = (appointment.Agency, p.AppointmentAt);
                }

                foreach (var due in p.StepDues)
                {
                    if (deadlines.TryGetValue(("step", due.StepId), out var step))
                    {
                        deadlines[("step", due.StepId)] = (step.Agency, due.DueAt);
                    }
                }

                break;
            case ApologyIssued a:
                // The new appointment is a deadline again, even after the old one was flagged missed: a second miss
                // must still be seen by the timers (it is a breach).
                deadlines[("appointment", "")] = (deadlines.TryGetValue(("appointment", ""), out var current) ? current.Agency : a.AgencyAtFault, a.NewAppointmentAt);
                break;
            case DossierReplanned p:
                // A new calendar version moved what was left of the windows: the timers run on the new dues at once.
                if (p.AppointmentMoved && deadlines.TryGetValue(("appointment", ""), out var planned))
                {
                    deadlines[("appointment", "")] = (planned.Agency, p.AppointmentAt);
                }

                foreach (var due in p.StepDues)
                {
                    if (deadlines.TryGetValue(("step", due.StepId), out var step))
                    {
                        deadlines[("step", due.StepId)] = (step.Agency, due.DueAt);
                    }
                }

                break;
            case DossierOverdue:
                deadlines.Remove(("appointment", ""));
                break;
            case ResultReturned or DossierRefused or DossierWithdrawn or DossierClosed:
                deadlines.Clear();
                break;
            default:
                break;
        }
    }
}
