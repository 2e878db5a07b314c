namespace ProcedureEngine.Scheduling;

/// <summary>
/// What the timer job does on each firing: find dossiers with a deadline instant at or before
/// <paramref name="now"/> (from the open-deadlines index) and apply the engine's time rules to them.
/// Returns how many dossiers got new events.
/// </summary>
public interface ITimerSweep
{
    Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
