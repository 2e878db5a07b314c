namespace ProcedureEngine.EventStore;

/// <summary>
/// An append-only store of event streams (one per dossier) with optimistic concurrency, idempotent appends,
/// a global order, a per-stream SHA-256 hash chain and projections. Implementations: SQLite and PostgreSQL.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Backend { get; }

    /// <summary>Creates or upgrades the schema (event tables, checkpoints and the registered projections' tables). Idempotent.</summary>
    Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends events to a stream when it is at <paramref name="expectedVersion"/> (<see cref="ExpectedVersion"/>),
    /// running the inline projections in the same transaction. Throws <see cref="ConcurrencyException"/> (nothing written)
    /// on a version mismatch. When the events carry an idempotency key already used on this stream, nothing is written
    /// and the result of the first append is returned with <see cref="AppendResult.WasDuplicate"/> set. A key that
    /// created a stream is unique across the store: an append that would create another stream with it (a retried
    /// request whose server picked a new id, such as the next dossier code) writes nothing and returns the first
    /// stream's result, with that stream's <see cref="AppendResult.StreamId"/>.
    /// </summary>
    Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);

    /// <summary>Events of a stream in version order, optionally only those whose time is at or before <paramref name="at"/>. Empty when the stream does not exist.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, DateTimeOffset? at = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A stream read for a command, in one statement (one snapshot, one round trip): its events in version order, its
    /// head version and the hash chain checked over them. Decide on the events, then append with
    /// <see cref="StreamForWriting.Version"/> as the expected version; the append returns what it stored
    /// (<see cref="AppendResult.Written"/>), so the caller evolves its state instead of reading the stream again.
    /// </summary>
    Task<StreamForWriting> FetchForWritingAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends under a gapless counter, in one transaction: takes <paramref name="counter"/>'s next number (at least
    /// <paramref name="floor"/> + 1; the counter stays locked until the commit, so concurrent callers queue instead of
    /// racing), calls <paramref name="decide"/> with it and appends what it returns, inline projections included. When
    /// <paramref name="decide"/> answers null nothing is written (null is returned) and the number is not used; an append
    /// that does not take the number (<see cref="NumberedAppend.TakesNumber"/> false) leaves the counter where it was.
    /// Conflicts and idempotent retries behave as in <see cref="AppendAsync"/>.
    /// </summary>
    Task<AppendResult?> AppendNumberedAsync(string counter, long floor, Func<long, NumberedAppend?> decide, CancellationToken cancellationToken = default);

    /// <summary>The stream's current version (0 when it does not exist).</summary>
    Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every stream and the version its head records, in stream-id order (ordinal), at most <paramref name="maxCount"/>
    /// after <paramref name="afterStreamId"/> (null: from the first). Unlike <see cref="ReadAllAsync"/> this has no read
    /// horizon: an audit uses it to reach every stream, even those a running transaction keeps out of the global order.
    /// </summary>
    Task<IReadOnlyList<StreamVersion>> ListStreamsAsync(string? afterStreamId, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// The next events of the global order after <paramref name="after"/>, never past an event that a still running
    /// transaction could precede (safe for checkpointed consumers: nothing is skipped).
    /// </summary>
    Task<GlobalPage> ReadAllAsync(GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Re-reads a stream and checks its hash chain, its version sequence and its head.</summary>
    Task<ChainVerification> VerifyStreamAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs one batch of async projections in one transaction: the projections whose checkpoint is the furthest behind
    /// (all of them, when they stand together, as they do once caught up) get the same page of events after it, applied
    /// with their checkpoints. One page read, one decoding of it shared by the projections, one commit — not one each.
    /// </summary>
    Task<ProjectionBatch> RunProjectionBatchAsync(IReadOnlyList<IProjection> projections, int batchSize, CancellationToken cancellationToken = default);

    /// <summary>Current checkpoint of an async projection.</summary>
    Task<GlobalCheckpoint> GetCheckpointAsync(string projectionName, CancellationToken cancellationToken = default);

    /// <summary>Empties the given projections' tables and replays every event into them in global order; checkpoints of async projections end at the head.</summary>
    Task<RebuildReport> RebuildProjectionsAsync(IReadOnlyList<IProjection> projections, int batchSize = 5000, CancellationToken cancellationToken = default);

    /// <summary>Opens a read-only session on the store's database (for projection queries).</summary>
    Task<System.Data.Common.DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default);

    /// <summary>The SQL dialect of this store, for projection SQL.</summary>
    SqlDialect Dialect { get; }
}

/// <summary>Which migrations ran (component/version) and which were already applied.</summary>
public sealed record MigrationReport(IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied);

/// <summary>How many events were replayed into how many projections, and how long it took.</summary>
public sealed record RebuildReport(long Events, int Projections, TimeSpan Elapsed);
