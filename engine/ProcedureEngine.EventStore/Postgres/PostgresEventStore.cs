using System.Data.Common;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace ProcedureEngine.EventStore.Postgres;

/// <summary>
/// PostgreSQL backend (production; several server nodes may share one database).
/// <list type="bullet">
/// <item>An append is ONE statement (a data-modifying CTE): it advances the stream head row only if it is still at the
/// expected version and hash, records the idempotency key, and inserts the events only when the head moved. Several
/// nodes are safe: the head row update serialises writers of a stream, (stream_id, version) is unique, and a losing
/// writer sees zero rows and gets a <see cref="ConcurrencyException"/> with nothing written.</item>
/// <item>Event data is stored in a <c>json</c> column, which keeps the exact text hashed (jsonb would reorder keys).</item>
/// <item>The global order for async consumers is (tx_id, global_position), read only below
/// <c>pg_snapshot_xmin(pg_current_snapshot())</c>: every transaction under that horizon has finished, so no event can
/// later appear before the checkpoint (no skipped events, no gap waiting). See docs/event-store.md.</item>
/// </list>
/// </summary>
public sealed partial class PostgresEventStore : IEventStore
{
    private const string EventColumns = "stream_id, version, global_position, type, data, actor_user, actor_agency, occurred_at, correlation_id, causation_id, idempotency_key, hash, prev_hash";

    private readonly NpgsqlDataSource dataSource;
    private readonly IProjection[] projections;
    private readonly IProjection[] inline;
    private readonly HeadCache heads = new();

    private PostgresEventStore(NpgsqlDataSource dataSource, string schema, IEnumerable<IProjection> projections)
    {
        this.dataSource = dataSource;
        Schema = schema;
        this.projections = [.. projections];
        inline = [.. this.projections.Where(p => p.Mode == ProjectionMode.Inline)];
    }

    public string Backend => "postgres";

    public SqlDialect Dialect => SqlDialect.Postgres;

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
        var source = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        return new PostgresEventStore(source, schema, projections ?? []);
    }

    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = new List<string>();
        var already = new List<string>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
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
        var done = new HashSet<(string, int)>();
        await using (var read = new NpgsqlCommand("SELECT component, version FROM pe_schema_version", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                done.Add((reader.GetString(0), reader.GetInt32(1)));
            }
        }

        foreach (var migration in AllMigrations(SqlDialect.Postgres, projections))
        {
            var label = $"{migration.Component} v{migration.Version}: {migration.Description}";
            if (done.Contains((migration.Component, migration.Version)))
            {
                already.Add(label);
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO pe_schema_version (component, version, description) VALUES ($1, $2, $3)", connection, transaction)
            {
                Parameters = { new() { Value = migration.Component }, new() { Value = migration.Version }, new() { Value = migration.Description } },
            };
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(label);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new MigrationReport(applied, already);
    }

    internal static IEnumerable<Migration> AllMigrations(SqlDialect dialect, IEnumerable<IProjection> projections) =>
        ProcedureEngine.EventStore.Schema.CoreSchema.For(dialect).Concat(projections.SelectMany(p => p.Migrations(dialect)).OrderBy(m => m.Component, StringComparer.Ordinal).ThenBy(m => m.Version));

    public async Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        var plan = AppendPlan.Create(streamId, expectedVersion, events);
        for (var attempt = 0; ; attempt++)
        {
            StreamHead head;
            var fromCache = false;
            if (expectedVersion == ExpectedVersion.NoStream)
            {
                head = new StreamHead(0, HashChain.Genesis);
            }
            else if (heads.TryGet(streamId, out var cached) && attempt == 0 && (expectedVersion == ExpectedVersion.Any || cached.Version == expectedVersion))
            {
                head = cached;
                fromCache = true;
            }
            else
            {
                head = await ReadHeadAsync(streamId, cancellationToken).ConfigureAwait(false) ?? new StreamHead(0, HashChain.Genesis);
                if (expectedVersion != ExpectedVersion.Any && head.Version != expectedVersion)
                {
                    return await DuplicateOrConflictAsync(plan, expectedVersion, head.Version, cancellationToken).ConfigureAwait(false);
                }
            }

            plan.Chain(head.Version, head.LastHash.Span);
            long[]? positions;
            try
            {
                positions = await TryWriteAsync(plan, head, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                heads.Forget(streamId);
                if (ex.ConstraintName is "pe_idempotency_pkey" or "pe_creation_keys_pkey" && plan.IdempotencyKey is not null)
                {
                    var duplicate = await FindDuplicateAsync(plan, cancellationToken).ConfigureAwait(false)
                        ?? await FindCreationAsync(plan, cancellationToken).ConfigureAwait(false);
                    if (duplicate is not null)
                    {
                        return duplicate;
                    }
                }

                positions = null;
            }

            if (positions is not null)
            {
                heads.Set(streamId, new StreamHead(plan.LastVersion, plan.LastHash));
                return new AppendResult(streamId, plan.FirstVersion, plan.LastVersion, positions[^1], false);
            }

            // Nobody wrote: another writer moved the stream (or our cached head was stale).
            heads.Forget(streamId);
            if (expectedVersion == ExpectedVersion.Any || (fromCache && attempt == 0))
            {
                if (attempt > 1000)
                {
                    throw new EventStoreException($"stream '{streamId}': gave up appending after {attempt} attempts under contention");
                }

                continue;
            }

            var actual = (await ReadHeadAsync(streamId, cancellationToken).ConfigureAwait(false))?.Version ?? 0;
            return await DuplicateOrConflictAsync(plan, expectedVersion, actual, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AppendResult> DuplicateOrConflictAsync(AppendPlan plan, long expected, long actual, CancellationToken cancellationToken)
    {
        if (plan.IdempotencyKey is not null)
        {
            var duplicate = await FindDuplicateAsync(plan, cancellationToken).ConfigureAwait(false);
            if (duplicate is not null)
            {
                return duplicate;
            }
        }

        throw new ConcurrencyException(plan.StreamId, expected, actual);
    }

    private async Task<AppendResult?> FindDuplicateAsync(AppendPlan plan, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT i.first_version, i.last_version, e.global_position
            FROM pe_idempotency i JOIN pe_events e ON e.stream_id = i.stream_id AND e.version = i.last_version
            WHERE i.stream_id = $1 AND i.key = $2
            """, connection)
        {
            Parameters = { new() { Value = plan.StreamId }, new() { Value = plan.IdempotencyKey! } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new AppendResult(plan.StreamId, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), true)
            : null;
    }

    /// <summary>The violated constraint's name (its table when the server does not give one).</summary>
    private static string ConstraintOf(PostgresException e) => e.ConstraintName ?? e.TableName ?? "?";

    /// <summary>The first append of the stream that <paramref name="plan"/>'s key created, when that key created one.</summary>
    private async Task<AppendResult?> FindCreationAsync(AppendPlan plan, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT c.stream_id, i.first_version, i.last_version, e.global_position
            FROM pe_creation_keys c
            JOIN pe_idempotency i ON i.stream_id = c.stream_id AND i.key = c.key
            JOIN pe_events e ON e.stream_id = i.stream_id AND e.version = i.last_version
            WHERE c.key = $1
            """, connection)
        {
            Parameters = { new() { Value = plan.IdempotencyKey! } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new AppendResult(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), true)
            : null;
    }

    /// <summary>Runs the append statement (and the inline projections, in one transaction). Null when the head did not match.</summary>
    private async Task<long[]?> TryWriteAsync(AppendPlan plan, StreamHead head, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? transaction = inline.Length > 0 ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
        try
        {
            await using var command = BuildAppendCommand(plan, head, connection, transaction);
            var positions = new long[plan.Events.Count];
            var count = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    positions[count++] = reader.GetInt64(0);
                }
            }

            if (count == 0)
            {
                if (transaction is not null)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                }

                return null;
            }

            if (count != positions.Length)
            {
                throw new EventStoreException($"stream '{plan.StreamId}': {count} of {positions.Length} events were written; the transaction is rolled back");
            }

            Array.Sort(positions);
            if (transaction is not null)
            {
                var context = new ProjectionContext(connection, transaction, SqlDialect.Postgres);
                var stored = plan.ToStored(positions);
                try
                {
                    foreach (var projection in inline)
                    {
                        await projection.ApplyAsync(context, stored, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    // The transaction is disposed unfinished: rolled back, events included.
                    throw new UniqueConstraintException(plan.StreamId, ConstraintOf(e), e.Detail ?? e.MessageText, e);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return positions;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static NpgsqlCommand BuildAppendCommand(AppendPlan plan, StreamHead head, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
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

    private async Task<StreamHead?> ReadHeadAsync(string streamId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadHeadAsync(connection, null, streamId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<StreamHead?> ReadHeadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, last_hash FROM pe_streams WHERE stream_id = $1", connection, transaction)
        {
            Parameters = { new() { Value = streamId } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StreamHead(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : null;
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            at is null
                ? $"SELECT {EventColumns} FROM pe_events WHERE stream_id = $1 ORDER BY version"
                : $"SELECT {EventColumns} FROM pe_events WHERE stream_id = $1 AND occurred_at <= $2 ORDER BY version",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        if (at is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = TimeNormalizer.Normalize(at.Value), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(ReadEvent(reader));
        }

        return events;
    }

    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) =>
        (await ReadHeadAsync(streamId, cancellationToken).ConfigureAwait(false))?.Version ?? 0;

    public async Task<IReadOnlyList<StreamVersion>> ListStreamsAsync(string? afterStreamId, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // COLLATE "C": byte order whatever the database's locale, so paging by id never skips or repeats a stream.
        await using var command = new NpgsqlCommand(
            "SELECT stream_id, version FROM pe_streams WHERE stream_id COLLATE \"C\" > $1 ORDER BY stream_id COLLATE \"C\" LIMIT $2", connection)
        {
            Parameters = { new() { Value = afterStreamId ?? string.Empty }, new() { Value = maxCount } },
        };
        var streams = new List<StreamVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            streams.Add(new StreamVersion(reader.GetString(0), reader.GetInt64(1)));
        }

        return streams;
    }

    public async Task<GlobalPage> ReadAllAsync(GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAllAsync(connection, null, after, maxCount, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<GlobalPage> ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var command = new NpgsqlCommand($"""
            SELECT {EventColumns}, tx_id::text AS tx_text FROM pe_events
            WHERE (tx_id, global_position) > ($1::xid8, $2) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY tx_id, global_position
            LIMIT $3
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = after.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = after.Position, NpgsqlDbType = NpgsqlDbType.Bigint },
                new() { Value = maxCount, NpgsqlDbType = NpgsqlDbType.Integer },
            },
        };
        var events = new List<StoredEvent>(Math.Min(maxCount, 10_000));
        var next = after;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var stored = ReadEvent(reader);
            events.Add(stored);
            next = new GlobalCheckpoint(ulong.Parse(reader.GetFieldValue<string>(13), System.Globalization.CultureInfo.InvariantCulture), stored.GlobalPosition);
        }

        return new GlobalPage(events, next);
    }

    public async Task<ChainVerification> VerifyStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var head = await ReadHeadAsync(connection, transaction, streamId, cancellationToken).ConfigureAwait(false);
        var events = new List<StoredEvent>();
        await using (var command = new NpgsqlCommand($"SELECT {EventColumns} FROM pe_events WHERE stream_id = $1 ORDER BY version", connection, transaction)
        {
            Parameters = { new() { Value = streamId } },
        })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(ReadEvent(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return HashChain.Verify(streamId, events, head);
    }

    public async Task<int> RunProjectionBatchAsync(IProjection projection, int batchSize, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var ensure = new NpgsqlCommand("INSERT INTO pe_checkpoints (projection) VALUES ($1) ON CONFLICT (projection) DO NOTHING", connection, transaction)
        {
            Parameters = { new() { Value = projection.Name } },
        })
        {
            await ensure.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Row lock: one node at a time advances a projection; the others wait and then see the new checkpoint.
        GlobalCheckpoint checkpoint;
        await using (var read = new NpgsqlCommand("SELECT tx_id::text, position FROM pe_checkpoints WHERE projection = $1 FOR UPDATE", connection, transaction)
        {
            Parameters = { new() { Value = projection.Name } },
        })
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            checkpoint = new GlobalCheckpoint(ulong.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(1));
        }

        var page = await ReadAllAsync(connection, transaction, checkpoint, batchSize, cancellationToken).ConfigureAwait(false);
        if (page.Events.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        await projection.ApplyAsync(new ProjectionContext(connection, transaction, SqlDialect.Postgres), page.Events, cancellationToken).ConfigureAwait(false);
        await SaveCheckpointAsync(connection, transaction, projection.Name, page.Next, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return page.Events.Count;
    }

    private static async Task SaveCheckpointAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, GlobalCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        await using var save = new NpgsqlCommand("""
            INSERT INTO pe_checkpoints (projection, tx_id, position, updated_at) VALUES ($1, $2::xid8, $3, now())
            ON CONFLICT (projection) DO UPDATE SET tx_id = excluded.tx_id, position = excluded.position, updated_at = now()
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = name },
                new() { Value = checkpoint.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = checkpoint.Position },
            },
        };
        await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<GlobalCheckpoint> GetCheckpointAsync(string projectionName, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var read = new NpgsqlCommand("SELECT tx_id::text, position FROM pe_checkpoints WHERE projection = $1", connection)
        {
            Parameters = { new() { Value = projectionName } },
        };
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new GlobalCheckpoint(ulong.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(1))
            : GlobalCheckpoint.Start;
    }

    public async Task<RebuildReport> RebuildProjectionsAsync(IReadOnlyList<IProjection> projections, int batchSize = 5000, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // SHARE blocks appends (they update pe_streams) until the rebuild commits, and waits for appends in flight:
        // the rebuilt read models and checkpoints match exactly the events committed before it.
        await ExecuteAsync(connection, transaction, "LOCK TABLE pe_streams IN SHARE MODE", cancellationToken).ConfigureAwait(false);
        foreach (var table in projections.SelectMany(p => p.Tables).Distinct(StringComparer.Ordinal))
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM {table}", cancellationToken).ConfigureAwait(false);
        }

        var context = new ProjectionContext(connection, transaction, SqlDialect.Postgres);
        long total = 0;
        var checkpoint = GlobalCheckpoint.Start;
        while (true)
        {
            // Keyset pages over the whole (tx_id, position) order: no horizon needed, the lock keeps writers out.
            var batch = new List<StoredEvent>(batchSize);
            await using (var page = new NpgsqlCommand($"""
                SELECT {EventColumns}, tx_id::text AS tx_text FROM pe_events
                WHERE (tx_id, global_position) > ($1::xid8, $2)
                ORDER BY tx_id, global_position
                LIMIT $3
                """, connection, transaction)
            {
                Parameters =
                {
                    new() { Value = checkpoint.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType = NpgsqlDbType.Text },
                    new() { Value = checkpoint.Position, NpgsqlDbType = NpgsqlDbType.Bigint },
                    new() { Value = batchSize, NpgsqlDbType = NpgsqlDbType.Integer },
                },
            })
            await using (var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var stored = ReadEvent(reader);
                    checkpoint = new GlobalCheckpoint(ulong.Parse(reader.GetFieldValue<string>(13), System.Globalization.CultureInfo.InvariantCulture), stored.GlobalPosition);
                    batch.Add(stored);
                }
            }

            if (batch.Count == 0)
            {
                break;
            }

            total += batch.Count;
            foreach (var projection in projections)
            {
                try
                {
                    await projection.ApplyAsync(context, batch, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw UniqueConstraintException.InRebuild(projection.Name, ConstraintOf(e), e.Detail ?? e.MessageText, e);
                }
            }
        }

        foreach (var projection in projections.Where(p => p.Mode == ProjectionMode.Async))
        {
            await SaveCheckpointAsync(connection, transaction, projection.Name, checkpoint, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RebuildReport(total, projections.Count, watch.Elapsed);
    }

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        await OpenAsync(cancellationToken).ConfigureAwait(false);

    internal async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
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

    internal static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // schema scripts and identifiers validated by the store
        await using var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static StoredEvent ReadEvent(NpgsqlDataReader reader)
    {
        var streamId = reader.GetString(0);
        var version = reader.GetInt64(1);
        try
        {
            var metadata = new EventMetadata(
                new Actor(reader.GetString(5), reader.GetString(6)),
                new DateTimeOffset(reader.GetFieldValue<DateTime>(7), TimeSpan.Zero),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10));
            return new StoredEvent(streamId, version, reader.GetInt64(2), reader.GetString(3), reader.GetFieldValue<byte[]>(4), metadata,
                reader.GetFieldValue<byte[]>(11), reader.GetFieldValue<byte[]>(12));
        }
        catch (Exception ex) when (ex is InvalidCastException or InvalidOperationException or FormatException)
        {
            throw new CorruptEventException(streamId, version, ex.Message);
        }
    }

    public async ValueTask DisposeAsync() => await dataSource.DisposeAsync().ConfigureAwait(false);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
