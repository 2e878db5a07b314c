using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ProcedureEngine.Definitions.Parsing;

/// <summary>
/// Reads YAML text into a <see cref="YNode"/> tree from YamlDotNet's parser events, keeping the
/// line and column of every node. Never throws: syntax problems, duplicate keys, anchors,
/// excessive nesting, empty or oversized input become diagnostics, so time and memory stay bounded.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>No procedure comes anywhere near this; larger input is refused before parsing.</summary>
    public const int MaxChars = 1 << 20;

    /// <summary>Deepest nesting accepted (a definition needs about 6).</summary>
    public const int MaxDepth = 32;

    public static YNode? Read(string text, DiagnosticBag bag)
    {
        if (text.Length > MaxChars)
        {
            bag.Error(new SourceLocation(1, 1), DiagnosticCodes.TooLarge,
                $"file is {text.Length / 1024} KiB; definitions are limited to {MaxChars / 1024} KiB");
            return null;
        }

        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            bag.Error(LocationOf(text, nul), DiagnosticCodes.NotText,
                "file contains NUL bytes: it is binary, not UTF-8 YAML text");
            return null;
        }

        // A byte-order mark is allowed at the very start only; one further in is invisible in an editor and would
        // end up inside a key or value.
        var bom = text.Length > 1 ? text.IndexOf('\uFEFF', 1) : -1;
        if (bom > 0)
        {
            bag.Error(LocationOf(text, bom), DiagnosticCodes.YamlSyntax,
                "a byte-order mark (U+FEFF, invisible in most editors) inside the file: delete it (it is left behind when files are joined)");
            return null;
        }

        var scanner = new Scanner(new StringReader(text));
        var stack = new Stack<Frame>();
        try
        {
            return ReadEvents(new Parser(scanner), bag, stack);
        }
        catch (YamlException ex)
        {
            var tab = TabIndentNear(text, (int)Math.Min(ex.Start.Index, text.Length));
            if (tab >= 0)
            {
                bag.Error(LocationOf(text, tab), DiagnosticCodes.YamlSyntax, "tab character used for indentation; YAML allows only spaces");
            }
            else
            {
                var (at, message) = YamlSyntaxErrors.Explain(text, ex, scanner.CurrentPosition, Innermost(stack));
                bag.Error(at, DiagnosticCodes.YamlSyntax, message);
            }

            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // YamlDotNet reports a few malformed inputs (an unclosed flow collection followed by block content) through
            // these, without a location: where the scanner stopped and the brackets before it say what is wrong.
            var (at, message) = YamlSyntaxErrors.Explain(text, null, scanner.CurrentPosition, Innermost(stack));
            bag.Error(at, DiagnosticCodes.YamlSyntax, message);
            return null;
        }
    }

    private static YamlSyntaxErrors.OpenBlock? Innermost(Stack<Frame> stack) =>
        stack.Count == 0 ? null : new YamlSyntaxErrors.OpenBlock(stack.Peek().Location, stack.Peek().IsMapping);

    private static YNode? ReadEvents(Parser parser, DiagnosticBag bag, Stack<Frame> stack)
    {
        YNode? root = null;
        var documents = 0;
        while (parser.MoveNext())
        {
            var ev = parser.Current!;
            switch (ev)
            {
                case StreamStart or StreamEnd or DocumentEnd:
                    break;
                case DocumentStart:
                    documents++;
                    if (documents > 1)
                    {
                        bag.Error(ToLocation(ev.Start), DiagnosticCodes.MultipleDocuments,
                            "a definition file holds exactly one YAML document; remove the second '---' and what follows it");
                        return root;
                    }

                    break;
                case AnchorAlias alias:
                    bag.Error(ToLocation(alias.Start), DiagnosticCodes.AliasOrTag,
                        $"aliases (*{alias.Value}) are not allowed in definitions; write the value out");
                    return null;
                case Scalar s:
                    if (!CheckProperties(s, bag))
                    {
                        return null;
                    }

                    var quoted = s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
                    if (!Add(stack, new YScalar(ToLocation(s.Start), s.Value, quoted), ref root, bag))
                    {
                        return null;
                    }

                    break;
                case MappingStart m:
                    if (!CheckProperties(m, bag) || !Push(stack, new Frame(ToLocation(m.Start), isMapping: true), bag))
                    {
                        return null;
                    }

                    break;
                case SequenceStart q:
                    if (!CheckProperties(q, bag) || !Push(stack, new Frame(ToLocation(q.Start), isMapping: false), bag))
                    {
                        return null;
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    var done = stack.Pop();
                    YNode node = done.IsMapping
                        ? new YMapping(done.Location, done.Entries!)
                        : new YSequence(done.Location, done.Items!);
                    if (!Add(stack, node, ref root, bag))
                    {
                        return null;
                    }

                    break;
                default:
                    break;
            }
        }

        if (documents == 0 || root is null)
        {
            bag.Error(new SourceLocation(1, 1), DiagnosticCodes.EmptyFile, "file is empty: it holds no YAML document");
        }

        return root;
    }

    private static bool CheckProperties(NodeEvent ev, DiagnosticBag bag)
    {
        if (!ev.Anchor.IsEmpty)
        {
            bag.Error(ToLocation(ev.Start), DiagnosticCodes.AliasOrTag,
                $"anchors (&{ev.Anchor}) are not allowed in definitions; write every value out");
            return false;
        }

        if (!ev.Tag.IsEmpty && !ev.Tag.IsNonSpecific)
        {
            bag.Error(ToLocation(ev.Start), DiagnosticCodes.AliasOrTag,
                $"tags ({ev.Tag}) are not allowed in definitions; remove it");
            return false;
        }

        return true;
    }

    private static bool Push(Stack<Frame> stack, Frame frame, DiagnosticBag bag)
    {
        if (stack.Count >= MaxDepth)
        {
            bag.Error(frame.Location, DiagnosticCodes.TooDeep, $"nesting deeper than {MaxDepth} levels; a definition needs far fewer");
            return false;
        }

        stack.Push(frame);
        return true;
    }

    private static bool Add(Stack<Frame> stack, YNode node, ref YNode? root, DiagnosticBag bag)
    {
        if (stack.Count == 0)
        {
            root = node;
            return true;
        }

        var top = stack.Peek();
        if (!top.IsMapping)
        {
            top.Items!.Add(node);
            return true;
        }

        if (top.PendingKey is null)
        {
            if (node is not YScalar key)
            {
                bag.Error(node.Location, DiagnosticCodes.WrongType, "a key must be plain text, not a list or mapping");
                return false;
            }

            top.PendingKey = key;
            return true;
        }

        var k = top.PendingKey;
        top.PendingKey = null;
        if (top.Keys!.Add(k.Value))
        {
            top.Entries!.Add(new YEntry(k, node));
        }
        else
        {
            bag.Error(k.Location, DiagnosticCodes.DuplicateKey, $"duplicate key '{k.Value}'; the first one is kept, remove one of them");
        }

        return true;
    }

    /// <summary>
    /// Index of a tab in the indentation of the line of <paramref name="index"/> or of the next two
    /// lines (YamlDotNet reports tab problems at the end of the previous token); -1 if none.
    /// </summary>
    private static int TabIndentNear(string text, int index)
    {
        var start = index >= text.Length ? text.LastIndexOf('\n') + 1 : text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        if (index > 0 && index <= text.Length && text[index - 1] == '\n')
        {
            start = index;
        }

        for (var line = 0; line < 3 && start < text.Length; line++)
        {
            for (var i = start; i < text.Length && text[i] is ' ' or '\t'; i++)
            {
                if (text[i] == '\t')
                {
                    return i;
                }
            }

            var nl = text.IndexOf('\n', start);
            if (nl < 0)
            {
                break;
            }

            start = nl + 1;
        }

        return -1;
    }

    internal static SourceLocation ToLocation(Mark mark) =>
        new((int)Math.Clamp(mark.Line, 1, int.MaxValue), (int)Math.Clamp(mark.Column, 1, int.MaxValue));

    private static SourceLocation LocationOf(string text, int index)
    {
        var line = 1;
        var lastNl = -1;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lastNl = i;
            }
        }

        return new SourceLocation(line, index - lastNl);
    }

    private sealed class Frame(SourceLocation location, bool isMapping)
    {
        public SourceLocation Location { get; } = location;

        public bool IsMapping { get; } = isMapping;

        public List<YEntry>? Entries { get; } = isMapping ? [] : null;

        public HashSet<string>? Keys { get; } = isMapping ? new HashSet<string>(StringComparer.Ordinal) : null;

        public List<YNode>? Items { get; } = isMapping ? null : [];

        public YScalar? PendingKey { get; set; }
    }
}
