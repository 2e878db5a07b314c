using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ProcedureEngine.EventStore;

/// <summary>
/// The per-stream hash chain: hash(n) = SHA-256 over a canonical, length-prefixed encoding of
/// stream id, version, type, data bytes, actor user and agency, time (UTC microseconds), correlation id,
/// causation id, idempotency key and hash(n-1) (32 zero bytes before the first event).
/// The global position is not covered: it is assigned by the database and is not part of the content.
/// </summary>
public static class HashChain
{
    public const int HashSize = 32;

    private static readonly byte[] Magic = "PE-EVENT-1"u8.ToArray();

    /// <summary>The "previous hash" of a stream's first event.</summary>
    public static ReadOnlyMemory<byte> Genesis { get; } = new byte[HashSize];

    public static byte[] Compute(string streamId, long version, string type, ReadOnlySpan<byte> data, EventMetadata metadata, ReadOnlySpan<byte> previousHash)
    {
        if (previousHash.Length != HashSize)
        {
            throw new ArgumentException($"previous hash must be {HashSize} bytes", nameof(previousHash));
        }

        var buffer = new ArrayBufferWriter<byte>(256 + data.Length);
        buffer.Write(Magic);
        WriteString(buffer, streamId);
        WriteInt64(buffer, version);
        WriteString(buffer, type);
        WriteBytes(buffer, data);
        WriteString(buffer, metadata.Actor.User);
        WriteString(buffer, metadata.Actor.Agency);
        WriteInt64(buffer, TimeNormalizer.ToUnixMicroseconds(metadata.Time));
        WriteString(buffer, metadata.CorrelationId);
        WriteString(buffer, metadata.CausationId);
        WriteString(buffer, metadata.IdempotencyKey);
        buffer.Write(previousHash);
        return SHA256.HashData(buffer.WrittenSpan);
    }

    /// <summary>The hash a stored event should have, recomputed from its content.</summary>
    public static byte[] Recompute(StoredEvent stored) =>
        Compute(stored.StreamId, stored.Version, stored.Type, stored.Data.Span, stored.Metadata, stored.PreviousHash.Span);

    /// <summary>
    /// Checks a stream read back from storage: versions dense from 1, each previous hash equal to the hash of the
    /// event before it, each hash equal to the hash of its content, and the stream head (version + last hash as
    /// recorded at append) matching the last event. Reports the first problem found.
    /// </summary>
    public static ChainVerification Verify(string streamId, IReadOnlyList<StoredEvent> events, StreamHead? head)
    {
        if (events.Count == 0 && head is null)
        {
            return ChainVerification.NotFound(streamId);
        }

        ReadOnlySpan<byte> previous = Genesis.Span;
        long expectedVersion = 1;
        foreach (var stored in events)
        {
            if (stored.Version != expectedVersion)
            {
                return ChainVerification.Broken(streamId, expectedVersion, BreakKind.Missing,
                    $"event v{expectedVersion} is missing (the next stored event is v{stored.Version}): a row was deleted");
            }

            if (!stored.PreviousHash.Span.SequenceEqual(previous))
            {
                return ChainVerification.Broken(streamId, stored.Version, BreakKind.ChainLink,
                    $"its previous-hash {Hex(stored.PreviousHash.Span)} does not match the hash of v{stored.Version - 1} ({Hex(previous)}): an earlier event was altered or replaced");
            }

            var recomputed = Recompute(stored);
            if (!recomputed.AsSpan().SequenceEqual(stored.Hash.Span))
            {
                return ChainVerification.Broken(streamId, stored.Version, BreakKind.Content,
                    $"its content (type '{stored.Type}', data, metadata) no longer matches its hash: the row was edited after it was appended (stored {Hex(stored.Hash.Span)}, content hashes to {Hex(recomputed)})");
            }

            previous = stored.Hash.Span;
            expectedVersion++;
        }

        var lastVersion = expectedVersion - 1;
        if (head is not null)
        {
            if (head.Version > lastVersion)
            {
                return ChainVerification.Broken(streamId, lastVersion + 1, BreakKind.Missing,
                    $"event v{lastVersion + 1} is missing: the stream head records version {head.Version} but the last stored event is v{lastVersion}");
            }

            if (head.Version < lastVersion)
            {
                return ChainVerification.Broken(streamId, head.Version + 1, BreakKind.Extra,
                    $"event v{head.Version + 1} was not appended through the store: the stream head records version {head.Version}");
            }

            if (!head.LastHash.Span.SequenceEqual(previous))
            {
                return ChainVerification.Broken(streamId, lastVersion, BreakKind.ChainLink,
                    $"its hash does not match the hash recorded in the stream head when it was appended: the row was replaced");
            }
        }

        return ChainVerification.Valid(streamId, lastVersion);
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static void WriteInt64(ArrayBufferWriter<byte> buffer, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    private static void WriteBytes(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), bytes.Length);
        buffer.Advance(4);
        buffer.Write(bytes);
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), -1);
            buffer.Advance(4);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), length);
        buffer.Advance(4);
        var written = Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(written);
    }
}

/// <summary>The head row of a stream as recorded at append time.</summary>
public sealed record StreamHead(long Version, ReadOnlyMemory<byte> LastHash);

public enum BreakKind
{
    /// <summary>A row's content no longer matches its hash.</summary>
    Content,

    /// <summary>A row's link to its predecessor (or the head's link to the last row) is wrong.</summary>
    ChainLink,

    /// <summary>A version is missing.</summary>
    Missing,

    /// <summary>A row exists that the head does not know.</summary>
    Extra,
}

/// <summary>Result of verifying one stream.</summary>
public sealed record ChainVerification(string StreamId, bool Found, bool IsValid, long Events, long? BadVersion, BreakKind? Kind, string? Reason)
{
    public static ChainVerification Valid(string streamId, long events) => new(streamId, true, true, events, null, null, null);

    public static ChainVerification NotFound(string streamId) => new(streamId, false, false, 0, null, null, $"stream '{streamId}' not found");

    public static ChainVerification Broken(string streamId, long version, BreakKind kind, string reason) =>
        new(streamId, true, false, 0, version, kind, reason);

    /// <summary>One line for an operator.</summary>
    public string Describe() => IsValid
        ? $"{StreamId}: hash chain intact ({Events} events)"
        : Found ? $"{StreamId} v{BadVersion}: {Reason}" : Reason!;
}
