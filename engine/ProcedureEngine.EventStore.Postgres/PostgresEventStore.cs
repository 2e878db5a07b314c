using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using ProcedureEngine.EventStore.Core;

namespace ProcedureEngine.EventStore.Postgres;

/// <summary>
/// PostgreSQL dialect of the store (production; several server nodes may share one database). The algorithms are
/// <see cref="RelationalEventStore"/>'s; this class supplies:
/// <list type="bullet">
/// <item>The append write: ONE statement (a data-modifying CTE) that advances the stream head row only if it is still at
/// the expected version and hash, records the idempotency key, and inserts the events only when the head moved. Several
/// nodes are safe: the head row update serialises writers of a stream, (stream_id, version) is unique, and a losing
/// writer sees zero rows and gets a <see cref="ConcurrencyException"/> with nothing written.</item>
/// <item>Event data in a <c>json</c> column, which keeps the exact text hashed (jsonb would reorder keys).</item>
/// <item>The global order for async consumers: (tx_id, global_position), read only below
/// <c>pg_snapshot_xmin(pg_current_snapshot())</c>: every transaction under that horizon has finished, so no event can
/// later appear before the checkpoint (no skipped events, no gap waiting). See docs/event-store.md.</item>
/// </list>
/// </summary>
public sealed partial class PostgresEventStore : RelationalEventStore
{
    private readonly NpgsqlDataSource dataSource;

    private PostgresEventStore(NpgsqlDataSource dataSource, string schema, IEnumerable<IProjection> projections)
        : base(projections)
    {
        this.dataSource = dataSource;
        Schema = schema;
    }

    public override string Backend => "postgres";

    public override string Database => Schema;

    public override SqlDialect Dialect => SqlDialect.Postgres;

    /// <summary>The PostgreSQL schema holding the tables (set as the connections' search_path).</summary>
    public string Schema { get; }

    internal NpgsqlDataSource DataSource => dataSource;

    /// <summary>Opens a store on a connection string; tables live in <paramref name="schema"/> (created by migrate).</summary>
    public static PostgresEventStore Open(string connectionString, string schema = "public", IEnumerable<IProjection>? projections = null)
    {
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"schema name '{schema}' must be lower-case letters, digits and underscores", nameof(schema));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new EventStoreException($"invalid PostgreSQL connection string: {ex.Message}", ex);
        }

        builder.SearchPath = schema;
        if (!Names(connectionString, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        var source = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        return new PostgresEventStore(source, schema, projections ?? []);
    }

    /// <summary>
    /// How many statements each connection keeps prepared (Npgsql's <c>Max Auto Prepare</c>) unless the connection
    /// string sets it: the store sends the same few statements for every command, and parsing and planning them again
    /// each time was most of PostgreSQL's work per receipt (docs/event-store.md). Behind a pooler that cannot keep
    /// prepared statements (PgBouncer in transaction mode before 1.21), set <c>Max Auto Prepare=0</c>.
    /// </summary>
    public const int AutoPreparedStatements = 64;

    /// <summary>True when <paramref name="connectionString"/> sets <paramref name="keyword"/> (spaces and case ignored).</summary>
    private static bool Names(string connectionString, string keyword)
    {
        var wanted = keyword.Replace(" ", "", StringComparison.Ordinal);
        return new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(k => string.Equals(k.Replace(" ", "", StringComparison.Ordinal), wanted, StringComparison.OrdinalIgnoreCase));
    }

    private protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await OpenNpgsqlAsync(cancellationToken).ConfigureAwait(false);

    internal async Task<NpgsqlConnection> OpenNpgsqlAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw new EventStoreException($"cannot connect to PostgreSQL: {ex.Message}", ex);
        }
    }

    private protected override async Task<WriteScope> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        new(await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false));

    private protected override async Task<long[]?> WriteEventsAsync(DbConnection connection, DbTransaction transaction, AppendPlan plan, StreamHead head, CancellationToken cancellationToken) =>
        (await WriteEventsAsync(connection, transaction, [], [(plan, head)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Npgsql follows a COMMIT sent in a batch: the read models' writes and the commit share a round trip.</summary>
    private protected override bool CommitsInBatch => true;

    /// <summary>The next group is written while the one before it commits (its log flush): row locks keep them apart.</summary>
    private protected override bool PipelinesGroups => true;

    /// <summary>The counters' conditional moves and every plan's statement in one batch: one round trip for a whole group.</summary>
    private protected override async Task<long[]?[]> WriteEventsAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<CounterMove> moves, IReadOnlyList<(AppendPlan Plan, StreamHead Head)> writes, CancellationToken cancellationToken)
    {
        var result = new long[]?[writes.Count];
        if (writes.Count == 0 && moves.Count == 0)
        {
            return result;
        }

        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        foreach (var move in moves)
        {
            // The row is locked first, then moved if it holds what this group expects. The lock waits for a group still
            // committing and the UPDATE, a statement of its own, then sees that group's value; an UPDATE alone would test
            // its condition against the row as it was before that group (READ COMMITTED) and miss.
            var locking = new NpgsqlBatchCommand("SELECT 1 FROM pe_counters WHERE name = @n FOR UPDATE");
            locking.Parameters.AddWithValue("@n", move.Counter);
            batch.BatchCommands.Add(locking);
            var moving = new NpgsqlBatchCommand(CounterMove.Sql + " RETURNING 1");
            foreach (var (name, value) in move.Parameters)
            {
                moving.Parameters.AddWithValue(name, value!);
            }

            batch.BatchCommands.Add(moving);
        }

        foreach (var (plan, head) in writes)
        {
            batch.BatchCommands.Add(BuildAppendCommand(plan, head));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        foreach (var move in moves)
        {
            // No row to lock: inserted by a group that has not committed yet, or never (it is not visible, so not waited for).
            var exists = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new CounterMovedException(move.Counter, notFound: !exists); // the batch's appends are rolled back with the transaction
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < writes.Count; i++)
        {
            var plan = writes[i].Plan;
            var positions = new long[plan.Events.Count];
            var count = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                positions[count++] = reader.GetInt64(0);
            }

            if (count != 0 && count != positions.Length)
            {
                throw new EventStoreException($"stream '{plan.StreamId}': {count} of {positions.Length} events were written; the transaction is rolled back");
            }

            Array.Sort(positions);
            result[i] = count == 0 ? null : positions;
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private static NpgsqlBatchCommand BuildAppendCommand(AppendPlan plan, StreamHead head)
    {
        var command = new NpgsqlBatchCommand();
        var p = command.Parameters;
        string Add(object? value, NpgsqlDbType type)
        {
            p.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
            return "$" + p.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var sql = new StringBuilder(512);
        var stream = Add(plan.StreamId, NpgsqlDbType.Text);
        var last = Add(plan.LastVersion, NpgsqlDbType.Bigint);
        var lastHash = Add(plan.LastHash, NpgsqlDbType.Bytea);
        if (head.Version == 0)
        {
            sql.Append("WITH head AS (INSERT INTO pe_streams (stream_id, version, last_hash) VALUES (")
               .Append(stream).Append(", ").Append(last).Append(", ").Append(lastHash)
               .Append(") ON CONFLICT (stream_id) DO NOTHING RETURNING 1)");
        }
        else
        {
            sql.Append("WITH head AS (UPDATE pe_streams SET version = ").Append(last).Append(", last_hash = ").Append(lastHash)
               .Append(", updated_at = now() WHERE stream_id = ").Append(stream)
               .Append(" AND version = ").Append(Add(head.Version, NpgsqlDbType.Bigint))
               .Append(" AND last_hash = ").Append(Add(head.LastHash.ToArray(), NpgsqlDbType.Bytea)).Append(" RETURNING 1)");
        }

        if (plan.IdempotencyKey is not null)
        {
            var key = Add(plan.IdempotencyKey, NpgsqlDbType.Text);
            sql.Append(", idem AS (INSERT INTO pe_idempotency (stream_id, key, first_version, last_version) SELECT ")
               .Append(stream).Append(", ").Append(key).Append(", ")
               .Append(Add(plan.FirstVersion, NpgsqlDbType.Bigint)).Append(", ").Append(last).Append(" FROM head RETURNING 1)");
            if (head.Version == 0)
            {
                // The key that creates a stream is unique store-wide (pe_creation_keys_pkey): a retry under a new id conflicts.
                sql.Append(", created AS (INSERT INTO pe_creation_keys (key, stream_id) SELECT ").Append(key).Append(", ").Append(stream).Append(" FROM head RETURNING 1)");
            }
        }

        sql.Append(" INSERT INTO pe_events (stream_id, version, type, data, actor_user, actor_agency, occurred_at, correlation_id, causation_id, idempotency_key, hash, prev_hash) SELECT ")
           .Append(stream).Append(", v.* FROM (VALUES ");
        for (var i = 0; i < plan.Events.Count; i++)
        {
            var e = plan.Events[i];
            var m = e.Metadata;
            if (i > 0)
            {
                sql.Append(", ");
            }

            sql.Append('(')
               .Append(Add(plan.FirstVersion + i, NpgsqlDbType.Bigint)).Append(", ")
               .Append(Add(e.Type, NpgsqlDbType.Text)).Append(", ")
               .Append(Add(e.Data.ToArray(), NpgsqlDbType.Json)).Append(", ")
               .Append(Add(m.Actor.User, NpgsqlDbType.Text)).Append(", ")
               .Append(Add(m.Actor.Agency, NpgsqlDbType.Text)).Append(", ")
               .Append(Add(m.Time, NpgsqlDbType.TimestampTz)).Append(", ")
               .Append(Add(m.CorrelationId, NpgsqlDbType.Text)).Append(", ")
               .Append(Add(m.CausationId, NpgsqlDbType.Text)).Append(", ")
               .Append(Add(m.IdempotencyKey, NpgsqlDbType.Text)).Append(", ")
               .Append(Add(plan.Hashes[i], NpgsqlDbType.Bytea)).Append(", ")
               .Append(Add(plan.PreviousHashes[i], NpgsqlDbType.Bytea)).Append(')');
        }

        sql.Append(") AS v WHERE EXISTS (SELECT 1 FROM head) RETURNING global_position");
#pragma warning disable CA2100 // built from fixed fragments and positional parameter markers only
        command.CommandText = sql.ToString();
#pragma warning restore CA2100
        return command;
    }

    private protected override async Task<GlobalPage> ReadGlobalAsync(DbConnection connection, DbTransaction? transaction, GlobalCheckpoint after, int maxCount, bool horizon, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            SELECT {EventColumns}, tx_id::text AS tx_text FROM pe_events
            WHERE (tx_id, global_position) > (@tx::xid8, @p){(horizon ? " AND tx_id < pg_snapshot_xmin(pg_current_snapshot())" : "")}
            ORDER BY tx_id, global_position
            LIMIT @n
            """, ("@tx", after.TransactionId.ToString(CultureInfo.InvariantCulture)), ("@p", after.Position), ("@n", maxCount));
        var events = new List<StoredEvent>(Math.Min(maxCount, 10_000));
        var next = after;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var stored = ReadEvent(reader);
            events.Add(stored);
            next = new GlobalCheckpoint(ulong.Parse(reader.GetString(13), CultureInfo.InvariantCulture), stored.GlobalPosition);
        }

        return new GlobalPage(events, next);
    }

    private protected override async Task<GlobalCheckpoint> ReadCheckpointAsync(DbConnection connection, DbTransaction? transaction, string projection, bool lockIt, CancellationToken cancellationToken)
    {
        if (lockIt)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO pe_checkpoints (projection) VALUES (@n) ON CONFLICT (projection) DO NOTHING", cancellationToken, ("@n", projection)).ConfigureAwait(false);
        }

        await using var read = Command(connection, transaction, $"SELECT tx_id::text, position FROM pe_checkpoints WHERE projection = @n{(lockIt ? " FOR UPDATE" : "")}", ("@n", projection));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new GlobalCheckpoint(ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt64(1))
            : GlobalCheckpoint.Start;
    }

    private protected override Task SaveCheckpointAsync(DbConnection connection, DbTransaction transaction, string projection, GlobalCheckpoint checkpoint, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            INSERT INTO pe_checkpoints (projection, tx_id, position, updated_at) VALUES (@n, @tx::xid8, @p, now())
            ON CONFLICT (projection) DO UPDATE SET tx_id = excluded.tx_id, position = excluded.position, updated_at = now()
            """, cancellationToken, ("@n", projection), ("@tx", checkpoint.TransactionId.ToString(CultureInfo.InvariantCulture)), ("@p", checkpoint.Position));

    private protected override async Task PrepareMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock(hashtext('procedure-engine:migrate:{Schema}'))", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS \"{Schema}\"", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS pe_schema_version (
                component   text NOT NULL,
                version     integer NOT NULL,
                description text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (component, version)
            )
            """, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SHARE blocks appends (they update pe_streams) until the rebuild commits, and waits for appends in flight.</summary>
    private protected override Task LockForRebuildAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "LOCK TABLE pe_streams IN SHARE MODE", cancellationToken);

    private protected override object TimeValue(DateTimeOffset time) => time.ToUniversalTime();

    private protected override object SchemaTime(DateTimeOffset time) => time.ToUniversalTime();

    private protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => new(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);

    private protected override byte[] ReadData(DbDataReader reader, int ordinal) => reader.GetFieldValue<byte[]>(ordinal);

    private protected override string ByteOrder(string column) => $"{column} COLLATE \"C\"";

    private protected override string? UniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } e ? e.ConstraintName ?? e.TableName ?? "?" : null;

    private protected override string ViolationDetail(Exception exception) =>
        exception is PostgresException e ? e.Detail ?? e.MessageText : exception.Message;

    public override async ValueTask DisposeAsync() => await dataSource.DisposeAsync().ConfigureAwait(false);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
