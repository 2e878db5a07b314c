using System.Data.Common;
using System.Diagnostics;

namespace ProcedureEngine.EventStore.Core;

/// <summary>
/// The event store's algorithms, written once over ADO.NET for both backends: migrate, append (hash chain,
/// optimistic concurrency, idempotency, numbered appends, inline projections in the append's transaction), reads,
/// fetch-for-writing, chain verification, async projection batches and rebuilds. A backend
/// (SqliteEventStore, PostgresEventStore: one project each, so this core carries no driver) supplies only its dialect:
/// opening connections and write transactions, the append write itself, the global order's horizon and checkpoints,
/// time and data encoding, and how a unique violation is recognised. Concerns are split over partial files
/// (Append, Reads, Projections). SQL here is portable (<c>@name</c> parameters).
/// </summary>
public abstract partial class RelationalEventStore : IEventStore
{
    /// <summary>The event columns in the order <see cref="ReadEvent"/> expects.</summary>
    private protected const string EventColumns = "stream_id, version, global_position, type, data, actor_user, actor_agency, occurred_at, correlation_id, causation_id, idempotency_key, hash, prev_hash";

    private readonly IProjection[] projections;
    private readonly IProjection[] inline;
    private readonly HeadCache heads = new();

    private protected RelationalEventStore(IEnumerable<IProjection>? projections)
    {
        this.projections = [.. projections ?? []];
        inline = [.. this.projections.Where(p => p.Mode == ProjectionMode.Inline)];
    }

    public abstract string Backend { get; }

    public abstract SqlDialect Dialect { get; }

    /// <summary>Which database this store writes to (SQLite: the file; PostgreSQL: the schema), as telemetry names it.</summary>
    public abstract string Database { get; }

    /// <summary>The projections registered with the store (their migrations run with the store's).</summary>
    private protected IReadOnlyList<IProjection> Projections => projections;

    // ------------------------------------------------------------------ dialect hooks

    /// <summary>Opens a connection (the store's errors say which database could not be reached).</summary>
    private protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Begins a write transaction on <paramref name="connection"/>: SQLite serialises writers (one at a time in the
    /// process, <c>BEGIN IMMEDIATE</c>); PostgreSQL relies on row locks. Disposing the scope rolls back what was not committed.
    /// </summary>
    private protected abstract Task<WriteScope> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a chained plan in the write transaction: moves the stream head only if it is still <paramref name="head"/>
    /// (inserting it for a new stream), records the idempotency (and creation) key, inserts the events. Returns their global
    /// positions in version order, or null when the head had moved (nothing written). A used key surfaces as a unique violation.
    /// </summary>
    private protected abstract Task<long[]?> WriteEventsAsync(DbConnection connection, DbTransaction transaction, AppendPlan plan, StreamHead head, CancellationToken cancellationToken);

    /// <summary>
    /// Writes several chained plans, in order, in the write transaction (a group commit), after moving the counters
    /// <paramref name="moves"/> names — each only from the value the group expects it to hold (a counter another writer
    /// moved throws <see cref="CounterMovedException"/>, nothing of the group written). For each plan, what
    /// <see cref="WriteEventsAsync(DbConnection, DbTransaction, AppendPlan, StreamHead, CancellationToken)"/> gives. A
    /// backend that can send them in one round trip does (PostgreSQL: one batch); by default one after another.
    /// </summary>
    private protected virtual async Task<long[]?[]> WriteEventsAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<CounterMove> moves, IReadOnlyList<(AppendPlan Plan, StreamHead Head)> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(moves);
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var move in moves)
        {
            await using var command = Command(connection, transaction, CounterMove.Sql, move.Parameters);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                throw new CounterMovedException(move.Counter);
            }
        }

        var positions = new long[]?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            positions[i] = await WriteEventsAsync(connection, transaction, writes[i].Plan, writes[i].Head, cancellationToken).ConfigureAwait(false);
        }

        return positions;
    }

    /// <summary>
    /// True where the driver follows a <c>COMMIT</c> sent as SQL at the end of a batch (Npgsql): the read models' writes
    /// and the commit then go in one round trip.
    /// </summary>
    private protected virtual bool CommitsInBatch => false;

    /// <summary>
    /// True where transactions run side by side (PostgreSQL's row locks): the next group is written while the one before
    /// it commits — its counters' rows wait for that commit, nothing else of it does. SQLite has one writer at a time.
    /// </summary>
    private protected virtual bool PipelinesGroups => false;

    /// <summary>The SQL function of the larger of two values (PostgreSQL GREATEST, SQLite max).</summary>
    private protected virtual string Greatest => "GREATEST";

    /// <summary>Events after <paramref name="after"/> in the global order; with <paramref name="horizon"/>, never past an event a running transaction could precede.</summary>
    private protected abstract Task<GlobalPage> ReadGlobalAsync(DbConnection connection, DbTransaction? transaction, GlobalCheckpoint after, int maxCount, bool horizon, CancellationToken cancellationToken);

    /// <summary>An async projection's checkpoint; with <paramref name="lockIt"/>, row-locked until the transaction ends (one node advances it at a time).</summary>
    private protected abstract Task<GlobalCheckpoint> ReadCheckpointAsync(DbConnection connection, DbTransaction? transaction, string projection, bool lockIt, CancellationToken cancellationToken);

    private protected abstract Task SaveCheckpointAsync(DbConnection connection, DbTransaction transaction, string projection, GlobalCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>Outside any transaction, before the migrations (SQLite: the WAL journal).</summary>
    private protected virtual Task BeforeMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>In the migrations' transaction, first: locks, the schema, the pe_schema_version table.</summary>
    private protected abstract Task PrepareMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Holds appends out while a rebuild runs (SQLite: the write scope already does).</summary>
    private protected virtual Task LockForRebuildAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A time as the events table stores it (a parameter value).</summary>
    private protected abstract object TimeValue(DateTimeOffset time);

    /// <summary>A time column read back.</summary>
    private protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>The event data column read back as the exact bytes that were hashed.</summary>
    private protected abstract byte[] ReadData(DbDataReader reader, int ordinal);

    /// <summary>A column compared in byte order (stream id paging).</summary>
    private protected virtual string ByteOrder(string column) => column;

    /// <summary>The name of the unique constraint (or "table.columns") a database error violated; null for any other error.</summary>
    private protected abstract string? UniqueViolation(Exception exception);

    /// <summary>The database's own words for a unique violation, for <see cref="UniqueConstraintException"/>.</summary>
    private protected virtual string ViolationDetail(Exception exception) => exception.Message;

    // ------------------------------------------------------------------ shared helpers

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        await OpenAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A command with portable <c>@name</c> parameters (name, value; null is NULL).</summary>
    private protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // fixed SQL text from the store and its dialects; values go through parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        return command;
    }

    /// <summary>Sends the context's waiting writes and commits the transaction: in one round trip where <see cref="CommitsInBatch"/>.</summary>
    private protected async Task CommitAsync(ProjectionContext context, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transaction);
        if (CommitsInBatch)
        {
            await context.FlushAsync(commit: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        await context.FlushAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private protected static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Maps a row of <see cref="EventColumns"/> (from <paramref name="first"/> on); a row that no longer reads is named.</summary>
    private protected StoredEvent ReadEvent(DbDataReader reader, int first = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var streamId = reader.GetString(first);
        var version = reader.GetInt64(first + 1);
        try
        {
            var metadata = new EventMetadata(
                new Actor(reader.GetString(first + 5), reader.GetString(first + 6)),
                ReadTime(reader, first + 7),
                reader.IsDBNull(first + 8) ? null : reader.GetString(first + 8),
                reader.IsDBNull(first + 9) ? null : reader.GetString(first + 9),
                reader.IsDBNull(first + 10) ? null : reader.GetString(first + 10));
            return new StoredEvent(streamId, version, reader.GetInt64(first + 2), reader.GetString(first + 3), ReadData(reader, first + 4), metadata,
                reader.GetValue(first + 11) as byte[] ?? throw new InvalidCastException("hash column is not binary"),
                reader.GetValue(first + 12) as byte[] ?? throw new InvalidCastException("prev_hash column is not binary"));
        }
        catch (Exception ex) when (ex is InvalidCastException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new CorruptEventException(streamId, version, ex.Message);
        }
    }

    // ------------------------------------------------------------------ migrate

    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = new List<string>();
        var already = new List<string>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await BeforeMigrationAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var write = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = write.Transaction;
        await PrepareMigrationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var done = new HashSet<(string, long)>();
        await using (var read = Command(connection, transaction, "SELECT component, version FROM pe_schema_version"))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                done.Add((reader.GetString(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        foreach (var migration in AllMigrations(Dialect, projections))
        {
            var label = $"{migration.Component} v{migration.Version}: {migration.Description}";
            if (done.Contains((migration.Component, migration.Version)))
            {
                already.Add(label);
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO pe_schema_version (component, version, description, applied_at) VALUES (@c, @v, @d, @t)", cancellationToken,
                ("@c", migration.Component), ("@v", migration.Version), ("@d", migration.Description), ("@t", SchemaTime(DateTimeOffset.UtcNow))).ConfigureAwait(false);
            applied.Add(label);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new MigrationReport(applied, already);
    }

    /// <summary>Every migration a store with these projections expects, in the order they are applied: the store's own, then each projection's.</summary>
    internal static IEnumerable<Migration> AllMigrations(SqlDialect dialect, IEnumerable<IProjection> projections) =>
        Schema.CoreSchema.For(dialect).Concat(projections.SelectMany(p => p.Migrations(dialect)).OrderBy(m => m.Component, StringComparer.Ordinal).ThenBy(m => m.Version));

    /// <summary>How pe_schema_version.applied_at is written.</summary>
    private protected abstract object SchemaTime(DateTimeOffset time);

    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// A counter's row set from the value a group expects it to hold (the last number this process committed) to the last
/// number the group takes; if another writer moved it meanwhile, no row matches and nothing of the group is written.
/// </summary>
internal readonly record struct CounterMove(string Counter, long From, long To)
{
    /// <summary>The conditional update (parameters @n, @from, @to).</summary>
    public const string Sql = "UPDATE pe_counters SET value = @to WHERE name = @n AND value = @from";

    public (string Name, object? Value)[] Parameters => [("@n", Counter), ("@from", From), ("@to", To)];
}

/// <summary>
/// A counter's row no longer held the value a group expected (or, <see cref="NotFound"/>, was not there to hold it: the
/// group that creates it has not committed yet): the group is written again, its numbers taken under the row's lock.
/// </summary>
internal sealed class CounterMovedException(string counter, bool notFound = false)
    : EventStoreException($"counter '{counter}' was moved by another writer since this process last wrote it")
{
    public string Counter { get; } = counter;

    public bool NotFound { get; } = notFound;
}

/// <summary>A write transaction and what must be released with it (SQLite's writer gate).</summary>
public sealed class WriteScope(DbTransaction transaction, Action? release = null) : IAsyncDisposable
{
    public DbTransaction Transaction { get; } = transaction;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            release?.Invoke();
        }
    }
}
