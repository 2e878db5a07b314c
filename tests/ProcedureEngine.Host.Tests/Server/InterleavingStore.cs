using System.Data.Common;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>A real store that runs a hook (another writer) once, just before the next append goes in.</summary>
internal sealed class InterleavingStore(IEventStore inner) : IEventStore
{
    public Func<Task>? BeforeNextAppend { get; set; }

    public int Interleaved { get; private set; }

    public string Backend => inner.Backend;

    public SqlDialect Dialect => inner.Dialect;

    public async Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        if (BeforeNextAppend is { } hook)
        {
            BeforeNextAppend = null;
            Interleaved++;
            await hook();
        }

        return await inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);
    }

    public async Task<AppendResult?> AppendNumberedAsync(string counter, long floor, Func<long, NumberedAppend?> decide, CancellationToken cancellationToken = default)
    {
        if (BeforeNextAppend is { } hook)
        {
            BeforeNextAppend = null;
            Interleaved++;
            await hook();
        }

        return await inner.AppendNumberedAsync(counter, floor, decide, cancellationToken);
    }

    public Task<StreamForWriting> FetchForWritingAsync(string streamId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref reads);
        return inner.FetchForWritingAsync(streamId, cancellationToken);
    }

    public Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default) => inner.MigrateAsync(cancellationToken);

    /// <summary>How many times a stream was read (a fetch for writing or a plain read; a dossier load is one fetch).</summary>
    public int StreamReads => reads;

    private int reads;

    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref reads);
        return inner.ReadStreamAsync(streamId, at, cancellationToken);
    }

    public Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

    public Task<IReadOnlyList<StreamVersion>> ListStreamsAsync(string? afterStreamId, int maxCount, CancellationToken cancellationToken = default) =>
        inner.ListStreamsAsync(afterStreamId, maxCount, cancellationToken);

    public Task<GlobalPage> ReadAllAsync(GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken = default) => inner.ReadAllAsync(after, maxCount, cancellationToken);

    public Task<ChainVerification> VerifyStreamAsync(string streamId, CancellationToken cancellationToken = default) => inner.VerifyStreamAsync(streamId, cancellationToken);

    public Task<ProjectionBatch> RunProjectionBatchAsync(IReadOnlyList<IProjection> projections, int batchSize, CancellationToken cancellationToken = default) =>
        inner.RunProjectionBatchAsync(projections, batchSize, cancellationToken);

    public Task<GlobalCheckpoint> GetCheckpointAsync(string projectionName, CancellationToken cancellationToken = default) => inner.GetCheckpointAsync(projectionName, cancellationToken);

    public Task<RebuildReport> RebuildProjectionsAsync(IReadOnlyList<IProjection> projections, int batchSize = 5000, CancellationToken cancellationToken = default) =>
        inner.RebuildProjectionsAsync(projections, batchSize, cancellationToken);

    public Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) => inner.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
