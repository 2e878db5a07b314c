using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcedureEngine.EventStore;

/// <summary>The head of one stream when the store was sealed: its version and the hash of that event (hex).</summary>
public sealed record SealedHead(string Stream, long Version, string Hash);

/// <summary>
/// A seal of the whole store: every stream's head hash at one moment, and a digest over them. Kept outside the
/// database (the auditor's custody, a signed report, a public register), it catches what the hash chain alone
/// cannot: someone with write access to the database who rewrites a whole chain consistently, truncates a
/// stream's last events together with its head, or deletes a stream. Because each head hash chains every
/// event before it, one hash per stream seals the whole history up to that version.
/// </summary>
public sealed record StoreSeal
{
    public const string CurrentFormat = "procedure-engine-seal/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Always <see cref="CurrentFormat"/> in a seal this code writes; checked when one is read.</summary>
    public string? Format { get; init; }

    public DateTimeOffset SealedAt { get; init; }

    public string Backend { get; init; } = "";

    public long Streams { get; init; }

    public long Events { get; init; }

    /// <summary>SHA-256 (hex) over the heads, one line "stream \t version \t hash \n" each, in ordinal order of stream id.</summary>
    public string Digest { get; init; } = "";

    public IReadOnlyList<SealedHead> Heads { get; init; } = [];

    /// <summary>A seal over these heads, with its digest computed.</summary>
    public static StoreSeal Create(IEnumerable<SealedHead> heads, DateTimeOffset sealedAt, string backend, long events)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var ordered = heads.OrderBy(h => h.Stream, StringComparer.Ordinal).ToList();
        return new StoreSeal
        {
            Format = CurrentFormat,
            SealedAt = sealedAt,
            Backend = backend,
            Streams = ordered.Count,
            Events = events,
            Digest = ComputeDigest(ordered),
            Heads = ordered,
        };
    }

    public static string ComputeDigest(IEnumerable<SealedHead> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var head in heads.OrderBy(h => h.Stream, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{head.Stream}\t{head.Version}\t{head.Hash}\n"));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a seal file; throws <see cref="FormatException"/> naming the file and the reason when it is not a seal or does not match its own digest.</summary>
    public static StoreSeal Parse(string text, string path)
    {
        StoreSeal? seal;
        try
        {
            seal = JsonSerializer.Deserialize<StoreSeal>(text, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}:{(e.LineNumber ?? 0) + 1}: not a seal file: {e.Message}", e);
        }

        if (seal is null || seal.Format != CurrentFormat)
        {
            throw new FormatException($"{path}: not a seal file (expected \"format\": \"{CurrentFormat}\")");
        }

        if (seal.Heads.Any(h => h is null || string.IsNullOrEmpty(h.Stream) || h.Version < 1 || h.Hash is not { Length: HashChain.HashSize * 2 }))
        {
            throw new FormatException($"{path}: a head has no stream, a version below 1 or a hash that is not {HashChain.HashSize * 2} hex digits");
        }

        var digest = ComputeDigest(seal.Heads);
        if (!string.Equals(digest, seal.Digest, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"{path}: the heads do not match the seal's digest ({seal.Digest}; they give {digest}): the seal file itself was altered");
        }

        return seal;
    }
}
