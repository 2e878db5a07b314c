using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace ProcedureEngine.Letters.Layout;

/// <summary>
/// Draws a <see cref="LetterLayout"/> on PDF pages with PDFsharp: A5 portrait letters (A4 for the
/// tracking book), Vietnamese administrative margins, wrapped paragraphs with bold/italic runs,
/// ruled tables that break across pages (header row repeated), and vector QR codes.
/// </summary>
internal sealed class PdfLayoutWriter : IDisposable
{
    private static readonly XPen Pen = new(XColors.Black, 0.5);

    private readonly Dictionary<(double Size, bool Bold, bool Italic), XFont> fonts = [];
    private readonly LetterLayout layout;
    private readonly double baseSize;
    private readonly PdfDocument document = new();
    private XGraphics? gfx;
    private double top;
    private double bottom;
    private double left;
    private double width;
    private double y;

    private PdfLayoutWriter(LetterLayout layout)
    {
        this.layout = layout;
        baseSize = layout.Paper == Dossiers.Rules.PaperSize.A4 ? 9 : 9.5;
    }

    public static byte[] Write(LetterLayout layout, DateTimeOffset created)
    {
        LetterFontResolver.EnsureInstalled();
        Rendering.PdfLicense.EnsureChosen();
        using var writer = new PdfLayoutWriter(layout);
        return writer.Render(created);
    }

    public void Dispose()
    {
        gfx?.Dispose();
        gfx = null;
        document.Dispose();
    }

    private byte[] Render(DateTimeOffset created)
    {
        document.Info.Title = layout.Title;
        document.Info.Creator = "ProcedureEngine";
        document.Info.CreationDate = created.UtcDateTime;
        NewPage();
        foreach (var block in layout.Blocks)
        {
            DrawTopLevel(block);
        }

        gfx?.Dispose();
        gfx = null;
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private void NewPage()
    {
        gfx?.Dispose();
        var page = document.AddPage();
        page.Size = layout.Paper == Dossiers.Rules.PaperSize.A4 ? PageSize.A4 : PageSize.A5;
        page.Orientation = layout.Landscape ? PageOrientation.Landscape : PageOrientation.Portrait;
        var mm = XUnit.FromMillimeter(1).Point;
        var (marginTop, marginBottom, marginLeft, marginRight) = layout.Paper == Dossiers.Rules.PaperSize.A4
            ? (15 * mm, 15 * mm, 20 * mm, 15 * mm)
            : (12 * mm, 12 * mm, 15 * mm, 10 * mm);
        top = marginTop;
        bottom = page.Height.Point - marginBottom;
        left = marginLeft;
        width = page.Width.Point - marginLeft - marginRight;
        y = top;
        gfx = XGraphics.FromPdfPage(page);
    }

    private XGraphics G => gfx ?? throw new InvalidOperationException("no page");

    private void DrawTopLevel(Block block)
    {
        switch (block)
        {
            case ParagraphBlock p:
                if (p.Title)
                {
                    y += baseSize * 0.6;
                }

                foreach (var line in Wrap(p, width))
                {
                    if (y + line.Height > bottom && y > top)
                    {
                        NewPage();
                    }

                    DrawLine(line, left, width, p.Align);
                }

                y += ParagraphSpacing(p);
                break;
            case GridBlock grid:
                DrawGrid(grid);
                break;
            default:
                var height = Measure(block, width);
                if (y + height > bottom && y > top)
                {
                    NewPage();
                }

                y = Draw(block, left, y, width);
                break;
        }
    }

    private double ParagraphSpacing(ParagraphBlock p) => p.Title ? baseSize * 0.5 : baseSize * 0.15;

    // ----- generic measure / draw (no page breaks inside) -----
    private double Measure(Block block, double w) => block switch
    {
        ParagraphBlock p => Wrap(p, w).Sum(l => l.Height) + ParagraphSpacing(p) + (p.Title ? baseSize * 0.6 : 0),
        ListBlock list => list.Items.Sum(i => Wrap(i, w - Indent).Sum(l => l.Height) + (baseSize * 0.15)),
        ColumnsBlock columns => columns.Columns.Max(c => c.Blocks.Sum(b => Measure(b, w * c.Width))),
        GridBlock grid => grid.Rows.Sum(r => RowHeight(grid, r, w)),
        RuleBlock => 5,
        QrBlock qr => XUnit.FromMillimeter(qr.SizeMm).Point + 2,
        _ => 0,
    };

    private double Indent => baseSize * 1.8;

    private double Draw(Block block, double x, double atY, double w)
    {
        var saved = y;
        y = atY;
        switch (block)
        {
            case ParagraphBlock p:
                if (p.Title)
                {
                    y += baseSize * 0.6;
                }

                foreach (var line in Wrap(p, w))
                {
                    DrawLine(line, x, w, p.Align);
                }

                y += ParagraphSpacing(p);
                break;
            case ListBlock list:
                for (var i = 0; i < list.Items.Length; i++)
                {
                    var marker = list.Ordered ? $"{i + 1}." : "–";
                    G.DrawString(marker, Font(baseSize, false, false), XBrushes.Black, x + (baseSize * 0.3), y, XStringFormats.TopLeft);
                    foreach (var line in Wrap(list.Items[i], w - Indent))
                    {
                        DrawLine(line, x + Indent, w - Indent, list.Items[i].Align);
                    }

                    y += baseSize * 0.15;
                }

                break;
            case ColumnsBlock columns:
                var end = y;
                var cx = x;
                foreach (var column in columns.Columns)
                {
                    var cw = w * column.Width;
                    var cy = y;
                    foreach (var inner in column.Blocks)
                    {
                        cy = Draw(inner, cx, cy, cw);
                    }

                    end = Math.Max(end, cy);
                    cx += cw;
                }

                y = end;
                break;
            case GridBlock grid:
                foreach (var row in grid.Rows)
                {
                    DrawRow(grid, row, x, w);
                }

                break;
            case RuleBlock rule:
                var rw = w * rule.Width;
                G.DrawLine(Pen, x + ((w - rw) / 2), y + 1, x + ((w + rw) / 2), y + 1);
                y += 5;
                break;
            case QrBlock qr:
                DrawQr(qr, x, w);
                break;
        }

        var result = y;
        y = saved;
        return result;
    }

    // ----- tables -----
    private const double CellPadding = 2;

    private void DrawGrid(GridBlock grid)
    {
        var header = grid.Rows.Where(r => r.Header).ToList();
        foreach (var row in grid.Rows)
        {
            var h = RowHeight(grid, row, width);
            if (y + h > bottom && y > top)
            {
                NewPage();
                if (!row.Header)
                {
                    foreach (var hr in header)
                    {
                        DrawRow(grid, hr, left, width);
                    }
                }
            }

            DrawRow(grid, row, left, width);
        }

        y += baseSize * 0.4;
    }

    private double RowHeight(GridBlock grid, GridRow row, double w)
    {
        var h = 0.0;
        for (var i = 0; i < row.Cells.Length; i++)
        {
            var cw = (w * grid.Widths[Math.Min(i, grid.Widths.Length - 1)]) - (2 * CellPadding);
            h = Math.Max(h, Wrap(row.Cells[i], cw).Sum(l => l.Height));
        }

        return h + (2 * CellPadding);
    }

    private void DrawRow(GridBlock grid, GridRow row, double x, double w)
    {
        var h = RowHeight(grid, row, w);
        var cx = x;
        var rowTop = y;
        for (var i = 0; i < grid.Widths.Length; i++)
        {
            var cw = w * grid.Widths[i];
            G.DrawRectangle(Pen, cx, rowTop, cw, h);
            if (i < row.Cells.Length)
            {
                y = rowTop + CellPadding;
                foreach (var line in Wrap(row.Cells[i], cw - (2 * CellPadding)))
                {
                    DrawLine(line, cx + CellPadding, cw - (2 * CellPadding), row.Cells[i].Align);
                }
            }

            cx += cw;
        }

        y = rowTop + h;
    }

    // ----- QR -----
    private void DrawQr(QrBlock qr, double x, double w)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(qr.Payload, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var size = XUnit.FromMillimeter(qr.SizeMm).Point;
        var module = size / matrix.Count;
        var ox = x + ((w - size) / 2);
        for (var row = 0; row < matrix.Count; row++)
        {
            var bits = matrix[row];
            var col = 0;
            while (col < bits.Length)
            {
                if (!bits[col])
                {
                    col++;
                    continue;
                }

                var start = col;
                while (col < bits.Length && bits[col])
                {
                    col++;
                }

                G.DrawRectangle(XBrushes.Black, ox + (start * module), y + (row * module), (col - start) * module, module);
            }
        }

        y += size + 2;
    }

    // ----- text -----
    private sealed record Piece(string Text, XFont Font, double Width, bool EndsWithSpace);

    private sealed record Line(List<Piece> Pieces, double Height, bool Last);

    private XFont Font(double size, bool bold, bool italic)
    {
        if (!fonts.TryGetValue((size, bold, italic), out var font))
        {
            var style = (bold, italic) switch
            {
                (true, true) => XFontStyleEx.BoldItalic,
                (true, false) => XFontStyleEx.Bold,
                (false, true) => XFontStyleEx.Italic,
                _ => XFontStyleEx.Regular,
            };
            font = new XFont(LetterFontResolver.Family, size, style, new XPdfFontOptions(PdfFontEncoding.Unicode));
            fonts[(size, bold, italic)] = font;
        }

        return font;
    }

    private List<Line> Wrap(ParagraphBlock p, double maxWidth)
    {
        var size = baseSize * p.Scale;
        var lineHeight = Font(size, false, false).GetHeight() * 1.06;
        var lines = new List<Line>();
        var current = new List<Piece>();
        var currentWidth = 0.0;

        void Flush(bool last)
        {
            while (current.Count > 0 && current[^1].Text.Trim().Length == 0)
            {
                current.RemoveAt(current.Count - 1);
            }

            lines.Add(new Line([.. current], lineHeight, last));
            current.Clear();
            currentWidth = 0;
        }

        foreach (var run in p.Runs)
        {
            if (run.IsLineBreak)
            {
                Flush(true);
                continue;
            }

            var font = Font(size, run.Bold, run.Italic);
            foreach (var token in Tokens(run.Text))
            {
                var word = token.TrimEnd();
                var wordWidth = G.MeasureString(word, font).Width;
                var tokenWidth = word.Length == token.Length ? wordWidth : G.MeasureString(token, font).Width;
                if (currentWidth + wordWidth > maxWidth && current.Count > 0)
                {
                    Flush(false);
                }

                if (current.Count == 0 && token.Trim().Length == 0)
                {
                    continue;
                }

                if (wordWidth > maxWidth)
                {
                    // A word wider than the line (a long URL or code): break it by characters.
                    foreach (var chunk in Chunks(word, font, maxWidth))
                    {
                        if (current.Count > 0)
                        {
                            Flush(false);
                        }

                        var cw = G.MeasureString(chunk, font).Width;
                        current.Add(new Piece(chunk, font, cw, false));
                        currentWidth = cw;
                    }

                    continue;
                }

                current.Add(new Piece(token, font, tokenWidth, token.Length != word.Length));
                currentWidth += tokenWidth;
            }
        }

        if (current.Count > 0 || lines.Count == 0)
        {
            Flush(true);
        }

        return lines;
    }

    private IEnumerable<string> Chunks(string word, XFont font, double maxWidth)
    {
        var start = 0;
        for (var end = 1; end <= word.Length; end++)
        {
            if (end - start > 1 && G.MeasureString(word[start..end], font).Width > maxWidth)
            {
                yield return word[start..(end - 1)];
                start = end - 1;
            }
        }

        if (start < word.Length)
        {
            yield return word[start..];
        }
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            // Lines break after spaces, and after a hyphen inside a long code or address.
            var breakAfter = (text[i] == ' ' && (i + 1 == text.Length || text[i + 1] != ' '))
                || (text[i] == '-' && i > 0 && i + 1 < text.Length && text[i - 1] != ' ' && text[i + 1] != ' ');
            if (breakAfter)
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private void DrawLine(Line line, double x, double w, Align align)
    {
        var pieces = line.Pieces;
        var natural = pieces.Sum(p => p.Width);
        if (pieces.Count > 0 && pieces[^1].EndsWithSpace)
        {
            natural -= pieces[^1].Width - G.MeasureString(pieces[^1].Text.TrimEnd(), pieces[^1].Font).Width;
        }

        var gaps = pieces.Take(pieces.Count - 1).Count(p => p.EndsWithSpace);
        var extra = align == Align.Justify && !line.Last && gaps > 0 && natural < w ? (w - natural) / gaps : 0;
        var cx = align switch
        {
            Align.Center => x + ((w - natural) / 2),
            Align.Right => x + w - natural,
            _ => x,
        };
        var baseline = y + (line.Height * 0.82);
        var i = 0;
        while (i < pieces.Count)
        {
            // Without justification, consecutive pieces in one font are drawn as one string.
            var j = i + 1;
            var segmentWidth = pieces[i].Width;
            while (extra == 0 && j < pieces.Count && ReferenceEquals(pieces[j].Font, pieces[i].Font))
            {
                segmentWidth += pieces[j].Width;
                j++;
            }

            var text = string.Concat(pieces.Skip(i).Take(j - i).Select(p => p.Text)).TrimEnd();
            G.DrawString(text, pieces[i].Font, XBrushes.Black, cx, baseline, XStringFormats.BaseLineLeft);
            cx += segmentWidth + (pieces[j - 1].EndsWithSpace ? extra : 0);
            i = j;
        }

        y += line.Height;
    }
}
