using System.Data.Common;

namespace ProcedureEngine.EventStore.Core;

/// <summary>Reads: a stream (for a command: with its head and chain check in one statement), the stream list, the global order.</summary>
public abstract partial class RelationalEventStore
{
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = at is null
            ? Command(connection, null, $"SELECT {EventColumns} FROM pe_events WHERE stream_id = @s ORDER BY version", ("@s", streamId))
            : Command(connection, null, $"SELECT {EventColumns} FROM pe_events WHERE stream_id = @s AND occurred_at <= @at ORDER BY version",
                ("@s", streamId), ("@at", TimeValue(TimeNormalizer.Normalize(at.Value))));
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(ReadEvent(reader));
        }

        return events;
    }

    /// <summary>
    /// One statement (one snapshot, one round trip): the stream's head and every event, and the hash chain checked over
    /// them. What a command decides on; <see cref="VerifyStreamAsync"/> is its verification alone.
    /// </summary>
    public async Task<StreamForWriting> FetchForWritingAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"""
            SELECT h.version, h.last_hash, {string.Join(", ", EventColumns.Split(", ").Select(c => "e." + c))}
            FROM (SELECT 1 AS one) o
            LEFT JOIN pe_streams h ON h.stream_id = @s
            LEFT JOIN pe_events e ON e.stream_id = @s
            ORDER BY e.version
            """, ("@s", streamId));
        StreamHead? head = null;
        var events = new List<StoredEvent>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (head is null && !reader.IsDBNull(0))
                {
                    head = new StreamHead(reader.GetInt64(0), (byte[])reader.GetValue(1));
                }

                if (!reader.IsDBNull(2))
                {
                    events.Add(ReadEvent(reader, 2));
                }
            }
        }

        return new StreamForWriting(streamId, head?.Version ?? 0, events, HashChain.Verify(streamId, events, head));
    }

    public async Task<ChainVerification> VerifyStreamAsync(string streamId, CancellationToken cancellationToken = default) =>
        (await FetchForWritingAsync(streamId, cancellationToken).ConfigureAwait(false)).Verification;

    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) =>
        (await ReadHeadAsync(streamId, cancellationToken).ConfigureAwait(false))?.Version ?? 0;

    public async Task<IReadOnlyList<StreamVersion>> ListStreamsAsync(string? afterStreamId, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // In byte order whatever the database's locale, so paging by id never skips or repeats a stream.
        await using var command = Command(connection, null,
            $"SELECT stream_id, version FROM pe_streams WHERE {ByteOrder("stream_id")} > @a ORDER BY {ByteOrder("stream_id")} LIMIT @n",
            ("@a", afterStreamId ?? string.Empty), ("@n", maxCount));
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
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadGlobalAsync(connection, null, after, maxCount, horizon: true, cancellationToken).ConfigureAwait(false);
    }
}
