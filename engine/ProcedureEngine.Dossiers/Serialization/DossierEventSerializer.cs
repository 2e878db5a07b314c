using System.Collections.Frozen;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Dossiers.Serialization;

/// <summary>
/// Turns an event stored under an older type name or shape into the current one. Runs on the JSON
/// object before it is bound to a record; applied repeatedly while an upcaster matches the type,
/// so v1 -> v2 -> v3 chains compose. An upcaster registered for a current type name must recognise
/// the old shape itself and leave current ones untouched.
/// </summary>
/// <param name="FromType">The stored type name this upcaster handles.</param>
/// <param name="Upcast">Old (type, data) to newer (type, data).</param>
public sealed record EventUpcaster(string FromType, Func<JsonObject, (string Type, JsonObject Data)> Upcast);

/// <summary>An event that could not be read back: unknown type or JSON not matching the type.</summary>
public sealed class DossierEventFormatException : Exception
{
    public DossierEventFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public DossierEventFormatException()
    {
    }

    public DossierEventFormatException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Serializes dossier events for the event store and the JSON API: System.Text.Json with source
/// generation, camelCase, enums as camelCase strings, instants as ISO 8601 with offset. The type
/// name is stored beside the JSON and is the contract event name (e.g. "DossierReceived").
/// </summary>
public sealed class DossierEventSerializer
{
    /// <summary>Web defaults, enums as camelCase strings, text kept readable (Vietnamese and "+" unescaped; this JSON is never inlined in HTML).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        RespectNullableAnnotations = true,
    };

    private static readonly DossierJsonContext Context = new(Options);

    private static readonly FrozenDictionary<string, JsonTypeInfo> TypeInfos = new Dictionary<string, JsonTypeInfo>(StringComparer.Ordinal)
    {
        [nameof(DossierSubmitted)] = Context.DossierSubmitted,
        [nameof(ReceiptGuidanceIssued)] = Context.ReceiptGuidanceIssued,
        [nameof(DossierReceived)] = Context.DossierReceived,
        [nameof(DossierRefused)] = Context.DossierRefused,
        [nameof(SupplementRequested)] = Context.SupplementRequested,
        [nameof(SupplementProvided)] = Context.SupplementProvided,
        [nameof(StepStarted)] = Context.StepStarted,
        [nameof(StepCompleted)] = Context.StepCompleted,
        [nameof(StepSkipped)] = Context.StepSkipped,
        [nameof(DeadlineWarning)] = Context.DeadlineWarning,
        [nameof(StepOverdue)] = Context.StepOverdue,
        [nameof(DossierOverdue)] = Context.DossierOverdue,
        [nameof(ApologyIssued)] = Context.ApologyIssued,
        [nameof(ResultReady)] = Context.ResultReady,
        [nameof(ResultReturned)] = Context.ResultReturned,
        [nameof(DossierWithdrawn)] = Context.DossierWithdrawn,
        [nameof(DossierClosed)] = Context.DossierClosed,
        [nameof(DossierEvaluated)] = Context.DossierEvaluated,
        [nameof(AcceptanceOverdue)] = Context.AcceptanceOverdue,
        [nameof(DossierReplanned)] = Context.DossierReplanned,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, EventUpcaster> _upcasters;

    public DossierEventSerializer(IEnumerable<EventUpcaster>? upcasters = null)
    {
        _upcasters = (upcasters ?? []).ToFrozenDictionary(u => u.FromType, StringComparer.Ordinal);
    }

    /// <summary>A serializer without upcasters.</summary>
    public static DossierEventSerializer Default { get; } = new();

    /// <summary>Every event type name this version of the engine writes.</summary>
    public static IReadOnlyCollection<string> TypeNames => TypeInfos.Keys;

    public (string Type, byte[] Json) Serialize(DossierEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.Type;
        return (type, JsonSerializer.SerializeToUtf8Bytes(@event, TypeInfos[type]));
    }

    /// <summary>The event's data as a JSON node (for API and `simulate --json` output).</summary>
    public static JsonNode ToJsonNode(DossierEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return JsonSerializer.SerializeToNode(@event, TypeInfos[@event.Type])!;
    }

    public DossierEvent Deserialize(string type, ReadOnlySpan<byte> json)
    {
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            if (_upcasters.Count == 0 || !_upcasters.ContainsKey(type))
            {
                return Bind(type, json);
            }

            var node = JsonNode.Parse(json) as JsonObject
                ?? throw new DossierEventFormatException($"event '{type}': data is not a JSON object");
            var seen = 0;
            while (_upcasters.TryGetValue(type, out var upcaster))
            {
                var (nextType, nextNode) = upcaster.Upcast(node);
                if (nextType == type && ReferenceEquals(nextNode, node))
                {
                    break;
                }

                (type, node) = (nextType, nextNode);
                if (++seen > 64)
                {
                    throw new DossierEventFormatException($"event '{type}': upcasters loop");
                }
            }

            if (!TypeInfos.TryGetValue(type, out var info))
            {
                throw new DossierEventFormatException($"unknown event type '{type}' after upcasting");
            }

            return (DossierEvent?)node.Deserialize(info)
                ?? throw new DossierEventFormatException($"event '{type}': data is null");
        }
        catch (JsonException ex)
        {
            throw new DossierEventFormatException($"event '{type}': {ex.Message}", ex);
        }
    }

    private static DossierEvent Bind(string type, ReadOnlySpan<byte> json)
    {
        if (!TypeInfos.TryGetValue(type, out var info))
        {
            throw new DossierEventFormatException($"unknown event type '{type}' (no upcaster registered for it)");
        }

        return (DossierEvent?)JsonSerializer.Deserialize(json, info)
            ?? throw new DossierEventFormatException($"event '{type}': data is null");
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(DossierSubmitted))]
[JsonSerializable(typeof(ReceiptGuidanceIssued))]
[JsonSerializable(typeof(DossierReceived))]
[JsonSerializable(typeof(DossierRefused))]
[JsonSerializable(typeof(SupplementRequested))]
[JsonSerializable(typeof(SupplementProvided))]
[JsonSerializable(typeof(StepStarted))]
[JsonSerializable(typeof(StepCompleted))]
[JsonSerializable(typeof(StepSkipped))]
[JsonSerializable(typeof(DeadlineWarning))]
[JsonSerializable(typeof(StepOverdue))]
[JsonSerializable(typeof(DossierOverdue))]
[JsonSerializable(typeof(ApologyIssued))]
[JsonSerializable(typeof(ResultReady))]
[JsonSerializable(typeof(ResultReturned))]
[JsonSerializable(typeof(DossierWithdrawn))]
[JsonSerializable(typeof(DossierClosed))]
[JsonSerializable(typeof(DossierEvaluated))]
[JsonSerializable(typeof(AcceptanceOverdue))]
[JsonSerializable(typeof(DossierReplanned))]
internal sealed partial class DossierJsonContext : JsonSerializerContext;
