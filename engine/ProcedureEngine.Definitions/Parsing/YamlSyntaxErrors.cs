using System.Globalization;
using ProcedureEngine.Definitions.Model;
using YamlDotNet.Core;

namespace ProcedureEngine.Definitions.Parsing;

/// <summary>
/// Turns what YamlDotNet reports about a syntax error (an exception with marks, or for some inputs a bare
/// <see cref="InvalidOperationException"/> with none) into one problem: the line and column where the reader
/// stopped, and what it expected there, in the author's terms (which bracket or quote is open and where it was
/// opened, which indentation the block has, which character YAML reserves).
/// </summary>
internal static class YamlSyntaxErrors
{
    /// <summary>A block collection still open when reading stopped: where it starts and whether it is a mapping.</summary>
    internal readonly record struct OpenBlock(SourceLocation Location, bool IsMapping);

    public static (SourceLocation At, string Message) Explain(string text, YamlException? ex, Mark stoppedAt, OpenBlock? innermost)
    {
        var message = ex is null ? string.Empty : Describe(ex);
        var start = ex is null ? (int)stoppedAt.Index : (int)Math.Clamp(ex.Start.Index, 0, text.Length);

        // Brackets first: an unclosed, unmatched or stray one explains every error reported after it.
        switch (Brackets(text, Math.Min(text.Length, ex is null ? (int)stoppedAt.Index : start + 1)))
        {
            case { Kind: BracketKind.Stray } b:
                return (LocationOf(text, b.At), $"'{text[b.At]}' closes nothing: no '{Opener(text[b.At])}' is open here; remove it");
            case { Kind: BracketKind.Mismatch } b:
                return (LocationOf(text, b.At),
                    $"'{text[b.At]}' cannot close the '{text[b.Opener]}' opened at {Where(text, b.Opener)}: expected ',' or '{Closer(text[b.Opener])}'");
            case { Kind: BracketKind.Unclosed } b when ex is null || message.Contains("did not find expected ','", StringComparison.Ordinal):
                var at = ex is null ? stoppedAt : ex.Start;
                var end = at.Index >= text.TrimEnd().Length ? "reached the end of the file: " : string.Empty;
                return (ToLocation(at),
                    $"{end}expected ',' or '{Closer(text[b.Opener])}': the {FlowName(text[b.Opener])} '{text[b.Opener]}' opened at {Where(text, b.Opener)} is not closed");
        }

        if (ex is null)
        {
            return (ToLocation(stoppedAt), "YAML could not be read past this point: check the brackets, quotes and indentation just before it");
        }

        if (message.Contains("quoted scalar", StringComparison.Ordinal) && start < text.Length && text[start] is '"' or '\'')
        {
            var quote = text[start] == '"' ? "double" : "single";
            if (message.Contains("unknown escape", StringComparison.Ordinal))
            {
                var backslash = (int)Math.Clamp(ex.End.Index, 0, text.Length - 1);
                var escape = text.Substring(backslash, Math.Min(2, text.Length - backslash));
                return (LocationOf(text, backslash),
                    $"unknown escape '{escape}' in the double-quoted value opened at {Where(text, start)}: write '\\\\' for a backslash, or put the value in single quotes");
            }

            var eof = ex.End.Index >= text.TrimEnd().Length || message.Contains("end of stream", StringComparison.Ordinal);
            return (ToLocation(ex.End),
                $"{(eof ? "reached the end of the file: " : string.Empty)}expected a closing {(quote == "double" ? "'\"'" : "\"'\"")}: the {quote}-quoted value opened at {Where(text, start)} is not closed" +
                (eof ? string.Empty : " (a quoted value continues on the next line only when that line is indented)"));
        }

        if (message.Contains("cannot start any token", StringComparison.Ordinal) && start < text.Length)
        {
            return (ToLocation(ex.Start),
                $"'{text[start]}' cannot start a value: YAML reserves it; put the value in quotes (\"{text[start]}...\")");
        }

        if (message.Contains("found invalid mapping", StringComparison.Ordinal) || message.Contains("mapping values are not allowed", StringComparison.Ordinal))
        {
            return (ToLocation(ex.Start),
                "':' followed by a space or the line's end inside a value: put the value in quotes if the colon belongs to it; " +
                "if a new key starts here, put it on its own line, indented like the keys beside it");
        }

        if (message.Contains("did not find preceding <document end>", StringComparison.Ordinal))
        {
            return (ToLocation(ex.Start), "a '%' directive may only come before the document starts: remove this line, or quote a value that starts with '%'");
        }

        var lineStart = text.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
        if (start > 0 && start <= text.Length && text[start - 1] == '\n')
        {
            lineStart = start;
        }

        var lineEnd = text.IndexOf('\n', lineStart) is var nl and >= 0 ? nl : text.Length;
        var line = text[lineStart..lineEnd].TrimEnd('\r');
        var column = start - lineStart + 1;

        if (message.Contains("did not find expected key", StringComparison.Ordinal))
        {
            var keys = innermost is { IsMapping: true } m ? $" at column {m.Location.Column.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
            var before = text[lineStart..Math.Min(start, text.Length)].TrimEnd();
            if (before.Length > 0 && before[^1] is '"' or '\'')
            {
                return (ToLocation(ex.Start),
                    $"text after the closing {before[^1]} of a quoted value: expected the line's end; write a '\"' inside a double-quoted value as \\\", or quote the whole value with single quotes");
            }

            if (start < text.Length && text[start] == '-')
            {
                return (ToLocation(ex.Start), $"a list item '- ' where the mapping expected its next key{keys}: indent the list under a key, or write 'key: value'");
            }

            return (ToLocation(ex.Start), line.Contains(": ", StringComparison.Ordinal) || line.TrimEnd().EndsWith(':')
                ? $"expected a key{keys} ('key: value'); this line starts at column {column.ToString(CultureInfo.InvariantCulture)}: indent it like the keys beside it"
                : $"expected 'key: value'{keys}; this line has no ':' followed by a space (write 'version: 1', not 'version:1'; " +
                  "a line that continues the value above must be indented as far as that value's first line)");
        }

        if (message.Contains("did not find expected '-' indicator", StringComparison.Ordinal))
        {
            var items = innermost is { IsMapping: false } s ? $" at column {s.Location.Column.ToString(CultureInfo.InvariantCulture)} (the list's indentation)" : string.Empty;
            return (ToLocation(ex.Start), $"expected a list item '- '{items}; this line starts at column {column.ToString(CultureInfo.InvariantCulture)}: indent it like the items or keys beside it");
        }

        return (ToLocation(ex.Start), message);
    }

    /// <summary>YamlDotNet's message without the location prefix it puts in front (the location is printed separately).</summary>
    public static string Describe(YamlException ex)
    {
        var message = ex.Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith('(') && cut > 0)
        {
            message = message[(cut + 3)..];
        }

        return message.TrimEnd('.');
    }

    private enum BracketKind
    {
        None,
        Unclosed,
        Mismatch,
        Stray,
    }

    private readonly record struct BracketFinding(BracketKind Kind, int At, int Opener);

    /// <summary>
    /// Flow brackets in <paramref name="text"/> up to <paramref name="end"/>, skipping comments and quoted values:
    /// the first closer that matches nothing or the wrong opener, else the innermost opener left open.
    /// </summary>
    private static BracketFinding Brackets(string text, int end)
    {
        var open = new Stack<int>();
        var i = 0;
        while (i < end)
        {
            var c = text[i];
            var previous = i == 0 ? '\n' : text[i - 1];
            switch (c)
            {
                case '#' when previous is ' ' or '\t' or '\n' or '\r':
                    i = text.IndexOf('\n', i) is var nl and >= 0 ? nl : end;
                    continue;
                case '"' or '\'' when previous is ' ' or '\t' or '\n' or '\r' or ':' or ',' or '[' or '{' or '-':
                    i = EndOfQuoted(text, i, end);
                    continue;
                case '[' or '{':
                    open.Push(i);
                    break;
                case ']' or '}':
                    if (open.Count == 0)
                    {
                        return new BracketFinding(BracketKind.Stray, i, -1);
                    }

                    var opener = open.Pop();
                    if (Closer(text[opener]) != c)
                    {
                        return new BracketFinding(BracketKind.Mismatch, i, opener);
                    }

                    break;
                default:
                    break;
            }

            i++;
        }

        return open.Count > 0 ? new BracketFinding(BracketKind.Unclosed, -1, open.Peek()) : new BracketFinding(BracketKind.None, -1, -1);
    }

    private static int EndOfQuoted(string text, int start, int end)
    {
        var quote = text[start];
        for (var i = start + 1; i < end; i++)
        {
            if (quote == '"' && text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                if (quote == '\'' && i + 1 < end && text[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return i + 1;
            }
        }

        return end;
    }

    private static char Closer(char opener) => opener == '[' ? ']' : '}';

    private static char Opener(char closer) => closer == ']' ? '[' : '{';

    private static string FlowName(char opener) => opener == '[' ? "list" : "mapping";

    private static string Where(string text, int index)
    {
        var at = LocationOf(text, index);
        return $"line {at.Line.ToString(CultureInfo.InvariantCulture)}, column {at.Column.ToString(CultureInfo.InvariantCulture)}";
    }

    internal static SourceLocation ToLocation(Mark mark) =>
        new((int)Math.Clamp(mark.Line, 1, int.MaxValue), (int)Math.Clamp(mark.Column, 1, int.MaxValue));

    internal static SourceLocation LocationOf(string text, int index)
    {
        var line = 1;
        var lastNl = -1;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lastNl = i;
            }
        }

        return new SourceLocation(line, index - lastNl);
    }
}
