using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>One row of <c>dossier_deadlines</c>; its constructor is the table's column list.</summary>
/// <param name="Kind">step, appointment, supplement or acceptance.</param>
/// <param name="Ref">The step for step and supplement deadlines, "" otherwise.</param>
public sealed record DossierDeadlineRow(string DossierId, string Kind, string Ref, string? Agency, DateTimeOffset DueAt)
{
    /// <summary>
    /// Folds one event into a dossier's open deadlines (keyed by kind and ref). The appointment's instant is the
    /// decider's (<see cref="DossierLifecycle.AppointmentAfter"/>); which deadlines are open is the timers' concern.
    /// </summary>
    public static void Apply(string dossierId, Dictionary<(string Kind, string Ref), DossierDeadlineRow> open, DossierEvent e)
    {
        ArgumentNullException.ThrowIfNull(open);
        var appointment = open.GetValueOrDefault((Appointment, ""));
        switch (e)
        {
            case DossierSubmitted s:
                open[(Acceptance, "")] = new(dossierId, Acceptance, "", null, s.AcceptBy);
                break;
            case AcceptanceOverdue:
                open.Remove((Acceptance, ""));
                break;
            case DossierReceived r:
                open.Remove((Acceptance, ""));
                open[(Appointment, "")] = new(dossierId, Appointment, "", r.By.Agency, r.AppointmentAt);
                break;
            case StepStarted s:
                open[(Step, s.StepId)] = new(dossierId, Step, s.StepId, s.Agency, s.DueAt);
                break;
            case StepCompleted or StepSkipped or StepOverdue:
                open.Remove((Step, e switch { StepCompleted c => c.StepId, StepSkipped k => k.StepId, _ => ((StepOverdue)e).StepId }));
                break;
            case SupplementRequested q:
                open[(Supplement, q.StepId)] = new(dossierId, Supplement, q.StepId, q.By.Agency, q.ClosesAt);
                break;
            case SupplementProvided p:
                foreach (var key in open.Keys.Where(k => k.Kind == Supplement).ToList())
                {
                    open.Remove(key);
                }

                Move(open, appointment, e);
                MoveSteps(open, p.StepDues);
                break;
            case ApologyIssued a:
                // The new appointment is a deadline again, even after the old one was flagged missed: a second miss
                // must still be seen by the timers (it is a breach).
                Move(open, appointment ?? new(dossierId, Appointment, "", a.AgencyAtFault, a.NewAppointmentAt), e);
                break;
            case DossierReplanned p:
                // A new calendar version moved what was left of the windows: the timers run on the new dues at once.
                if (p.AppointmentMoved)
                {
                    Move(open, appointment, e);
                }

                MoveSteps(open, p.StepDues);
                break;
            case DossierOverdue:
                open.Remove((Appointment, ""));
                break;
            case ResultReturned or DossierRefused or DossierWithdrawn or DossierClosed:
                open.Clear();
                break;
            default:
                break;
        }
    }

    private const string Acceptance = "acceptance", Appointment = "appointment", Step = "step", Supplement = "supplement";

    private static void Move(Dictionary<(string Kind, string Ref), DossierDeadlineRow> open, DossierDeadlineRow? appointment, DossierEvent e)
    {
        if (appointment is not null && DossierLifecycle.AppointmentAfter(appointment.DueAt, e) is { } due)
        {
            open[(Appointment, "")] = appointment with { DueAt = due };
        }
    }

    private static void MoveSteps(Dictionary<(string Kind, string Ref), DossierDeadlineRow> open, System.Collections.Immutable.ImmutableArray<StepDue> dues)
    {
        foreach (var due in dues)
        {
            if (open.TryGetValue((Step, due.StepId), out var step))
            {
                open[(Step, due.StepId)] = step with { DueAt = due.DueAt };
            }
        }
    }
}

/// <summary>
/// Inline read model <c>dossier_deadlines</c>: the open deadlines the timers query (<c>due_at &lt;= now</c>).
/// kind = step (a started step's due instant, until completed, skipped or flagged overdue), appointment (the dossier's
/// appointment, until returned or flagged overdue), supplement (when an unanswered supplement request closes the
/// dossier) or acceptance (an online submission's acceptance limit). A dossier that ends loses all its rows.
/// </summary>
public sealed class OpenDeadlinesProjection(DossierBatchDecoder decoder) : DossierProjectionBase(decoder)
{
    public static RowTable<DossierDeadlineRow> Table { get; } = new("dossier_deadlines", "dossier_id", "kind", "ref");

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
        var open = slices.ToDictionary(s => s.DossierId, _ => new Dictionary<(string Kind, string Ref), DossierDeadlineRow>(), StringComparer.Ordinal);
        var known = DossierSlice.Known(slices);
        foreach (var row in await Table.LoadAsync(context, known, cancellationToken).ConfigureAwait(false))
        {
            open[row.DossierId][(row.Kind, row.Ref)] = row;
        }

        foreach (var slice in slices)
        {
            foreach (var (_, e) in slice.Events)
            {
                DossierDeadlineRow.Apply(slice.DossierId, open[slice.DossierId], e);
            }
        }

        Table.Delete(context, known);
        await Table.UpsertAsync(context, [.. open.Values.SelectMany(d => d.Values)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rows a dossier's whole history gives: what the read-model check compares with.</summary>
    public static IReadOnlyList<DossierDeadlineRow> Expected(string dossierId, IEnumerable<DossierEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var open = new Dictionary<(string Kind, string Ref), DossierDeadlineRow>();
        foreach (var e in events)
        {
            DossierDeadlineRow.Apply(dossierId, open, e);
        }

        return [.. open.Values];
    }
}
