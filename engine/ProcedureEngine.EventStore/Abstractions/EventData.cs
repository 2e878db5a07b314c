namespace ProcedureEngine.EventStore;

/// <summary>Who caused an event: an officer (user id) acting for an agency.</summary>
public sealed record Actor(string User, string Agency)
{
    /// <summary>The engine itself (timers, ticks).</summary>
    public static Actor System { get; } = new("system", "system");
}

/// <summary>
/// Metadata carried by every stored event. <see cref="Time"/> is normalised by the store to UTC with
/// microsecond precision (what PostgreSQL's timestamptz keeps), so what is hashed is what is re-read.
/// </summary>
public sealed record EventMetadata(
    Actor Actor,
    DateTimeOffset Time,
    string? CorrelationId = null,
    string? CausationId = null,
    string? IdempotencyKey = null)
{
    /// <summary>The same metadata with its time truncated to microseconds and expressed in UTC.</summary>
    public EventMetadata Normalized()
    {
        var normalized = TimeNormalizer.Normalize(Time);
        return normalized == Time && Time.Offset == TimeSpan.Zero ? this : this with { Time = normalized };
    }
}

/// <summary>An event to append: its stable type name, its JSON payload (UTF-8 bytes, stored verbatim) and metadata.</summary>
public sealed record EventData(string Type, ReadOnlyMemory<byte> Data, EventMetadata Metadata)
{
    /// <summary>
    /// The object <see cref="Data"/> was serialised from, when the caller has it: never stored, only handed on with the
    /// stored event (<see cref="StoredEvent.Value"/>) to the inline projections of the same append, so they need not
    /// deserialise what was just serialised.
    /// </summary>
    public object? Value { get; init; }
}

/// <summary>An event as stored: position in its stream and in the global order, plus its hash chain link.</summary>
public sealed record StoredEvent(
    string StreamId,
    long Version,
    long GlobalPosition,
    string Type,
    ReadOnlyMemory<byte> Data,
    EventMetadata Metadata,
    ReadOnlyMemory<byte> Hash,
    ReadOnlyMemory<byte> PreviousHash)
{
    /// <summary>
    /// Only on the events an append hands its inline projections: the object the payload was serialised from
    /// (<see cref="EventData.Value"/>); null on every event read from the store.
    /// </summary>
    public object? Value { get; init; }
}

/// <summary>
/// Outcome of an append: the versions and positions written and the events as stored (<see cref="Written"/>), or (for an
/// idempotent retry) the versions and positions written the first time, with no events.
/// </summary>
public sealed record AppendResult(string StreamId, long FirstVersion, long LastVersion, long LastGlobalPosition, bool WasDuplicate, IReadOnlyList<StoredEvent>? Written = null);

/// <summary>A stream as a command reads it: its head version (0: no stream), its events and its hash chain check.</summary>
public sealed record StreamForWriting(string StreamId, long Version, IReadOnlyList<StoredEvent> Events, ChainVerification Verification);

/// <summary>What a numbered append writes (see <see cref="IEventStore.AppendNumberedAsync"/>); <see cref="TakesNumber"/> false gives the number back.</summary>
public sealed record NumberedAppend(string StreamId, long ExpectedVersion, IReadOnlyList<EventData> Events, bool TakesNumber = true);

/// <summary>Special values for the expected version of an append.</summary>
public static class ExpectedVersion
{
    /// <summary>The stream must not exist yet.</summary>
    public const long NoStream = 0;

    /// <summary>Append whatever the current version is (no optimistic concurrency check).</summary>
    public const long Any = -1;
}

/// <summary>
/// A position in the global order as async projections consume it. On PostgreSQL events are consumed in
/// (transaction id, global position) order below the oldest in-flight transaction (see docs/event-store.md);
/// on SQLite the transaction id is always 0 and the order is the global position.
/// </summary>
public readonly record struct GlobalCheckpoint(ulong TransactionId, long Position) : IComparable<GlobalCheckpoint>
{
    public static GlobalCheckpoint Start => default;

    public int CompareTo(GlobalCheckpoint other)
    {
        var byTx = TransactionId.CompareTo(other.TransactionId);
        return byTx != 0 ? byTx : Position.CompareTo(other.Position);
    }

    public static bool operator <(GlobalCheckpoint left, GlobalCheckpoint right) => left.CompareTo(right) < 0;

    public static bool operator >(GlobalCheckpoint left, GlobalCheckpoint right) => left.CompareTo(right) > 0;

    public static bool operator <=(GlobalCheckpoint left, GlobalCheckpoint right) => left.CompareTo(right) <= 0;

    public static bool operator >=(GlobalCheckpoint left, GlobalCheckpoint right) => left.CompareTo(right) >= 0;
}

/// <summary>A stream id and the version its head records.</summary>
public sealed record StreamVersion(string StreamId, long Version);

/// <summary>
/// One batch of async projections: <see cref="Read"/> events read after the furthest-behind checkpoint,
/// <see cref="Applied"/> events applied summed over the projections that took them, and <see cref="Waiting"/>
/// projections that stood further ahead and were left for a later batch.
/// </summary>
public sealed record ProjectionBatch(int Read, long Applied, int Waiting);

/// <summary>A page of the global order: the events and the checkpoint to continue after.</summary>
public sealed record GlobalPage(IReadOnlyList<StoredEvent> Events, GlobalCheckpoint Next);

internal static class TimeNormalizer
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static DateTimeOffset Normalize(DateTimeOffset time)
    {
        var utcTicks = time.UtcTicks;
        return new DateTimeOffset(utcTicks - (utcTicks % TicksPerMicrosecond), TimeSpan.Zero);
    }

    public static long ToUnixMicroseconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond;

    public static DateTimeOffset FromUnixMicroseconds(long micros) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * TicksPerMicrosecond), TimeSpan.Zero);
}
