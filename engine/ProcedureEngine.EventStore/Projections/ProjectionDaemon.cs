namespace ProcedureEngine.EventStore;

/// <summary>
/// Feeds async projections from the global order: each batch is applied together with its checkpoint in one
/// transaction, so a crash replays at most an uncommitted batch and never skips or doubles an event.
/// Several nodes may run the daemon; the checkpoint row lock lets one advance a projection at a time.
/// </summary>
public sealed class ProjectionDaemon(IEventStore store, IReadOnlyList<IProjection> projections, int batchSize = 1000)
{
    private readonly IProjection[] asyncProjections = [.. projections.Where(p => p.Mode == ProjectionMode.Async)];

    /// <summary>Applies everything currently safe to read; returns the number of events applied (over all projections).</summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        long total = 0;
        foreach (var projection in asyncProjections)
        {
            int applied;
            do
            {
                applied = await store.RunProjectionBatchAsync(projection, batchSize, cancellationToken).ConfigureAwait(false);
                total += applied;
            }
            while (applied > 0);
        }

        return total;
    }

    /// <summary>Polls until cancelled, sleeping <paramref name="idle"/> when there was nothing to do.</summary>
    public Task RunAsync(TimeSpan idle, CancellationToken cancellationToken) =>
        Polling.RunAsync(async ct => await CatchUpAsync(ct).ConfigureAwait(false) > 0, idle, TimeProvider.System, cancellationToken);
}
