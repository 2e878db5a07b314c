using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>One row of <c>report_step_results</c>: a completed step; its constructor is the table's column list.</summary>
public sealed record StepResultRow(string DossierId, string StepId, string Agency, DateTimeOffset DueAt, DateTimeOffset CompletedAt, bool OnTime);

/// <summary>One row of <c>report_dossier_outcomes</c>; its constructor is the table's column list.</summary>
public sealed record DossierOutcomeRow(
    string DossierId,
    string? ProcedureCode,
    string? ReceivingAgency,
    DateTimeOffset? ReceivedAt,
    DateTimeOffset? AppointmentAt,
    DateTimeOffset? FinishedAt,
    string? Outcome,
    bool? OnTime,
    string? AgencyAtFault)
{
    public static DossierOutcomeRow New(string dossierId) => new(dossierId, null, null, null, null, null, null, null, null);

    /// <summary>Folds one event; the appointment is the decider's appointment in force (<see cref="DossierLifecycle.AppointmentAfter"/>).</summary>
    public static DossierOutcomeRow Apply(DossierOutcomeRow row, DossierEvent e)
    {
        ArgumentNullException.ThrowIfNull(row);
        row = row with { AppointmentAt = DossierLifecycle.AppointmentAfter(row.AppointmentAt, e) };
        return e switch
        {
            DossierReceived r => row with { ProcedureCode = r.ProcedureCode, ReceivingAgency = r.By.Agency, ReceivedAt = r.At },
            ApologyIssued a => row with { AgencyAtFault = a.AgencyAtFault },
            ResultReturned returned => row with { FinishedAt = returned.At, Outcome = "returned", OnTime = returned.OnTime },

            // Refused at the counter: never received, so the refusal itself names the procedure and the counter.
            DossierRefused f => row with { ProcedureCode = row.ProcedureCode ?? f.ProcedureCode, ReceivingAgency = row.ReceivingAgency ?? f.By.Agency, FinishedAt = f.At, Outcome = "refused" },
            DossierWithdrawn w => row with { FinishedAt = w.At, Outcome = "withdrawn" },
            DossierClosed c => row with { FinishedAt = c.At, Outcome = "closed" },
            _ => row,
        };
    }
}

/// <summary>
/// Async read model for the on-time report: <c>report_step_results</c> (each completed step: agency, due, completed,
/// on time) and <c>report_dossier_outcomes</c> (each dossier: procedure, receiving agency, appointment, returned,
/// on time, agency at fault). Group by agency on the first, by procedure on the second. A dossier refused at the counter
/// (never received) is still counted under its procedure, with outcome <c>refused</c>.
/// </summary>
public sealed class OnTimeReportProjection(DossierBatchDecoder decoder) : DossierProjectionBase(decoder)
{
    public static RowTable<StepResultRow> Steps { get; } = new("report_step_results", "dossier_id", "step_id");

    public static RowTable<DossierOutcomeRow> Outcomes { get; } = new("report_dossier_outcomes", "dossier_id");

    public override string Name => "on-time-report";

    public override ProjectionMode Mode => ProjectionMode.Async;

    protected override IReadOnlyList<RowTable> OwnedTables => [Steps, Outcomes];

    protected override async Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken)
    {
        var existing = await Outcomes.LoadByOwnerAsync(context, DossierSlice.Known(slices), cancellationToken).ConfigureAwait(false);
        var outcomes = new List<DossierOutcomeRow>(slices.Count);
        var steps = new List<StepResultRow>();
        foreach (var slice in slices)
        {
            var row = existing.GetValueOrDefault(slice.DossierId) ?? DossierOutcomeRow.New(slice.DossierId);
            foreach (var (_, e) in slice.Events)
            {
                row = DossierOutcomeRow.Apply(row, e);
                if (e is StepCompleted c)
                {
                    steps.Add(new StepResultRow(slice.DossierId, c.StepId, c.By.Agency, c.DueAt, c.At, c.At <= c.DueAt));
                }
            }

            outcomes.Add(row);
        }

        await Outcomes.UpsertAsync(context, outcomes, cancellationToken).ConfigureAwait(false);
        await Steps.UpsertAsync(context, steps, cancellationToken).ConfigureAwait(false);
    }
}
