using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using ProcedureEngine.EventStore.Core;

namespace ProcedureEngine.EventStore.Sqlite;

/// <summary>
/// SQLite dialect of the store: the embedded default of <c>serve</c> (one node). The algorithms are
/// <see cref="RelationalEventStore"/>'s; here: WAL journal, every write in a <c>BEGIN IMMEDIATE</c> transaction behind a
/// process-wide gate, so writers are serialised and global positions are assigned in commit order (async readers never
/// meet a gap, no horizon needed). Event data is TEXT holding the exact JSON bytes that were hashed; times are
/// microseconds since the Unix epoch.
/// </summary>
public sealed class SqliteEventStore : RelationalEventStore
{
    private readonly string connectionString;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly SqliteDurability durability;

    private SqliteEventStore(string connectionString, IEnumerable<IProjection> projections, SqliteDurability durability)
        : base(projections)
    {
        this.connectionString = connectionString;
        this.durability = durability;
    }

    public override string Backend => "sqlite";

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override string Database => DataSource;

    /// <summary>The database file.</summary>
    public string DataSource { get; private set; } = string.Empty;

    /// <summary>
    /// Opens a store from a file path or a SQLite connection string ("Data Source=..."). The file's folder is created
    /// when missing; the tables are created by <see cref="RelationalEventStore.MigrateAsync"/>.
    /// </summary>
    public static SqliteEventStore Open(string pathOrConnectionString, IEnumerable<IProjection>? projections = null) =>
        Open(pathOrConnectionString, projections, SqliteDurability.Full);

    /// <summary>
    /// Opens a store with an explicit durability: <see cref="SqliteDurability.Full"/> (the default: an acknowledged
    /// append survives power loss) or <see cref="SqliteDurability.Normal"/> (benchmarks' baseline only).
    /// </summary>
    public static SqliteEventStore Open(string pathOrConnectionString, IEnumerable<IProjection>? projections, SqliteDurability durability)
    {
        ArgumentNullException.ThrowIfNull(pathOrConnectionString);
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = pathOrConnectionString.Contains('=', StringComparison.Ordinal)
                ? new SqliteConnectionStringBuilder(pathOrConnectionString)
                : new SqliteConnectionStringBuilder { DataSource = pathOrConnectionString };
        }
        catch (ArgumentException ex)
        {
            throw new EventStoreException($"invalid SQLite connection string: {ex.Message}", ex);
        }

        builder.Pooling = true;
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder) && builder.Mode != SqliteOpenMode.Memory)
        {
            Directory.CreateDirectory(folder);
        }

        return new SqliteEventStore(builder.ConnectionString, projections ?? [], durability) { DataSource = builder.DataSource };
    }

    private protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // FULL: in WAL mode the log is synced at every commit, so an acknowledged dossier survives power loss
            // (NORMAL syncs only at checkpoints and may lose the last commits). Cost measured in docs/event-store.md.
            await ExecuteAsync(connection, null, durability == SqliteDurability.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new EventStoreException($"cannot open SQLite database '{DataSource}': {ex.Message}", ex);
        }
    }

    private protected override async Task<WriteScope> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new WriteScope(((SqliteConnection)connection).BeginTransaction(), () => writeGate.Release());
        }
        catch
        {
            writeGate.Release();
            throw;
        }
    }

    private protected override async Task<long[]?> WriteEventsAsync(DbConnection connection, DbTransaction transaction, AppendPlan plan, StreamHead head, CancellationToken cancellationToken)
    {
        // The head moves only from the version and hash the plan was chained on (another process may share the file).
        var now = TimeNormalizer.ToUnixMicroseconds(DateTimeOffset.UtcNow);
        await using (var move = head.Version == 0
            ? Command(connection, transaction, "INSERT INTO pe_streams (stream_id, version, last_hash, created_at, updated_at) VALUES (@s, @v, @h, @n, @n) ON CONFLICT (stream_id) DO NOTHING",
                ("@s", plan.StreamId), ("@v", plan.LastVersion), ("@h", plan.LastHash), ("@n", now))
            : Command(connection, transaction, "UPDATE pe_streams SET version = @v, last_hash = @h, updated_at = @n WHERE stream_id = @s AND version = @e AND last_hash = @p",
                ("@s", plan.StreamId), ("@v", plan.LastVersion), ("@h", plan.LastHash), ("@n", now), ("@e", head.Version), ("@p", head.LastHash.ToArray())))
        {
            if (await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }
        }

        if (plan.IdempotencyKey is not null)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO pe_idempotency (stream_id, key, first_version, last_version) VALUES (@s, @k, @f, @l)", cancellationToken,
                ("@s", plan.StreamId), ("@k", plan.IdempotencyKey), ("@f", plan.FirstVersion), ("@l", plan.LastVersion)).ConfigureAwait(false);
            if (head.Version == 0)
            {
                // The key that creates a stream is unique store-wide: a retry under a new id conflicts here.
                await ExecuteAsync(connection, transaction, "INSERT INTO pe_creation_keys (key, stream_id) VALUES (@k, @s)", cancellationToken,
                    ("@k", plan.IdempotencyKey), ("@s", plan.StreamId)).ConfigureAwait(false);
            }
        }

        var positions = new long[plan.Events.Count];
        await using var insert = (SqliteCommand)Command(connection, transaction, """
            INSERT INTO pe_events (stream_id, version, type, data, actor_user, actor_agency, occurred_at, correlation_id, causation_id, idempotency_key, hash, prev_hash)
            VALUES (@s, @v, @t, @d, @u, @a, @o, @c, @ca, @k, @h, @p) RETURNING global_position
            """, ("@s", plan.StreamId));
        var p = insert.Parameters;
        var version = p.Add("@v", SqliteType.Integer);
        var type = p.Add("@t", SqliteType.Text);
        var data = p.Add("@d", SqliteType.Text);
        var user = p.Add("@u", SqliteType.Text);
        var agency = p.Add("@a", SqliteType.Text);
        var occurred = p.Add("@o", SqliteType.Integer);
        var correlation = p.Add("@c", SqliteType.Text);
        var causation = p.Add("@ca", SqliteType.Text);
        var key = p.Add("@k", SqliteType.Text);
        var hash = p.Add("@h", SqliteType.Blob);
        var previous = p.Add("@p", SqliteType.Blob);
        for (var i = 0; i < plan.Events.Count; i++)
        {
            var e = plan.Events[i];
            version.Value = plan.FirstVersion + i;
            type.Value = e.Type;
            data.Value = Encoding.UTF8.GetString(e.Data.Span);
            user.Value = e.Metadata.Actor.User;
            agency.Value = e.Metadata.Actor.Agency;
            occurred.Value = TimeNormalizer.ToUnixMicroseconds(e.Metadata.Time);
            correlation.Value = (object?)e.Metadata.CorrelationId ?? DBNull.Value;
            causation.Value = (object?)e.Metadata.CausationId ?? DBNull.Value;
            key.Value = (object?)e.Metadata.IdempotencyKey ?? DBNull.Value;
            hash.Value = plan.Hashes[i];
            previous.Value = plan.PreviousHashes[i];
            positions[i] = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        return positions;
    }

    private protected override async Task<GlobalPage> ReadGlobalAsync(DbConnection connection, DbTransaction? transaction, GlobalCheckpoint after, int maxCount, bool horizon, CancellationToken cancellationToken)
    {
        // Writers are serialised and commit in position order: the order is the position, with no horizon.
        await using var command = Command(connection, transaction, $"SELECT {EventColumns} FROM pe_events WHERE global_position > @p ORDER BY global_position LIMIT @n",
            ("@p", after.Position), ("@n", maxCount));
        var events = new List<StoredEvent>(Math.Min(maxCount, 10_000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(ReadEvent(reader));
        }

        return new GlobalPage(events, events.Count == 0 ? after : new GlobalCheckpoint(0, events[^1].GlobalPosition));
    }

    private protected override async Task<GlobalCheckpoint> ReadCheckpointAsync(DbConnection connection, DbTransaction? transaction, string projection, bool lockIt, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT position FROM pe_checkpoints WHERE projection = @n", ("@n", projection));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position ? new GlobalCheckpoint(0, position) : GlobalCheckpoint.Start;
    }

    private protected override Task SaveCheckpointAsync(DbConnection connection, DbTransaction transaction, string projection, GlobalCheckpoint checkpoint, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            INSERT INTO pe_checkpoints (projection, position, updated_at) VALUES (@n, @p, @t)
            ON CONFLICT (projection) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            """, cancellationToken, ("@n", projection), ("@p", checkpoint.Position), ("@t", TimeNormalizer.ToUnixMicroseconds(DateTimeOffset.UtcNow)));

    private protected override async Task PrepareMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS pe_schema_version (
                component   TEXT NOT NULL,
                version     INTEGER NOT NULL,
                description TEXT NOT NULL,
                applied_at  TEXT NOT NULL,
                PRIMARY KEY (component, version)
            )
            """, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>WAL: a database setting, outside any transaction.</summary>
    private protected override Task BeforeMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);

    private protected override string Greatest => "max";

    private protected override object TimeValue(DateTimeOffset time) => TimeNormalizer.ToUnixMicroseconds(time);

    private protected override object SchemaTime(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => TimeNormalizer.FromUnixMicroseconds(reader.GetInt64(ordinal));

    private protected override byte[] ReadData(DbDataReader reader, int ordinal) => reader.GetValue(ordinal) switch
    {
        string text => Encoding.UTF8.GetBytes(text),
        byte[] blob => blob,
        var other => throw new InvalidCastException($"data column holds {other.GetType().Name}, not JSON text"),
    };

    /// <summary>
    /// The "table.column" of a SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY violation ("UNIQUE constraint failed:
    /// table.column"), null for any other error.
    /// </summary>
    private protected override string? UniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 } e ? e.Message[(e.Message.LastIndexOf(':') + 1)..].Trim().TrimEnd('.', '\'') : null;

    private protected override string ViolationDetail(Exception exception) => "a read model already has this value";

    public override ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        writeGate.Dispose();
        return ValueTask.CompletedTask;
    }
}
