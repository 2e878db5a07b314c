using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ProcedureEngine.Host.Web.Definitions;

/// <summary>
/// Writes an end date (`effective.until`) into the YAML text of a published version, touching nothing
/// else in the file: comments, order and layout stay as the author wrote them. Used when a new version
/// is published from a date while the version before it was open-ended: the new decision ends the old
/// text the day before.
/// </summary>
public static class EffectiveEnd
{
    /// <summary>The text with `until: <paramref name="until"/>` added to its `effective` block; throws <see cref="FormatException"/> when it has no open-ended `effective.from`.</summary>
    public static string Close(string yaml, DateOnly until)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root ||
            !root.Children.TryGetValue(new YamlScalarNode("effective"), out var node) || node is not YamlMappingNode effective ||
            !effective.Children.TryGetValue(new YamlScalarNode("from"), out var fromNode))
        {
            throw new FormatException("the definition has no `effective.from` to close");
        }

        if (effective.Children.ContainsKey(new YamlScalarNode("until")))
        {
            throw new FormatException("the definition already has `effective.until`");
        }

        var date = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var fromKey = effective.Children.Keys.First(k => k is YamlScalarNode { Value: "from" });
        var afterFrom = (int)fromNode.End.Index;
        if (effective.Style == MappingStyle.Flow)
        {
            return yaml.Insert(afterFrom, $", until: {date}");
        }

        // Block style: a new line under `from`, at the same indentation, after the end of from's line.
        var lineEnd = yaml.IndexOf('\n', afterFrom);
        var indent = new string(' ', (int)fromKey.Start.Column - 1);
        var newline = lineEnd > 0 && yaml[lineEnd - 1] == '\r' ? "\r\n" : "\n";
        return lineEnd < 0
            ? yaml + newline + indent + "until: " + date + newline
            : yaml.Insert(lineEnd + 1, indent + "until: " + date + newline);
    }
}
