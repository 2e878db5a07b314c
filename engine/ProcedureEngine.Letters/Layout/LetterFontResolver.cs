using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace ProcedureEngine.Letters.Layout;

/// <summary>
/// Serves the DejaVu Serif faces shipped inside this assembly (full Vietnamese coverage), so PDF
/// letters never depend on the fonts of the machine. Every family name resolves to DejaVu Serif.
/// </summary>
internal sealed class LetterFontResolver : IFontResolver
{
    public const string Family = "DejaVu Serif";

    private static readonly object Gate = new();
    private static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>Installs the resolver once per process (PDFsharp's font settings are global).</summary>
    public static void EnsureInstalled()
    {
        if (GlobalFontSettings.FontResolver is LetterFontResolver)
        {
            return;
        }

        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not LetterFontResolver)
            {
                GlobalFontSettings.FontResolver = new LetterFontResolver();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic)
    {
        var face = (isBold, isItalic) switch
        {
            (true, true) => "DejaVuSerif-BoldItalic",
            (true, false) => "DejaVuSerif-Bold",
            (false, true) => "DejaVuSerif-Italic",
            _ => "DejaVuSerif",
        };
        return new FontResolverInfo(face);
    }

    public byte[]? GetFont(string faceName) => Cache.GetOrAdd(faceName, static name =>
    {
        var resource = $"Fonts/{name}.ttf";
        using var stream = typeof(LetterFontResolver).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"font resource '{resource}' is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });
}
