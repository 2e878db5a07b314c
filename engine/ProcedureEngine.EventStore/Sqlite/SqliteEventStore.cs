using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace ProcedureEngine.EventStore.Sqlite;

/// <summary>
/// SQLite backend: the embedded default of <c>serve</c> (one node). WAL journal; every write runs in a
/// <c>BEGIN IMMEDIATE</c> transaction, so writers are serialised and global positions are assigned in commit order
/// (async readers never meet a gap). Event data is TEXT holding the exact JSON bytes that were hashed.
/// </summary>
public sealed class SqliteEventStore : IEventStore
{
    private const string EventColumns = "stream_id, version, global_position, type, data, actor_user, actor_agency, occurred_at, correlation_id, causation_id, idempotency_key, hash, prev_hash";

    private readonly string connectionString;
    private readonly IProjection[] projections;
    private readonly IProjection[] inline;
    private readonly SemaphoreSlim writeGate = new(1, 1);

    private readonly SqliteDurability durability;

    private SqliteEventStore(string connectionString, IEnumerable<IProjection> projections, SqliteDurability durability)
    {
        this.durability = durability;
        this.connectionString = connectionString;
        this.projections = [.. projections];
        inline = [.. this.projections.Where(p => p.Mode == ProjectionMode.Inline)];
    }

    public string Backend => "sqlite";

    public SqlDialect Dialect => SqlDialect.Sqlite;

    /// <summary>The database file.</summary>
    public string DataSource { get; private set; } = string.Empty;

    /// <summary>
    /// Opens a store from a file path or a SQLite connection string ("Data Source=..."). The file's folder is created
    /// when missing; the tables are created by <see cref="MigrateAsync"/>.
    /// </summary>
    public static SqliteEventStore Open(string pathOrConnectionString, IEnumerable<IProjection>? projections = null) =>
        Open(pathOrConnectionString, projections, SqliteDurability.Full);

    /// <summary>
    /// Opens a store with an explicit durability: <see cref="SqliteDurability.Full"/> (the default: an acknowledged
    /// append survives power loss) or <see cref="SqliteDurability.Normal"/> (benchmarks' baseline only).
    /// </summary>
    public static SqliteEventStore Open(string pathOrConnectionString, IEnumerable<IProjection>? projections, SqliteDurability durability)
    {
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

    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = new List<string>();
        var already = new List<string>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        Execute(connection, null, "PRAGMA journal_mode = WAL");
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, """
                CREATE TABLE IF NOT EXISTS pe_schema_version (
                    component   TEXT NOT NULL,
                    version     INTEGER NOT NULL,
                    description TEXT NOT NULL,
                    applied_at  TEXT NOT NULL,
                    PRIMARY KEY (component, version)
                )
                """);
            var done = new HashSet<(string, long)>();
            using (var read = Command(connection, transaction, "SELECT component, version FROM pe_schema_version"))
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read())
                {
                    done.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }

            foreach (var migration in Postgres.PostgresEventStore.AllMigrations(SqlDialect.Sqlite, projections))
            {
                var label = $"{migration.Component} v{migration.Version}: {migration.Description}";
                if (done.Contains((migration.Component, migration.Version)))
                {
                    already.Add(label);
                    continue;
                }

                Execute(connection, transaction, migration.Sql);
                using var record = Command(connection, transaction, "INSERT INTO pe_schema_version (component, version, description, applied_at) VALUES (@c, @v, @d, @t)");
                record.Parameters.AddWithValue("@c", migration.Component);
                record.Parameters.AddWithValue("@v", migration.Version);
                record.Parameters.AddWithValue("@d", migration.Description);
                record.Parameters.AddWithValue("@t", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                record.ExecuteNonQuery();
                applied.Add(label);
            }

            transaction.Commit();
        }
        finally
        {
            writeGate.Release();
        }

        return new MigrationReport(applied, already);
    }

    public async Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        var plan = AppendPlan.Create(streamId, expectedVersion, events);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction();
            if (plan.IdempotencyKey is not null)
            {
                using var find = Command(connection, transaction, """
                    SELECT i.first_version, i.last_version, e.global_position
                    FROM pe_idempotency i JOIN pe_events e ON e.stream_id = i.stream_id AND e.version = i.last_version
                    WHERE i.stream_id = @s AND i.key = @k
                    """);
                find.Parameters.AddWithValue("@s", streamId);
                find.Parameters.AddWithValue("@k", plan.IdempotencyKey);
                using var found = find.ExecuteReader();
                if (found.Read())
                {
                    return new AppendResult(streamId, found.GetInt64(0), found.GetInt64(1), found.GetInt64(2), true);
                }
            }

            var head = ReadHead(connection, transaction, streamId) ?? new StreamHead(0, HashChain.Genesis);
            if (head.Version == 0 && plan.IdempotencyKey is not null)
            {
                // The key that creates a stream is unique store-wide: a retry under a new id returns the first stream.
                using var find = Command(connection, transaction, """
                    SELECT c.stream_id, i.first_version, i.last_version, e.global_position
                    FROM pe_creation_keys c
                    JOIN pe_idempotency i ON i.stream_id = c.stream_id AND i.key = c.key
                    JOIN pe_events e ON e.stream_id = i.stream_id AND e.version = i.last_version
                    WHERE c.key = @k
                    """);
                find.Parameters.AddWithValue("@k", plan.IdempotencyKey);
                using var found = find.ExecuteReader();
                if (found.Read())
                {
                    return new AppendResult(found.GetString(0), found.GetInt64(1), found.GetInt64(2), found.GetInt64(3), true);
                }
            }

            if (expectedVersion != ExpectedVersion.Any && head.Version != expectedVersion)
            {
                throw new ConcurrencyException(streamId, expectedVersion, head.Version);
            }

            plan.Chain(head.Version, head.LastHash.Span);
            var positions = new long[plan.Events.Count];
            using (var insert = Command(connection, transaction, """
                INSERT INTO pe_events (stream_id, version, type, data, actor_user, actor_agency, occurred_at, correlation_id, causation_id, idempotency_key, hash, prev_hash)
                VALUES (@s, @v, @t, @d, @u, @a, @o, @c, @ca, @k, @h, @p) RETURNING global_position
                """))
            {
                var p = insert.Parameters;
                p.AddWithValue("@s", streamId);
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
                    positions[i] = (long)insert.ExecuteScalar()!;
                }
            }

            var now = TimeNormalizer.ToUnixMicroseconds(DateTimeOffset.UtcNow);
            using (var upsert = Command(connection, transaction, """
                INSERT INTO pe_streams (stream_id, version, last_hash, created_at, updated_at) VALUES (@s, @v, @h, @n, @n)
                ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, last_hash = excluded.last_hash, updated_at = excluded.updated_at
                """))
            {
                upsert.Parameters.AddWithValue("@s", streamId);
                upsert.Parameters.AddWithValue("@v", plan.LastVersion);
                upsert.Parameters.AddWithValue("@h", plan.LastHash);
                upsert.Parameters.AddWithValue("@n", now);
                upsert.ExecuteNonQuery();
            }

            if (plan.IdempotencyKey is not null)
            {
                using var idem = Command(connection, transaction, "INSERT INTO pe_idempotency (stream_id, key, first_version, last_version) VALUES (@s, @k, @f, @l)");
                idem.Parameters.AddWithValue("@s", streamId);
                idem.Parameters.AddWithValue("@k", plan.IdempotencyKey);
                idem.Parameters.AddWithValue("@f", plan.FirstVersion);
                idem.Parameters.AddWithValue("@l", plan.LastVersion);
                idem.ExecuteNonQuery();
                if (head.Version == 0)
                {
                    using var created = Command(connection, transaction, "INSERT INTO pe_creation_keys (key, stream_id) VALUES (@k, @s)");
                    created.Parameters.AddWithValue("@k", plan.IdempotencyKey);
                    created.Parameters.AddWithValue("@s", streamId);
                    created.ExecuteNonQuery();
                }
            }

            if (inline.Length > 0)
            {
                var context = new ProjectionContext(connection, transaction, SqlDialect.Sqlite);
                var stored = plan.ToStored(positions);
                try
                {
                    foreach (var projection in inline)
                    {
                        await projection.ApplyAsync(context, stored, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (SqliteException e) when (UniqueConstraint(e) is { } constraint)
                {
                    // The transaction rolls back, events included.
                    throw new UniqueConstraintException(streamId, constraint, "a read model already has this value", e);
                }
            }

            transaction.Commit();
            return new AppendResult(streamId, plan.FirstVersion, plan.LastVersion, positions[^1], false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */ && ex.Message.Contains("pe_events", StringComparison.Ordinal))
        {
            // Another process appended between our read and write (only possible with several processes on one file).
            var actual = await GetStreamVersionAsync(streamId, cancellationToken).ConfigureAwait(false);
            throw new ConcurrencyException(streamId, expectedVersion, actual);
        }
        finally
        {
            writeGate.Release();
        }
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return ReadStream(connection, null, streamId, at);
    }

    private static List<StoredEvent> ReadStream(SqliteConnection connection, SqliteTransaction? transaction, string streamId, DateTimeOffset? at)
    {
        using var command = Command(connection, transaction, at is null
            ? $"SELECT {EventColumns} FROM pe_events WHERE stream_id = @s ORDER BY version"
            : $"SELECT {EventColumns} FROM pe_events WHERE stream_id = @s AND occurred_at <= @at ORDER BY version");
        command.Parameters.AddWithValue("@s", streamId);
        if (at is not null)
        {
            command.Parameters.AddWithValue("@at", TimeNormalizer.ToUnixMicroseconds(at.Value));
        }

        var events = new List<StoredEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(ReadEvent(reader));
        }

        return events;
    }

    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return ReadHead(connection, null, streamId)?.Version ?? 0;
    }

    public async Task<IReadOnlyList<StreamVersion>> ListStreamsAsync(string? afterStreamId, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // SQLite compares TEXT with BINARY collation: UTF-8 byte order, so paging by id never skips or repeats a stream.
        using var command = Command(connection, null, "SELECT stream_id, version FROM pe_streams WHERE stream_id > @a ORDER BY stream_id LIMIT @n");
        command.Parameters.AddWithValue("@a", afterStreamId ?? string.Empty);
        command.Parameters.AddWithValue("@n", maxCount);
        var streams = new List<StreamVersion>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            streams.Add(new StreamVersion(reader.GetString(0), reader.GetInt64(1)));
        }

        return streams;
    }

    public async Task<GlobalPage> ReadAllAsync(GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return ReadAll(connection, null, after, maxCount);
    }

    private static GlobalPage ReadAll(SqliteConnection connection, SqliteTransaction? transaction, GlobalCheckpoint after, int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        using var command = Command(connection, transaction, $"SELECT {EventColumns} FROM pe_events WHERE global_position > @p ORDER BY global_position LIMIT @n");
        command.Parameters.AddWithValue("@p", after.Position);
        command.Parameters.AddWithValue("@n", maxCount);
        var events = new List<StoredEvent>(Math.Min(maxCount, 10_000));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(ReadEvent(reader));
        }

        return new GlobalPage(events, events.Count == 0 ? after : new GlobalCheckpoint(0, events[^1].GlobalPosition));
    }

    public async Task<ChainVerification> VerifyStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: true);
        var head = ReadHead(connection, transaction, streamId);
        var events = ReadStream(connection, transaction, streamId, null);
        transaction.Commit();
        return HashChain.Verify(streamId, events, head);
    }

    public async Task<int> RunProjectionBatchAsync(IProjection projection, int batchSize, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction();
            var checkpoint = ReadCheckpoint(connection, transaction, projection.Name);
            var page = ReadAll(connection, transaction, checkpoint, batchSize);
            if (page.Events.Count == 0)
            {
                transaction.Commit();
                return 0;
            }

            await projection.ApplyAsync(new ProjectionContext(connection, transaction, SqlDialect.Sqlite), page.Events, cancellationToken).ConfigureAwait(false);
            SaveCheckpoint(connection, transaction, projection.Name, page.Next);
            transaction.Commit();
            return page.Events.Count;
        }
        finally
        {
            writeGate.Release();
        }
    }

    public async Task<GlobalCheckpoint> GetCheckpointAsync(string projectionName, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return ReadCheckpoint(connection, null, projectionName);
    }

    public async Task<RebuildReport> RebuildProjectionsAsync(IReadOnlyList<IProjection> projections, int batchSize = 5000, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction();
            foreach (var table in projections.SelectMany(p => p.Tables).Distinct(StringComparer.Ordinal))
            {
                Execute(connection, transaction, $"DELETE FROM {table}");
            }

            var context = new ProjectionContext(connection, transaction, SqlDialect.Sqlite);
            var checkpoint = GlobalCheckpoint.Start;
            long total = 0;
            while (true)
            {
                var page = ReadAll(connection, transaction, checkpoint, batchSize);
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
                    catch (SqliteException e) when (UniqueConstraint(e) is { } constraint)
                    {
                        throw UniqueConstraintException.InRebuild(projection.Name, constraint, "a value appears twice", e);
                    }
                }

                total += page.Events.Count;
                checkpoint = page.Next;
            }

            foreach (var projection in projections.Where(p => p.Mode == ProjectionMode.Async))
            {
                SaveCheckpoint(connection, transaction, projection.Name, checkpoint);
            }

            transaction.Commit();
            return new RebuildReport(total, projections.Count, watch.Elapsed);
        }
        finally
        {
            writeGate.Release();
        }
    }

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        await OpenAsync(cancellationToken).ConfigureAwait(false);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // FULL: in WAL mode the log is synced at every commit, so an acknowledged dossier survives power loss
            // (NORMAL syncs only at checkpoints and may lose the last commits). Cost measured in docs/event-store.md.
            Execute(connection, null, durability == SqliteDurability.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new EventStoreException($"cannot open SQLite database '{DataSource}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The "table.column" of a SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY violation ("UNIQUE constraint failed:
    /// table.column"), null for any other error.
    /// </summary>
    private static string? UniqueConstraint(SqliteException e) =>
        e.SqliteExtendedErrorCode is 2067 or 1555 ? e.Message[(e.Message.LastIndexOf(':') + 1)..].Trim().TrimEnd('.', '\'') : null;

    private static StreamHead? ReadHead(SqliteConnection connection, SqliteTransaction? transaction, string streamId)
    {
        using var command = Command(connection, transaction, "SELECT version, last_hash FROM pe_streams WHERE stream_id = @s");
        command.Parameters.AddWithValue("@s", streamId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StreamHead(reader.GetInt64(0), (byte[])reader.GetValue(1)) : null;
    }

    private static GlobalCheckpoint ReadCheckpoint(SqliteConnection connection, SqliteTransaction? transaction, string name)
    {
        using var command = Command(connection, transaction, "SELECT position FROM pe_checkpoints WHERE projection = @n");
        command.Parameters.AddWithValue("@n", name);
        return command.ExecuteScalar() is long position ? new GlobalCheckpoint(0, position) : GlobalCheckpoint.Start;
    }

    private static void SaveCheckpoint(SqliteConnection connection, SqliteTransaction transaction, string name, GlobalCheckpoint checkpoint)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO pe_checkpoints (projection, position, updated_at) VALUES (@n, @p, @t)
            ON CONFLICT (projection) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            """);
        command.Parameters.AddWithValue("@n", name);
        command.Parameters.AddWithValue("@p", checkpoint.Position);
        command.Parameters.AddWithValue("@t", TimeNormalizer.ToUnixMicroseconds(DateTimeOffset.UtcNow));
        command.ExecuteNonQuery();
    }

    private static StoredEvent ReadEvent(SqliteDataReader reader)
    {
        var streamId = reader.GetString(0);
        var version = reader.GetInt64(1);
        try
        {
            var metadata = new EventMetadata(
                new Actor(reader.GetString(5), reader.GetString(6)),
                TimeNormalizer.FromUnixMicroseconds(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10));
            var data = reader.GetValue(4) switch
            {
                string text => Encoding.UTF8.GetBytes(text),
                byte[] blob => blob,
                var other => throw new InvalidCastException($"data column holds {other.GetType().Name}, not JSON text"),
            };
            return new StoredEvent(streamId, version, reader.GetInt64(2), reader.GetString(3), data, metadata,
                reader.GetValue(11) as byte[] ?? throw new InvalidCastException("hash column is not a blob"),
                reader.GetValue(12) as byte[] ?? throw new InvalidCastException("prev_hash column is not a blob"));
        }
        catch (Exception ex) when (ex is InvalidCastException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new CorruptEventException(streamId, version, ex.Message);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // fixed SQL text; values are parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    public ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        writeGate.Dispose();
        return ValueTask.CompletedTask;
    }
}
