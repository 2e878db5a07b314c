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

/// <summary>
/// An inline projection refused the append because it would break one of its unique constraints (a read model
/// that guarantees, say, one dossier per code). The whole append was rolled back: nothing was written.
/// </summary>
public sealed class UniqueConstraintException : EventStoreException
{
    public UniqueConstraintException(string streamId, string constraint, string detail, Exception innerException)
        : base($"Stream '{streamId}': the append would break the unique constraint {constraint} ({detail}); nothing was written.", innerException)
    {
        StreamId = streamId;
        Constraint = constraint;
    }

    private UniqueConstraintException(string constraint, string message, Exception innerException, string streamId)
        : base(message, innerException)
    {
        StreamId = streamId;
        Constraint = constraint;
    }

    /// <summary>A rebuild met events that break a read model's unique constraint; the rebuild was rolled back, the read models are as before.</summary>
    public static UniqueConstraintException InRebuild(string projection, string constraint, string detail, Exception innerException) =>
        new(constraint, $"Rebuilding {projection}: the stored events break its unique constraint {constraint} ({detail}); the rebuild was rolled back and the read models are unchanged. Find the streams that share the value, then rebuild again.", innerException, string.Empty);

    public UniqueConstraintException()
    {
        StreamId = string.Empty;
        Constraint = string.Empty;
    }

    public UniqueConstraintException(string message)
        : base(message)
    {
        StreamId = string.Empty;
        Constraint = string.Empty;
    }

    public UniqueConstraintException(string message, Exception innerException)
        : base(message, innerException)
    {
        StreamId = string.Empty;
        Constraint = string.Empty;
    }

    public string StreamId { get; }

    /// <summary>The constraint's name (PostgreSQL) or its table and columns (SQLite: "table.column").</summary>
    public string Constraint { get; }
}
