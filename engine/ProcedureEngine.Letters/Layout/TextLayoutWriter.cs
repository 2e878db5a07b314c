using System.Text;

namespace ProcedureEngine.Letters.Layout;

/// <summary>
/// Plain-text rendering of a letter (CLI and JSON output): one line per paragraph, columns one
/// after the other, tables as "a | b | c" lines, blank lines around headings and titles.
/// </summary>
internal static class TextLayoutWriter
{
    public static string Write(LetterLayout layout)
    {
        var lines = new List<string>();
        WriteBlocks(layout.Blocks, lines);
        var sb = new StringBuilder();
        var blank = true;
        foreach (var line in lines)
        {
            var isBlank = line.Length == 0;
            if (isBlank && blank)
            {
                continue;
            }

            sb.Append(line).Append('\n');
            blank = isBlank;
        }

        return sb.ToString().TrimEnd('\n') + "\n";
    }

    private static void WriteBlocks(IEnumerable<Block> blocks, List<string> lines)
    {
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ParagraphBlock p when p.IsEmpty:
                    break;
                case ParagraphBlock p when p.Title:
                    lines.Add(string.Empty);
                    lines.AddRange(Lines(p));
                    break;
                case ParagraphBlock p:
                    lines.AddRange(Lines(p));
                    break;
                case ListBlock list:
                    for (var i = 0; i < list.Items.Length; i++)
                    {
                        var itemLines = Lines(list.Items[i]);
                        var bullet = list.Ordered ? $"{i + 1}. " : "- ";
                        for (var j = 0; j < itemLines.Count; j++)
                        {
                            lines.Add((j == 0 ? "  " + bullet : new string(' ', 2 + bullet.Length)) + itemLines[j]);
                        }
                    }

                    break;
                case ColumnsBlock columns:
                    lines.Add(string.Empty);
                    foreach (var column in columns.Columns)
                    {
                        WriteBlocks(column.Blocks, lines);
                    }

                    lines.Add(string.Empty);
                    break;
                case GridBlock grid:
                    foreach (var row in grid.Rows)
                    {
                        lines.Add(string.Join(" | ", row.Cells.Select(c => string.Join("; ", Lines(c).Where(l => l.Length > 0)))).TrimEnd(' ', '|'));
                    }

                    break;
                case RuleBlock or QrBlock:
                    break;
            }
        }
    }

    private static List<string> Lines(ParagraphBlock p)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        foreach (var run in p.Runs)
        {
            if (run.IsLineBreak)
            {
                result.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(run.Text);
            }
        }

        if (current.Length > 0 || result.Count == 0)
        {
            result.Add(current.ToString().Trim());
        }

        return result;
    }
}
