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
    public async Task<ProjectionBatch> RunProjectionBatchAsync(IReadOnlyList<IProjection> projections, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projections);
        if (projections.Count == 0)
        {
            return new ProjectionBatch(0, 0, 0); // no write transaction (on SQLite it would hold the writer) for nothing
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var write = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

        // Locked: one node at a time advances a projection; the others wait and then see the new checkpoints.
        var checkpoints = new GlobalCheckpoint[projections.Count];
        for (var i = 0; i < projections.Count; i++)
        {
            checkpoints[i] = await ReadCheckpointAsync(connection, write.Transaction, projections[i].Name, lockIt: true, cancellationToken).ConfigureAwait(false);
        }

        var from = checkpoints.Min();
        var page = await ReadGlobalAsync(connection, write.Transaction, from, batchSize, horizon: true, cancellationToken).ConfigureAwait(false);
        var waiting = 0;
        var applied = 0;
        var context = new ProjectionContext(connection, write.Transaction, Dialect);
        if (page.Events.Count > 0)
        {
            for (var i = 0; i < projections.Count; i++)
            {
                if (checkpoints[i] != from)
                {
                    waiting++; // ahead of the others: its turn comes when they reach it
                    continue;
                }

                // The same list for each: the dossier read models decode it once between them.
                await projections[i].ApplyAsync(context, page.Events, cancellationToken).ConfigureAwait(false);
                await SaveCheckpointAsync(connection, write.Transaction, projections[i].Name, page.Next, cancellationToken).ConfigureAwait(false);
                applied += page.Events.Count;
            }
        }

        await CommitAsync(context, write.Transaction, cancellationToken).ConfigureAwait(false);
        return new ProjectionBatch(page.Events.Count, applied, waiting);
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
                    await context.FlushAsync(cancellationToken).ConfigureAwait(false); // an error is the projection's own
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
