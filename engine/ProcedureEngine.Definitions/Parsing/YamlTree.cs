using ProcedureEngine.Definitions.Model;

namespace ProcedureEngine.Definitions.Parsing;

/// <summary>
/// A YAML node as read from a definition file, with the line and column where it starts.
/// This is a deliberately small tree (no anchors, no tags): definitions are plain data.
/// </summary>
internal abstract class YNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>What kind of value this is, in words an administrator reads in a message.</summary>
    public abstract string Describe();
}

/// <summary>The type a scalar resolves to under the YAML 1.2 core schema (plain scalars only; quoted ones are strings).</summary>
internal enum ScalarKind
{
    String,
    Null,
    Bool,
    Integer,
    Float,
}

internal sealed class YScalar(SourceLocation location, string value, bool quoted) : YNode(location)
{
    public string Value { get; } = value;

    public bool Quoted { get; } = quoted;

    public ScalarKind Kind { get; } = quoted ? ScalarKind.String : CoreSchema.Resolve(value);

    public override string Describe() => Kind switch
    {
        ScalarKind.Null => "an empty value",
        ScalarKind.Bool => $"the boolean {Value}",
        ScalarKind.Integer or ScalarKind.Float => $"the number {Value}",
        _ => $"the text '{Truncate(Value)}'",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 37), "...");
}

internal sealed class YSequence(SourceLocation location, IReadOnlyList<YNode> items) : YNode(location)
{
    public IReadOnlyList<YNode> Items { get; } = items;

    public override string Describe() => "a list";
}

internal readonly record struct YEntry(YScalar Key, YNode Value);

internal sealed class YMapping(SourceLocation location, IReadOnlyList<YEntry> entries) : YNode(location)
{
    public IReadOnlyList<YEntry> Entries { get; } = entries;

    public YNode? Get(string key)
    {
        foreach (var e in Entries)
        {
            if (e.Key.Value == key)
            {
                return e.Value;
            }
        }

        return null;
    }

    public YScalar? GetKey(string key)
    {
        foreach (var e in Entries)
        {
            if (e.Key.Value == key)
            {
                return e.Key;
            }
        }

        return null;
    }

    public override string Describe() => "a mapping";
}

/// <summary>YAML 1.2 core schema resolution of plain scalars (the same rules editors and JSON Schema tools use).</summary>
internal static class CoreSchema
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static ScalarKind Resolve(string v)
    {
        if (v.Length == 0)
        {
            return ScalarKind.Null;
        }

        switch (v)
        {
            case "~" or "null" or "Null" or "NULL":
                return ScalarKind.Null;
            case "true" or "True" or "TRUE" or "false" or "False" or "FALSE":
                return ScalarKind.Bool;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN":
                return ScalarKind.Float;
            default:
                break;
        }

        var c = v[0];
        if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.'))
        {
            return ScalarKind.String;
        }

        if (IsInteger(v))
        {
            return ScalarKind.Integer;
        }

        return IsFloat(v) ? ScalarKind.Float : ScalarKind.String;
    }

    private static bool IsInteger(string v)
    {
        if (v.StartsWith("0x", StringComparison.Ordinal))
        {
            return v.Length > 2 && !v.AsSpan(2).ContainsAnyExcept(HexDigits);
        }

        if (v.StartsWith("0o", StringComparison.Ordinal))
        {
            return v.Length > 2 && !v.AsSpan(2).ContainsAnyExceptInRange('0', '7');
        }

        var s = v.AsSpan();
        if (s[0] is '-' or '+')
        {
            s = s[1..];
        }

        return s.Length > 0 && !s.ContainsAnyExceptInRange('0', '9');
    }

    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    private static bool IsFloat(string v)
    {
        var s = v.AsSpan();
        var i = 0;
        if (s[i] is '-' or '+')
        {
            i++;
        }

        var intDigits = CountDigits(s, ref i);
        var fracDigits = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            fracDigits = CountDigits(s, ref i);
        }

        if (intDigits == 0 && fracDigits == 0)
        {
            return false;
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '-' or '+')
            {
                i++;
            }

            if (CountDigits(s, ref i) == 0)
            {
                return false;
            }
        }

        return i == s.Length;
    }

    private static int CountDigits(ReadOnlySpan<char> s, ref int i)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i - start;
    }
}
