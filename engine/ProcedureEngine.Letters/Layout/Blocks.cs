using System.Collections.Immutable;

namespace ProcedureEngine.Letters.Layout;

/// <summary>Horizontal alignment of a paragraph.</summary>
internal enum Align
{
    Left,
    Center,
    Right,
    Justify,
}

/// <summary>A piece of text in one style. A run whose text is "\n" is a line break.</summary>
internal sealed record Run(string Text, bool Bold, bool Italic)
{
    public static readonly Run LineBreak = new("\n", false, false);

    public bool IsLineBreak => Text == "\n";
}

/// <summary>
/// The page-independent layout of a letter, read from the XHTML the templates produce, so the
/// plain-text and PDF renderings say exactly what the HTML says.
/// </summary>
internal abstract record Block;

/// <summary>A paragraph; <paramref name="Scale"/> multiplies the base font size (titles are larger).</summary>
internal sealed record ParagraphBlock(ImmutableArray<Run> Runs, Align Align, double Scale, bool Title) : Block
{
    public string PlainText => string.Concat(Runs.Select(r => r.Text));

    public bool IsEmpty => Runs.All(r => string.IsNullOrWhiteSpace(r.Text));
}

/// <summary>A numbered or bulleted list.</summary>
internal sealed record ListBlock(ImmutableArray<ParagraphBlock> Items, bool Ordered) : Block;

/// <summary>Side-by-side columns (heading, signatures); widths are fractions of the available width.</summary>
internal sealed record ColumnsBlock(ImmutableArray<Column> Columns) : Block;

internal sealed record Column(double Width, ImmutableArray<Block> Blocks);

/// <summary>A ruled table; widths are fractions of the available width.</summary>
internal sealed record GridBlock(ImmutableArray<double> Widths, ImmutableArray<GridRow> Rows) : Block;

internal sealed record GridRow(bool Header, ImmutableArray<ParagraphBlock> Cells);

/// <summary>A short centred rule (under the national motto and the agency name).</summary>
internal sealed record RuleBlock(double Width) : Block;

/// <summary>A QR code of <paramref name="Payload"/>, <paramref name="SizeMm"/> wide.</summary>
internal sealed record QrBlock(string Payload, double SizeMm) : Block;

/// <summary>The whole letter: paper, orientation and blocks.</summary>
internal sealed record LetterLayout(string Title, Dossiers.Rules.PaperSize Paper, bool Landscape, ImmutableArray<Block> Blocks);
