using System.Text.Json;

namespace ProcedureEngine.EventStore;

/// <summary>Validated, normalised input of one append, with its hashes computed from the stream's head.</summary>
internal sealed class AppendPlan
{
    private AppendPlan(string streamId, IReadOnlyList<EventData> events, string? idempotencyKey)
    {
        StreamId = streamId;
        Events = events;
        IdempotencyKey = idempotencyKey;
    }

    public string StreamId { get; }

    public IReadOnlyList<EventData> Events { get; }

    public string? IdempotencyKey { get; }

    public long FirstVersion { get; private set; }

    public long LastVersion => FirstVersion + Events.Count - 1;

    public byte[][] Hashes { get; private set; } = [];

    public byte[][] PreviousHashes { get; private set; } = [];

    public byte[] LastHash => Hashes[^1];

    public static AppendPlan Create(string streamId, long expectedVersion, IReadOnlyList<EventData> events)
    {
        if (string.IsNullOrWhiteSpace(streamId))
        {
            throw new ArgumentException("a stream id is required", nameof(streamId));
        }

        if (expectedVersion < ExpectedVersion.Any)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "expected version must be >= 0 or ExpectedVersion.Any");
        }

        if (events.Count == 0)
        {
            throw new ArgumentException("nothing to append", nameof(events));
        }

        string? key = null;
        var normalized = new EventData[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (string.IsNullOrWhiteSpace(e.Type))
            {
                throw new ArgumentException($"event #{i + 1} of stream '{streamId}' has no type", nameof(events));
            }

            ValidateJson(streamId, i, e);
            var eventKey = e.Metadata.IdempotencyKey;
            if (i == 0)
            {
                key = eventKey;
            }
            else if (!string.Equals(key, eventKey, StringComparison.Ordinal))
            {
                throw new ArgumentException($"events of one append must share one idempotency key (event #1 has '{key}', event #{i + 1} has '{eventKey}')", nameof(events));
            }

            normalized[i] = e with { Metadata = e.Metadata.Normalized() };
        }

        return new AppendPlan(streamId, normalized, key);
    }

    /// <summary>Numbers the events after <paramref name="currentVersion"/> and chains them to <paramref name="currentHash"/>.</summary>
    public void Chain(long currentVersion, ReadOnlySpan<byte> currentHash)
    {
        FirstVersion = currentVersion + 1;
        Hashes = new byte[Events.Count][];
        PreviousHashes = new byte[Events.Count][];
        var previous = currentHash.ToArray();
        for (var i = 0; i < Events.Count; i++)
        {
            var e = Events[i];
            PreviousHashes[i] = previous;
            previous = HashChain.Compute(StreamId, FirstVersion + i, e.Type, e.Data.Span, e.Metadata, previous);
            Hashes[i] = previous;
        }
    }

    public IReadOnlyList<StoredEvent> ToStored(IReadOnlyList<long> positions)
    {
        var stored = new StoredEvent[Events.Count];
        for (var i = 0; i < Events.Count; i++)
        {
            var e = Events[i];
            stored[i] = new StoredEvent(StreamId, FirstVersion + i, positions[i], e.Type, e.Data, e.Metadata, Hashes[i], PreviousHashes[i]) { Value = e.Value };
        }

        return stored;
    }

    private static void ValidateJson(string streamId, int index, EventData e)
    {
        try
        {
            var reader = new Utf8JsonReader(e.Data.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
            }

            if (reader.BytesConsumed == 0)
            {
                throw new ArgumentException($"event #{index + 1} ({e.Type}) of stream '{streamId}' has empty data: JSON is required", nameof(e));
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"event #{index + 1} ({e.Type}) of stream '{streamId}' is not valid JSON: {ex.Message}", nameof(e), ex);
        }
    }
}

/// <summary>A small bounded cache of stream heads (version, last hash) written by this process.</summary>
internal sealed class HeadCache
{
    private const int Capacity = 100_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StreamHead> heads = new(StringComparer.Ordinal);

    public bool TryGet(string streamId, out StreamHead head) => heads.TryGetValue(streamId, out head!);

    public void Set(string streamId, StreamHead head)
    {
        if (heads.Count >= Capacity)
        {
            heads.Clear();
        }

        heads[streamId] = head;
    }

    public void Forget(string streamId) => heads.TryRemove(streamId, out _);

    public void Clear() => heads.Clear();
}
