using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Layout;

/// <summary>
/// Reads the well-formed HTML the letter templates produce into a <see cref="LetterLayout"/>.
/// The vocabulary is small and fixed: h1/h2, p (classes center, right, bold, italic, small),
/// b/strong, i/em, span.bold/span.italic, br, ol/ul/li, table.columns (td data-width),
/// table.grid (data-widths, thead/tbody, th/td), hr, div.qr (data-payload). Anything else is walked
/// through for its children; head, style and script are skipped.
/// </summary>
internal static class XhtmlLayoutReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
    };

    public static LetterLayout Read(string html)
    {
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new StringReader(html), Settings);
            doc = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new LetterTemplateException(
                $"letter template produced markup that is not well-formed at line {ex.LineNumber}, column {ex.LinePosition}: {ex.Message}",
                ex);
        }

        var root = doc.Root ?? throw new LetterTemplateException("letter template produced an empty document");
        var paper = string.Equals((string?)root.Attribute("data-paper"), "A4", StringComparison.OrdinalIgnoreCase)
            ? Dossiers.Rules.PaperSize.A4
            : Dossiers.Rules.PaperSize.A5;
        var landscape = string.Equals((string?)root.Attribute("data-orientation"), "landscape", StringComparison.OrdinalIgnoreCase);
        var title = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "title")?.Value.Trim() ?? string.Empty;
        var body = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "body") ?? root;
        return new LetterLayout(title, paper, landscape, ReadBlocks(body));
    }

    private static ImmutableArray<Block> ReadBlocks(XElement container)
    {
        var blocks = ImmutableArray.CreateBuilder<Block>();
        foreach (var node in container.Nodes())
        {
            if (node is XElement e)
            {
                ReadBlock(e, blocks);
            }
            else if (node is XText t && !string.IsNullOrWhiteSpace(t.Value))
            {
                blocks.Add(new ParagraphBlock([new Run(Collapse(t.Value).Trim(), false, false)], Align.Left, 1, false));
            }
        }

        return blocks.ToImmutable();
    }

    private static void ReadBlock(XElement e, ImmutableArray<Block>.Builder blocks)
    {
        var classes = Classes(e);
        switch (e.Name.LocalName)
        {
            case "head" or "style" or "script" or "title":
                return;
            case "h1":
                blocks.Add(Paragraph(e, Align.Center, bold: true, italic: false, scale: 1.15, title: true));
                return;
            case "h2" or "h3":
                blocks.Add(Paragraph(e, Align.Center, bold: true, italic: false, scale: 1.0, title: false));
                return;
            case "p":
                blocks.Add(Paragraph(
                    e,
                    AlignOf(classes, Align.Justify),
                    classes.Contains("bold"),
                    classes.Contains("italic"),
                    classes.Contains("small") ? 0.85 : 1.0,
                    false));
                return;
            case "ol" or "ul":
                blocks.Add(new ListBlock(
                    [.. e.Elements().Where(li => li.Name.LocalName == "li").Select(li => Paragraph(li, Align.Justify, false, false, 1, false))],
                    e.Name.LocalName == "ol"));
                return;
            case "br":
                blocks.Add(new ParagraphBlock([], Align.Left, 1, false));
                return;
            case "hr":
                blocks.Add(new RuleBlock(double.TryParse((string?)e.Attribute("data-width"), NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : 0.4));
                return;
            case "table" when classes.Contains("columns"):
                blocks.Add(ReadColumns(e));
                return;
            case "table":
                blocks.Add(ReadGrid(e));
                return;
            case "div" when classes.Contains("qr"):
                var payload = (string?)e.Attribute("data-payload");
                if (!string.IsNullOrEmpty(payload))
                {
                    var size = double.TryParse((string?)e.Attribute("data-size-mm"), NumberStyles.Float, CultureInfo.InvariantCulture, out var mm) ? mm : 22;
                    blocks.Add(new QrBlock(payload, size));
                }

                return;
            default:
                blocks.AddRange(ReadBlocks(e));
                return;
        }
    }

    private static ColumnsBlock ReadColumns(XElement table)
    {
        var cells = table.Descendants().Where(d => d.Name.LocalName == "td").ToList();
        var columns = ImmutableArray.CreateBuilder<Column>();
        foreach (var td in cells)
        {
            var width = double.TryParse((string?)td.Attribute("data-width"), NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
                ? w
                : 1.0 / cells.Count;
            columns.Add(new Column(width, ReadBlocks(td)));
        }

        return new ColumnsBlock(columns.ToImmutable());
    }

    private static GridBlock ReadGrid(XElement table)
    {
        var rows = ImmutableArray.CreateBuilder<GridRow>();
        foreach (var tr in table.Descendants().Where(d => d.Name.LocalName == "tr"))
        {
            var cells = tr.Elements().Where(c => c.Name.LocalName is "td" or "th").ToList();
            var header = cells.Count > 0 && cells.All(c => c.Name.LocalName == "th");
            rows.Add(new GridRow(
                header,
                [.. cells.Select(c =>
                {
                    var cls = Classes(c);
                    return Paragraph(c, AlignOf(cls, header ? Align.Center : Align.Left), header || cls.Contains("bold"), cls.Contains("italic"), 1, false);
                })]));
        }

        var columnCount = rows.Count == 0 ? 0 : rows.Max(r => r.Cells.Length);
        var widths = ((string?)table.Attribute("data-widths"))?
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture))
            .ToList();
        if (widths is null || widths.Count != columnCount)
        {
            widths = [.. Enumerable.Repeat(1.0, columnCount)];
        }

        var total = widths.Sum();
        return new GridBlock([.. widths.Select(w => w / total)], rows.ToImmutable());
    }

    private static ParagraphBlock Paragraph(XElement e, Align align, bool bold, bool italic, double scale, bool title)
    {
        var runs = new List<Run>();
        CollectRuns(e, bold, italic, runs);
        return new ParagraphBlock(Normalize(runs), align, scale, title);
    }

    private static void CollectRuns(XElement e, bool bold, bool italic, List<Run> runs)
    {
        foreach (var node in e.Nodes())
        {
            switch (node)
            {
                case XText t:
                    runs.Add(new Run(Collapse(t.Value), bold, italic));
                    break;
                case XElement child when child.Name.LocalName == "br":
                    runs.Add(Run.LineBreak);
                    break;
                case XElement child when child.Name.LocalName is "style" or "script":
                    break;
                case XElement child:
                    var cls = Classes(child);
                    var name = child.Name.LocalName;
                    CollectRuns(
                        child,
                        bold || name is "b" or "strong" || cls.Contains("bold"),
                        italic || name is "i" or "em" || cls.Contains("italic"),
                        runs);
                    break;
            }
        }
    }

    /// <summary>Collapses white space as HTML does: no leading space on a line, single spaces between words.</summary>
    private static ImmutableArray<Run> Normalize(List<Run> runs)
    {
        var result = ImmutableArray.CreateBuilder<Run>();
        var atLineStart = true;
        foreach (var run in runs)
        {
            if (run.IsLineBreak)
            {
                TrimEnd(result);
                result.Add(run);
                atLineStart = true;
                continue;
            }

            var text = atLineStart ? run.Text.TrimStart() : run.Text;
            if (text.Length == 0)
            {
                continue;
            }

            if (result.Count > 0 && !result[^1].IsLineBreak && result[^1].Text.EndsWith(' ') && text.StartsWith(' '))
            {
                text = text.TrimStart();
            }

            if (text.Length > 0)
            {
                result.Add(run with { Text = text });
                atLineStart = false;
            }
        }

        TrimEnd(result);
        return result.ToImmutable();
    }

    private static void TrimEnd(ImmutableArray<Run>.Builder runs)
    {
        while (runs.Count > 0 && !runs[^1].IsLineBreak)
        {
            var trimmed = runs[^1].Text.TrimEnd();
            if (trimmed.Length > 0)
            {
                runs[^1] = runs[^1] with { Text = trimmed };
                return;
            }

            runs.RemoveAt(runs.Count - 1);
        }
    }

    private static string Collapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if ((char.IsWhiteSpace(c) && c != '\u00A0') || char.IsControl(c))
            {
                if (!space)
                {
                    sb.Append(' ');
                }

                space = true;
            }
            else
            {
                sb.Append(c);
                space = false;
            }
        }

        return sb.ToString();
    }

    private static HashSet<string> Classes(XElement e) =>
        [.. ((string?)e.Attribute("class") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private static Align AlignOf(HashSet<string> classes, Align fallback) =>
        classes.Contains("center") ? Align.Center
        : classes.Contains("right") ? Align.Right
        : classes.Contains("left") ? Align.Left
        : fallback;
}
