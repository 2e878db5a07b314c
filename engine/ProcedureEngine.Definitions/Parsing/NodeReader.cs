using System.Collections.Immutable;
using System.Globalization;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;

namespace ProcedureEngine.Definitions.Parsing;

/// <summary>
/// Typed access to the YAML tree of one file. Every accessor reports a problem (wrong type,
/// unknown key, missing key, bad value) at the node where it is and returns null, so reading
/// goes on and every problem of the file is found in one run.
/// </summary>
internal sealed class NodeReader(DiagnosticBag bag)
{
    public DiagnosticBag Bag { get; } = bag;

    public YMapping? Mapping(YNode? node, string what) => Node<YMapping>(node, what, "a mapping (key: value)");

    /// <summary>A mapping whose keys must all be among <paramref name="allowed"/> (see <see cref="OnlyKeys"/>).</summary>
    public YMapping? Mapping(YNode? node, string what, IReadOnlyCollection<string> allowed)
    {
        var map = Mapping(node, what);
        if (map is not null)
        {
            OnlyKeys(map, what, allowed);
        }

        return map;
    }

    public YSequence? Sequence(YNode? node, string what) => Node<YSequence>(node, what, "a list");

    /// <summary>The node as a <typeparamref name="T"/>, or an error "{what} must be {expected}, not {what was found}". Null when absent.</summary>
    private T? Node<T>(YNode? node, string what, string expected)
        where T : YNode
    {
        switch (node)
        {
            case null:
                return null;
            case T t:
                return t;
            default:
                Bag.Error(node.Location, DiagnosticCodes.WrongType, $"{what} must be {expected}, not {node.Describe()}");
                return null;
        }
    }

    /// <summary>Reports every key of <paramref name="map"/> not in <paramref name="allowed"/>, suggesting the nearest one.</summary>
    public void OnlyKeys(YMapping map, string what, IReadOnlyCollection<string> allowed)
    {
        foreach (var e in map.Entries)
        {
            if (!allowed.Contains(e.Key.Value))
            {
                var hint = Nearest(e.Key.Value, allowed);
                Bag.Error(e.Key.Location, DiagnosticCodes.UnknownKey,
                    $"unknown key '{e.Key.Value}' in {what}" + (hint is null ? $"; allowed keys: {string.Join(", ", allowed)}" : $"; did you mean '{hint}'?"));
            }
        }
    }

    public YNode? Required(YMapping? map, string key, string what)
    {
        if (map is null)
        {
            return null;
        }

        var node = map.Get(key);
        if (node is null)
        {
            Bag.Error(map.Location, DiagnosticCodes.MissingKey, $"{what} has no '{key}'; it is required");
        }

        return node;
    }

    public string? Text(YNode? node, string what, bool allowEmpty = false)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YScalar s || s.Kind is not ScalarKind.String)
        {
            var hint = node is YScalar { Kind: ScalarKind.Integer or ScalarKind.Float or ScalarKind.Bool }
                ? "; put it in quotes if it is meant as text"
                : string.Empty;
            Bag.Error(node.Location, DiagnosticCodes.WrongType, $"{what} must be text, not {node.Describe()}{hint}");
            return null;
        }

        if (!allowEmpty && string.IsNullOrWhiteSpace(s.Value))
        {
            Bag.Error(node.Location, DiagnosticCodes.Empty, $"{what} must not be empty");
            return null;
        }

        return s.Value;
    }

    /// <summary>Any scalar (text, number, boolean) as its text, for values compared by an input's type.</summary>
    public string? ScalarText(YNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YScalar s || s.Kind is ScalarKind.Null)
        {
            Bag.Error(node.Location, DiagnosticCodes.WrongType, $"{what} must be a single value, not {node.Describe()}");
            return null;
        }

        return s.Value;
    }

    public int? Integer(YNode? node, string what) => Scalar<int>(node, what, DiagnosticCodes.WrongType, "a whole number", static s =>
        s.Kind == ScalarKind.Integer && int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null);

    public decimal? Number(YNode? node, string what) => Scalar<decimal>(node, what, DiagnosticCodes.WrongType, "a number", static s =>
        s.Kind is ScalarKind.Integer or ScalarKind.Float && decimal.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null);

    public bool? Bool(YNode? node, string what) => Scalar<bool>(node, what, DiagnosticCodes.WrongType, "true or false", static s =>
        s.Kind == ScalarKind.Bool ? s.Value.Equals("true", StringComparison.OrdinalIgnoreCase) : null);

    public DateOnly? Date(YNode? node, string what) => Scalar<DateOnly>(node, what, DiagnosticCodes.InvalidDate, "a date written YYYY-MM-DD", static s =>
        s.Kind == ScalarKind.String && DateOnly.TryParseExact(s.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null);

    /// <summary>
    /// A scalar as <paramref name="read"/> reads it (null when it is not one); anything else is an error
    /// "{what} must be {expected}, not {what was found}". Null when the node is absent.
    /// </summary>
    private T? Scalar<T>(YNode? node, string what, string code, string expected, Func<YScalar, T?> read)
        where T : struct
    {
        if (node is null)
        {
            return null;
        }

        if (node is YScalar s && read(s) is { } value)
        {
            return value;
        }

        Bag.Error(node.Location, code, $"{what} must be {expected}, not {node.Describe()}");
        return null;
    }

    public Duration? Duration(YNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YScalar { Kind: ScalarKind.String } s)
        {
            Bag.Error(node.Location, DiagnosticCodes.InvalidDuration,
                $"{what} must be a duration such as '15 working days', '4 working hours' or '20 days', not {node.Describe()}");
            return null;
        }

        if (!Calendar.Duration.TryParse(s.Value, out var d, out var error))
        {
            Bag.Error(node.Location, DiagnosticCodes.InvalidDuration, $"{what}: {error}");
            return null;
        }

        return d;
    }

    public ImmutableArray<string> TextList(YNode? node, string what)
    {
        var seq = Sequence(node, what);
        if (seq is null)
        {
            return [];
        }

        var b = ImmutableArray.CreateBuilder<string>(seq.Items.Count);
        foreach (var item in seq.Items)
        {
            var t = Text(item, $"each entry of {what}");
            if (t is not null)
            {
                b.Add(t);
            }
        }

        return b.ToImmutable();
    }

    public T? Enum<T>(YNode? node, string what, IReadOnlyDictionary<string, T> values)
        where T : struct
    {
        var t = Text(node, what);
        if (t is null)
        {
            return null;
        }

        if (values.TryGetValue(t, out var v))
        {
            return v;
        }

        Bag.Error(node!.Location, DiagnosticCodes.InvalidValue, $"{what} '{t}' is not one of: {string.Join(", ", values.Keys)}");
        return null;
    }

    /// <summary>"; did you mean 'x'?" naming the candidate closest to a misspelt word (see <see cref="Nearest"/>), or nothing when none is close.</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates) =>
        Nearest(word, candidates) is { } hint ? $"; did you mean '{hint}'?" : string.Empty;

    /// <summary>The allowed key closest to a misspelt one (edit distance at most 2, or a case-only difference).</summary>
    public static string? Nearest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            if (string.Equals(c, word, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }

            var d = Levenshtein(word, c);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }

        return bestDistance <= Math.Max(1, Math.Min(2, word.Length / 3)) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue;
        }

        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
