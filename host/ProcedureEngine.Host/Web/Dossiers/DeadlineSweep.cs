using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Scheduling;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>
/// The timers' sweep: runs the engine's time rules (<see cref="Decider.Tick"/>) on every dossier with an open
/// deadline close enough for a warning, an apology or an overdue flag to be due, and appends what they decide.
/// </summary>
public sealed class DeadlineSweep(DossierService dossiers, DefinitionRegistry registry) : ITimerSweep
{
    /// <summary>How far ahead the sweep looks: warnings and the apology come before a deadline; Tết is the longest run of days off.</summary>
    public static readonly TimeSpan SweepLookahead = TimeSpan.FromDays(10);

    /// <summary>The longest time any rule set acts before a deadline (warning, apology).</summary>
    private static readonly Duration LongestLead = RuleSets.All.SelectMany(r => new[] { r.WarningLeadTime, r.ApologyLeadTime.Value }).Max();

    /// <summary>Runs the engine's time rules on every dossier with a deadline within the look-ahead window.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var touched = 0;
        foreach (var id in await DueDossiersAsync(now, cancellationToken).ConfigureAwait(false))
        {
            // One read per dossier; an officer who acts meanwhile wins (the next sweep sees the new state).
            var dossier = await dossiers.LoadAsync(id, null, cancellationToken).ConfigureAwait(false);
            if (dossier?.Definition is not null && !dossier.State.IsFinished && dossier.Verification.IsValid
                && await dossiers.TickAsync(dossier, now, cancellationToken).ConfigureAwait(false))
            {
                touched++;
            }
        }

        return touched;
    }

    /// <summary>
    /// The dossiers a tick may change now. The deadlines read model gives every open deadline due within the
    /// lookahead; a dossier is kept only if one of them is within twice the longest lead of any rule set (a warning
    /// or the apology comes at most that lead before a deadline, measured in office time on the dossier's calendar):
    /// the others cannot have anything due, and are not loaded. Twice, because a deadline that falls in a
    /// non-working stretch right after the lead is still within it in office time.
    /// </summary>
    private async Task<IReadOnlyList<string>> DueDossiersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await ReadModelQueries.DueAsync(dossiers.Events.Store, now + SweepLookahead, cancellationToken).ConfigureAwait(false);
        var horizons = new Dictionary<IWorkingCalendar, DateTimeOffset>();
        DateTimeOffset? Horizon(DueDeadline row)
        {
            if (row.ProcedureCode is null || row.ProcedureVersion is null || registry.Catalog.Find(row.ProcedureCode, (int)row.ProcedureVersion) is not { } definition)
            {
                return null; // no calendar to measure with: keep the dossier
            }

            var calendar = registry.CalendarFor(definition);
            if (!horizons.TryGetValue(calendar, out var horizon))
            {
                horizons[calendar] = horizon = calendar.Add(calendar.Add(now, LongestLead), LongestLead);
            }

            return horizon;
        }

        return [.. rows.Where(r => Horizon(r) is not { } horizon || r.DueAt <= horizon).Select(r => r.DossierId).Distinct(StringComparer.Ordinal)];
    }
}
