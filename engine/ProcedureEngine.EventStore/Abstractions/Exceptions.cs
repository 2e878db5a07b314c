namespace ProcedureEngine.EventStore;

/// <summary>Base of the event store's own errors: each carries a message fit for an operator.</summary>
public class EventStoreException : Exception
{
    public EventStoreException(string message)
        : base(message)
    {
    }

    public EventStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EventStoreException()
    {
    }
}

/// <summary>An append found the stream at another version than expected; nothing was written.</summary>
public sealed class ConcurrencyException : EventStoreException
{
    public ConcurrencyException(string streamId, long expectedVersion, long actualVersion)
        : base($"Stream '{streamId}' is at version {actualVersion}, but version {expectedVersion} was expected; nothing was written.")
    {
        StreamId = streamId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    public ConcurrencyException()
    {
        StreamId = string.Empty;
    }

    public ConcurrencyException(string message)
        : base(message)
    {
        StreamId = string.Empty;
    }

    public ConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
        StreamId = string.Empty;
    }

    public string StreamId { get; }

    public long ExpectedVersion { get; }

    public long ActualVersion { get; }
}

/// <summary>A row could not be read back as an event (a column was altered into something unreadable).</summary>
public sealed class CorruptEventException : EventStoreException
{
    public CorruptEventException(string streamId, long version, string reason)
        : base($"Event {streamId} v{version} cannot be read: {reason}")
    {
        StreamId = streamId;
        Version = version;
    }

    public CorruptEventException()
    {
        StreamId = string.Empty;
    }

    public CorruptEventException(string message)
        : base(message)
    {
        StreamId = string.Empty;
    }

    public CorruptEventException(string message, Exception innerException)
        : base(message, innerException)
    {
        StreamId = string.Empty;
    }

    public string StreamId { get; }

    public long Version { get; }
}
