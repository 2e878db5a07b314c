using System.Data.Common;

namespace ProcedureEngine.EventStore.Core;

/// <summary>Appends: the hash chain, optimistic concurrency, idempotency keys and numbered appends (written by <see cref="WriteAsync"/>).</summary>
public abstract partial class RelationalEventStore
{
    private static readonly StreamHead Genesis = new(0, HashChain.Genesis);

    public async Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        var plan = AppendPlan.Create(streamId, expectedVersion, events);
        for (var attempt = 0; ; attempt++)
        {
            StreamHead head;
            var fromCache = false;
            if (expectedVersion == ExpectedVersion.NoStream)
            {
                head = Genesis;
            }
            else if (attempt == 0 && heads.TryGet(streamId, out var cached) && (expectedVersion == ExpectedVersion.Any || cached.Version == expectedVersion))
            {
                // The head this process wrote last; the write's own WHERE re-checks it.
                head = cached;
                fromCache = true;
            }
            else
            {
                head = await ReadHeadAsync(streamId, cancellationToken).ConfigureAwait(false) ?? Genesis;
                if (expectedVersion != ExpectedVersion.Any && head.Version != expectedVersion)
                {
                    return await DuplicateOrConflictAsync(plan, expectedVersion, head.Version, cancellationToken).ConfigureAwait(false);
                }
            }

            plan.Chain(head.Version, head.LastHash.Span);
            var written = await WriteAsync(new PlainWrite(plan, head), cancellationToken).ConfigureAwait(false);
            if (written.Result is { } result)
            {
                return result;
            }

            if (written.KeyUsed && await FindDuplicateAsync(plan, head.Version == 0, cancellationToken).ConfigureAwait(false) is { } duplicate)
            {
                return duplicate;
            }

            // Nobody wrote: another writer moved the stream (or the cached head was stale).
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

    public async Task<AppendResult?> AppendNumberedAsync(string counter, long floor, Func<long, NumberedAppend?> decide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decide);
        var outcome = await WriteAsync(new NumberedWrite(counter, floor, decide), cancellationToken).ConfigureAwait(false);
        if (outcome.Result is { } result)
        {
            return result;
        }

        if (outcome.Plan is not { } plan)
        {
            return null; // decided nothing: the number is not used
        }

        // Nothing written, the number given back: a retried request, or the stream moved.
        if (outcome.KeyUsed && await FindDuplicateAsync(plan, outcome.Head?.Version is null or 0, cancellationToken).ConfigureAwait(false) is { } duplicate)
        {
            return duplicate;
        }

        var actual = (await ReadHeadAsync(plan.StreamId, cancellationToken).ConfigureAwait(false))?.Version ?? 0;
        return await DuplicateOrConflictAsync(plan, outcome.ExpectedVersion, actual, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AppendResult> DuplicateOrConflictAsync(AppendPlan plan, long expected, long actual, CancellationToken cancellationToken)
    {
        if (await FindDuplicateAsync(plan, false, cancellationToken).ConfigureAwait(false) is { } duplicate)
        {
            return duplicate;
        }

        throw new ConcurrencyException(plan.StreamId, expected, actual);
    }

    /// <summary>
    /// The first append made with the plan's idempotency key on this stream, or (<paramref name="creation"/>: the plan would
    /// create its stream) the stream the key created, whatever its id. Null without a key or when the key is unused.
    /// </summary>
    private async Task<AppendResult?> FindDuplicateAsync(AppendPlan plan, bool creation, CancellationToken cancellationToken)
    {
        if (plan.IdempotencyKey is null)
        {
            return null;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            SELECT i.stream_id, i.first_version, i.last_version, e.global_position, 0 AS created
            FROM pe_idempotency i JOIN pe_events e ON e.stream_id = i.stream_id AND e.version = i.last_version
            WHERE i.stream_id = @s AND i.key = @k
            UNION ALL
            SELECT c.stream_id, i.first_version, i.last_version, e.global_position, 1
            FROM pe_creation_keys c
            JOIN pe_idempotency i ON i.stream_id = c.stream_id AND i.key = c.key
            JOIN pe_events e ON e.stream_id = i.stream_id AND e.version = i.last_version
            WHERE c.key = @k AND @creation = 1
            ORDER BY 5
            LIMIT 1
            """, ("@s", plan.StreamId), ("@k", plan.IdempotencyKey), ("@creation", creation ? 1 : 0));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new AppendResult(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), true)
            : null;
    }

    /// <summary>
    /// Takes the next number of <paramref name="counter"/> in the write transaction (at least <paramref name="floor"/> + 1).
    /// The upsert's row lock is held until the append commits: callers of one counter queue here, once.
    /// </summary>
    private async Task<long> TakeNumberAsync(DbConnection connection, DbTransaction transaction, string counter, long floor, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            INSERT INTO pe_counters (name, value) VALUES (@n, @f + 1)
            ON CONFLICT (name) DO UPDATE SET value = {Greatest}(pe_counters.value, excluded.value - 1) + 1
            RETURNING value
            """, ("@n", counter), ("@f", floor));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<StreamHead?> ReadHeadAsync(string streamId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadHeadAsync(connection, null, streamId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<StreamHead?> ReadHeadAsync(DbConnection connection, DbTransaction? transaction, string streamId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT version, last_hash FROM pe_streams WHERE stream_id = @s", ("@s", streamId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new StreamHead(reader.GetInt64(0), (byte[])reader.GetValue(1)) : null;
    }
}
