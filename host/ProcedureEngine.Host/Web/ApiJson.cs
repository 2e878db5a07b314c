using System.Text.Encodings.Web;
using System.Text.Json.Serialization;

namespace ProcedureEngine.Host.Web;

/// <summary>JSON as every endpoint reads and writes it: camelCase, enums as camelCase strings, unknown keys refused.</summary>
public static class ApiJson
{
    /// <summary>The same settings outside a request (the CLI's `--json`, views embedded in larger answers).</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;

        // A misspelt key ("documnets") must not silently become "no documents": it is refused with its path.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

        // {"documents": [...], "documents": []}: which one counts is the reader's guess; refuse it.
        options.AllowDuplicateProperties = false;
        return options;
    }
}
