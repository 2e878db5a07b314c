namespace ProcedureEngine.EventStore;

/// <summary>
/// Feeds async projections from the global order: each batch is applied together with the checkpoints in one
/// transaction, so a crash replays at most an uncommitted batch and never skips or doubles an event. The projections
/// that stand at the same checkpoint share the batch (one read, one commit).
/// Several nodes may run the daemon; the checkpoint row lock lets one advance a projection at a time.
/// </summary>
public sealed class ProjectionDaemon(IEventStore store, IReadOnlyList<IProjection> projections, int batchSize = 1000)
{
    private readonly IProjection[] asyncProjections = [.. projections.Where(p => p.Mode == ProjectionMode.Async)];

    /// <summary>
    /// Applies everything currently safe to read; returns the number of events applied (over all projections). A batch
    /// shorter than the batch size was the end of what could be read: no second, empty transaction to find that out.
    /// </summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        long total = 0;
        ProjectionBatch batch;
        do
        {
            batch = await store.RunProjectionBatchAsync(asyncProjections, batchSize, cancellationToken).ConfigureAwait(false);
            total += batch.Applied;
        }
        while (batch.Read == batchSize || (batch.Read > 0 && batch.Waiting > 0));

        return total;
    }

    /// <summary>Polls until cancelled, sleeping <paramref name="idle"/> when there was nothing to do.</summary>
    public Task RunAsync(TimeSpan idle, CancellationToken cancellationToken) =>
        Polling.RunAsync(async ct => await CatchUpAsync(ct).ConfigureAwait(false) > 0, idle, TimeProvider.System, cancellationToken);
}
