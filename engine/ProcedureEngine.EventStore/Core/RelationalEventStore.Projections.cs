using System.Diagnostics;

namespace ProcedureEngine.EventStore.Core;

/// <summary>
/// Projections. Inline ones run in the append's transaction (see <c>TryAppendAsync</c>): register an
/// <see cref="IProjection"/> with <see cref="ProjectionMode.Inline"/> when opening the store and its
/// <see cref="IProjection.ApplyAsync"/> sees every append's stored events, on its connection and transaction, before
/// the commit (a failure rolls the append back). Async ones are advanced in checkpointed batches here.
/// </summary>
public abstract partial class RelationalEventStore
{
    public async Task<int> RunProjectionBatchAsync(IProjection projection, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projection);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var write = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

        // Locked: one node at a time advances a projection; the others wait and then see the new checkpoint.
        var checkpoint = await ReadCheckpointAsync(connection, write.Transaction, projection.Name, lockIt: true, cancellationToken).ConfigureAwait(false);
        var page = await ReadGlobalAsync(connection, write.Transaction, checkpoint, batchSize, horizon: true, cancellationToken).ConfigureAwait(false);
        if (page.Events.Count > 0)
        {
            await projection.ApplyAsync(new ProjectionContext(connection, write.Transaction, Dialect), page.Events, cancellationToken).ConfigureAwait(false);
            await SaveCheckpointAsync(connection, write.Transaction, projection.Name, page.Next, cancellationToken).ConfigureAwait(false);
        }

        await write.Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return page.Events.Count;
    }

    public async Task<GlobalCheckpoint> GetCheckpointAsync(string projectionName, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCheckpointAsync(connection, null, projectionName, lockIt: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RebuildReport> RebuildProjectionsAsync(IReadOnlyList<IProjection> projections, int batchSize = 5000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projections);
        var watch = Stopwatch.StartNew();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var write = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = write.Transaction;

        // Appends wait until the rebuild commits: the rebuilt read models and checkpoints match exactly the events before it.
        await LockForRebuildAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        foreach (var table in projections.SelectMany(p => p.Tables).Distinct(StringComparer.Ordinal))
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM {table}", cancellationToken).ConfigureAwait(false);
        }

        var context = new ProjectionContext(connection, transaction, Dialect);
        var checkpoint = GlobalCheckpoint.Start;
        long total = 0;
        while (true)
        {
            // The whole order, no horizon: writers are held out.
            var page = await ReadGlobalAsync(connection, transaction, checkpoint, batchSize, horizon: false, cancellationToken).ConfigureAwait(false);
            if (page.Events.Count == 0)
            {
                break;
            }

            foreach (var projection in projections)
            {
                try
                {
                    await projection.ApplyAsync(context, page.Events, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (UniqueViolation(e) is { } constraint)
                {
                    throw UniqueConstraintException.InRebuild(projection.Name, constraint, ViolationDetail(e), e);
                }
            }

            total += page.Events.Count;
            checkpoint = page.Next;
        }

        foreach (var projection in projections.Where(p => p.Mode == ProjectionMode.Async))
        {
            await SaveCheckpointAsync(connection, transaction, projection.Name, checkpoint, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RebuildReport(total, projections.Count, watch.Elapsed);
    }
}
