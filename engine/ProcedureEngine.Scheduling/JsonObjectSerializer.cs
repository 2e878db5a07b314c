using System.Globalization;
using System.Text.Json;
using Quartz;
using Quartz.Spi;

namespace ProcedureEngine.Scheduling;

/// <summary>
/// Quartz <see cref="IObjectSerializer"/> for the ADO job store: JSON instead of .NET binary
/// serialization (which .NET 10 no longer has). Only job data maps of simple values are stored:
/// strings, numbers, booleans and ISO instants. Anything else is refused with a clear message, so a
/// job can never persist state another node cannot read back.
/// </summary>
public sealed class JsonObjectSerializer : IObjectSerializer
{
    private const string TypeKey = "$type";
    private const string ValuesKey = "values";

    public void Initialize()
    {
    }

    public byte[] Serialize<T>(T obj)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj is not JobDataMap map)
        {
            throw new NotSupportedException($"ProcedureEngine stores only job data maps in the scheduler, not {obj.GetType().FullName}");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(TypeKey, "JobDataMap");
            writer.WriteStartObject(ValuesKey);
            foreach (var (key, value) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                WriteValue(writer, key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public T DeSerialize<T>(byte[] data)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(data);
        if (typeof(T) != typeof(JobDataMap) && !typeof(T).IsAssignableFrom(typeof(JobDataMap)))
        {
            throw new NotSupportedException($"ProcedureEngine stores only job data maps in the scheduler, not {typeof(T).FullName}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"scheduler job data is not valid JSON (byte {e.BytePositionInLine}, line {e.LineNumber}): {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty(TypeKey, out var type) || type.GetString() != "JobDataMap" ||
                !root.TryGetProperty(ValuesKey, out var values) || values.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException("scheduler job data is not a ProcedureEngine job data map");
            }

            var map = new JobDataMap();
            foreach (var property in values.EnumerateObject())
            {
                if (ReadValue(property) is { } value)
                {
                    map[property.Name] = value;
                }
            }

            return (T)(object)map;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, string key, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(key);
                break;
            case string s:
                writer.WriteString(key, s);
                break;
            case bool b:
                writer.WriteBoolean(key, b);
                break;
            case int or long or short or byte:
                writer.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case decimal or double or float:
                writer.WriteNumber(key, Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset t:
                writer.WriteString(key, t.ToString("O", CultureInfo.InvariantCulture));
                break;
            default:
                throw new NotSupportedException($"job data '{key}' has type {value.GetType().FullName}; only strings, numbers, booleans and instants are stored");
        }
    }

    private static object? ReadValue(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when property.Value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => property.Value.GetDecimal(),
        JsonValueKind.String => property.Value.GetString(),
        _ => throw new InvalidOperationException($"job data '{property.Name}' has an unsupported JSON value ({property.Value.ValueKind})"),
    };
}
