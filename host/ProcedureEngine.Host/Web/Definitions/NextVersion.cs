using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ProcedureEngine.Host.Web.Definitions;

/// <summary>
/// Starts the next version of a procedure from the text of a published one: the version number and
/// `effective.from` change, an `effective.until` goes (the new version is open-ended until revised),
/// and everything else (comments, order, layout, line endings) stays as the author wrote it. The
/// administrator then edits what the new decision changed, saves the draft and publishes it.
/// </summary>
public static class NextVersion
{
    /// <summary>The draft text; throws <see cref="FormatException"/> when the text has no top-level `version` or `effective.from`.</summary>
    public static string Draft(string yaml, int version, DateOnly from)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{e.Start.Line}:{e.Start.Column}: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("the definition is not a YAML mapping");
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("version"), out var versionNode) || versionNode is not YamlScalarNode)
        {
            throw new FormatException("the definition has no `version` to raise");
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("effective"), out var node) || node is not YamlMappingNode effective ||
            !effective.Children.TryGetValue(new YamlScalarNode("from"), out var fromNode) || fromNode is not YamlScalarNode)
        {
            throw new FormatException("the definition has no `effective.from` to move");
        }

        // Edits as (start, end, replacement) on the original text, applied from the end so earlier offsets stay valid.
        var edits = new List<(int Start, int End, string Text)>
        {
            ((int)versionNode.Start.Index, (int)versionNode.End.Index, version.ToString(CultureInfo.InvariantCulture)),
            ((int)fromNode.Start.Index, (int)fromNode.End.Index, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        };
        var untilKey = effective.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "until" });
        if (untilKey is not null)
        {
            edits.Add(RemoveEntry(yaml, effective, untilKey, effective.Children[untilKey]));
        }

        var text = yaml;
        foreach (var (start, end, replacement) in edits.OrderByDescending(e => e.Start))
        {
            text = string.Concat(text.AsSpan(0, start), replacement, text.AsSpan(end));
        }

        return text;
    }

    private static (int, int, string) RemoveEntry(string yaml, YamlMappingNode mapping, YamlNode key, YamlNode value)
    {
        var start = (int)key.Start.Index;
        var end = (int)value.End.Index;
        if (mapping.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
        {
            // `{ from: X, until: Y }`: drop ", until: Y" (or "until: Y, " when it comes first).
            var comma = yaml.LastIndexOf(',', start);
            if (comma > (int)mapping.Start.Index)
            {
                return (comma, end, string.Empty);
            }

            var next = yaml.IndexOf(',', end);
            if (next < 0)
            {
                return (start, end, string.Empty);
            }

            next++;
            while (next < yaml.Length && yaml[next] == ' ')
            {
                next++;
            }

            return (start, next, string.Empty);
        }

        // Block style: the whole line, from its indentation to its line break (and a comment on it).
        var lineStart = yaml.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
        var lineEnd = yaml.IndexOf('\n', end);
        return (lineStart, lineEnd < 0 ? yaml.Length : lineEnd + 1, string.Empty);
    }
}
