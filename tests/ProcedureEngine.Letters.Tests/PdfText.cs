using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace ProcedureEngine.Letters.Tests;

/// <summary>
/// Reads back the text layer of a PDF the way a viewer's copy/search does: every shown string is
/// mapped through its font's ToUnicode CMap. Shown strings are joined with a space.
/// </summary>
internal static partial class PdfText
{
    public static PdfDocument Open(byte[] pdf) => PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);

    public static string Extract(byte[] pdf)
    {
        using var document = Open(pdf);
        var sb = new StringBuilder();
        foreach (var page in document.Pages)
        {
            var maps = FontMaps(page);
            Dictionary<int, string>? current = null;
            foreach (var op in ContentReader.ReadContent(page).OfType<COperator>().Concat(Nested(ContentReader.ReadContent(page))))
            {
                if (op.Name == "Tf" && op.Operands.Count > 0 && op.Operands[0] is CName name)
                {
                    maps.TryGetValue(name.Name, out current);
                }
                else if (op.Name is "Tj" or "TJ" && current is not null)
                {
                    foreach (var s in Strings(op.Operands))
                    {
                        sb.Append(Decode(s, current)).Append(' ');
                    }
                }
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static IEnumerable<COperator> Nested(CSequence sequence) =>
        sequence.OfType<CSequence>().SelectMany(s => s.OfType<COperator>().Concat(Nested(s)));

    private static IEnumerable<CString> Strings(IEnumerable<CObject> operands)
    {
        foreach (var o in operands)
        {
            if (o is CString s)
            {
                yield return s;
            }
            else if (o is CArray a)
            {
                foreach (var inner in Strings(a))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string Decode(CString s, Dictionary<int, string> map)
    {
        var bytes = s.Value;
        var sb = new StringBuilder();
        for (var i = 0; i + 1 < bytes.Length; i += 2)
        {
            var code = (bytes[i] << 8) | bytes[i + 1];
            sb.Append(map.TryGetValue(code, out var text) ? text : "\uFFFD");
        }

        return sb.ToString();
    }

    private static Dictionary<string, Dictionary<int, string>> FontMaps(PdfPage page)
    {
        var result = new Dictionary<string, Dictionary<int, string>>();
        var fonts = page.Resources.Elements.GetDictionary("/Font");
        if (fonts is null)
        {
            return result;
        }

        foreach (var key in fonts.Elements.Keys)
        {
            var font = fonts.Elements.GetDictionary(key);
            var toUnicode = font?.Elements.GetDictionary("/ToUnicode");
            if (toUnicode?.Stream is null)
            {
                continue;
            }

            result[key] = ParseCMap(Encoding.ASCII.GetString(toUnicode.Stream.UnfilteredValue));
        }

        return result;
    }

    private static Dictionary<int, string> ParseCMap(string cmap)
    {
        var map = new Dictionary<int, string>();
        foreach (Match block in BfChar().Matches(cmap))
        {
            foreach (Match m in Pair().Matches(block.Groups[1].Value))
            {
                map[Hex(m.Groups[1].Value)] = Utf16(m.Groups[2].Value);
            }
        }

        foreach (Match block in BfRange().Matches(cmap))
        {
            foreach (Match m in Range().Matches(block.Groups[1].Value))
            {
                var lo = Hex(m.Groups[1].Value);
                var hi = Hex(m.Groups[2].Value);
                var start = Hex(m.Groups[3].Value);
                for (var c = lo; c <= hi; c++)
                {
                    map[c] = char.ConvertFromUtf32(start + (c - lo));
                }
            }
        }

        return map;
    }

    private static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string Utf16(string hex)
    {
        var chars = new char[hex.Length / 4];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)Hex(hex.Substring(i * 4, 4));
        }

        return new string(chars);
    }

    [GeneratedRegex(@"beginbfchar(.*?)endbfchar", RegexOptions.Singleline)]
    private static partial Regex BfChar();

    [GeneratedRegex(@"beginbfrange(.*?)endbfrange", RegexOptions.Singleline)]
    private static partial Regex BfRange();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex Pair();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex Range();
}
