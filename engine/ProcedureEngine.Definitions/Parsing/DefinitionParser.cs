using System.Collections.Frozen;
using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Definitions.Validation;

namespace ProcedureEngine.Definitions.Parsing;

/// <summary>
/// Reads procedure definitions and local overlays from YAML text (pure: no file access).
/// Reports every problem of the file, each with its line and column; never throws on bad input.
/// </summary>
public static class DefinitionParser
{
    internal static readonly FrozenSet<string> TopKeys = FrozenSet.ToFrozenSet(
    [
        "code", "version", "name", "field", "level", "effective", "legalBasis", "timeLimit", "timeLimitCases", "fee",
        "calendar", "agencies", "inputs", "documents", "steps", "results",
    ]);

    internal static readonly FrozenSet<string> EffectiveKeys = FrozenSet.ToFrozenSet(["from", "until"]);
    internal static readonly FrozenSet<string> FeeKeys = FrozenSet.ToFrozenSet(["amount", "currency", "note"]);
    internal static readonly FrozenSet<string> AgencyKeys = FrozenSet.ToFrozenSet(["id", "name", "oneStop", "code"]);
    internal static readonly FrozenSet<string> InputKeys = FrozenSet.ToFrozenSet(["id", "type", "values", "name"]);
    internal static readonly FrozenSet<string> DocumentKeys = FrozenSet.ToFrozenSet(["id", "name", "copies", "original", "form", "note", "when"]);
    internal static readonly FrozenSet<string> StepKeys = FrozenSet.ToFrozenSet(["id", "name", "agency", "after", "duration", "outcomes", "when", "documents"]);
    internal static readonly FrozenSet<string> OverlayKeys = FrozenSet.ToFrozenSet(["overlay", "jurisdiction", "effective", "timeLimit", "timeLimitCases", "steps"]);
    internal static readonly FrozenSet<string> TimeLimitCaseKeys = FrozenSet.ToFrozenSet(["id", "when", "timeLimit", "basis"]);
    internal static readonly FrozenSet<string> OverlayCaseKeys = FrozenSet.ToFrozenSet(["timeLimit"]);
    internal static readonly FrozenSet<string> OverlayStepKeys = FrozenSet.ToFrozenSet(["duration"]);

    private static readonly FrozenDictionary<string, ProcedureLevel> Levels = new Dictionary<string, ProcedureLevel>
    {
        ["ministry"] = ProcedureLevel.Ministry,
        ["province"] = ProcedureLevel.Province,
        ["district"] = ProcedureLevel.District,
        ["commune"] = ProcedureLevel.Commune,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, InputType> InputTypes = new Dictionary<string, InputType>
    {
        ["bool"] = InputType.Bool,
        ["enum"] = InputType.Enum,
        ["number"] = InputType.Number,
        ["string"] = InputType.String,
        ["date"] = InputType.Date,
    }.ToFrozenDictionary();

    /// <summary>
    /// Parses one procedure definition and applies every per-file rule (shape, types, DAG,
    /// conditions, documents, durations, longest path). The value is returned whenever the
    /// required keys could be read, even if other rules failed: check <see cref="ParseResult{T}.HasErrors"/>.
    /// </summary>
    public static ParseResult<ProcedureDefinition> ParseDefinition(string text, string path) => Parse(text, path, ReadDefinition);

    /// <summary>Parses one local overlay (a file whose first key is <c>overlay:</c>), with its per-file rules.</summary>
    public static ParseResult<LocalOverlay> ParseOverlay(string text, string path) => Parse(text, path, ReadOverlay);

    /// <summary>The YAML tree of <paramref name="text"/> read by <paramref name="read"/>, with every diagnostic of both.</summary>
    private static ParseResult<T> Parse<T>(string text, string path, Func<YNode, DiagnosticBag, T?> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(text);
        var bag = new DiagnosticBag(path);
        var root = YamlTreeReader.Read(text, bag);
        var value = root is null ? null : read(root, bag);
        return new ParseResult<T>(value, bag.Sorted());
    }

    internal static bool IsOverlay(YNode root) => root is YMapping m && m.Get("overlay") is not null;

    internal static ProcedureDefinition? ReadDefinition(YNode root, DiagnosticBag bag)
    {
        var r = new NodeReader(bag);
        if (root is not YMapping map)
        {
            NotAMapping(root, bag, "a procedure definition", "code: \"1.009792\"");
            return null;
        }

        if (map.Get("overlay") is not null)
        {
            bag.Error(map.GetKey("overlay")!.Location, DiagnosticCodes.UnknownKey,
                "this file is a local overlay ('overlay:' key), not a procedure definition");
            return null;
        }

        r.OnlyKeys(map, "the definition", TopKeys);
        var complete = true;

        var code = r.Text(r.Required(map, "code", "the definition"), "code");
        var version = r.Integer(r.Required(map, "version", "the definition"), "version");
        var name = r.Text(r.Required(map, "name", "the definition"), "name");
        var field = r.Text(r.Required(map, "field", "the definition"), "field");
        var level = r.Enum(r.Required(map, "level", "the definition"), "level", Levels);
        var effective = ReadEffective(r, r.Required(map, "effective", "the definition"));
        var legalNode = r.Required(map, "legalBasis", "the definition");
        var legal = r.TextList(legalNode, "legalBasis");
        var timeLimit = r.Duration(r.Required(map, "timeLimit", "the definition"), "timeLimit");
        var cases = ReadList(r, map.Get("timeLimitCases"), "timeLimitCases", "case", ReadTimeLimitCase);
        var fee = ReadFee(r, map.Get("fee"));
        var calendar = map.Get("calendar") is { } calNode ? r.Text(calNode, "calendar") : "vn";
        var agencies = ReadList(r, map.Get("agencies"), "agencies", "agency", ReadAgency);
        var inputs = ReadList(r, map.Get("inputs"), "inputs", "input", ReadInput);
        var documents = ReadList(r, map.Get("documents"), "documents", "document", ReadDocument);
        var steps = ReadSteps(r, r.Required(map, "steps", "the definition"));
        var results = map.Get("results") is { } resNode ? r.TextList(resNode, "results") : [];

        complete &= code is not null && version is not null && name is not null && field is not null &&
                    level is not null && effective is not null && timeLimit is not null;

        var definition = new ProcedureDefinition
        {
            Code = code ?? string.Empty,
            Version = version ?? 0,
            Name = name ?? string.Empty,
            Field = field ?? string.Empty,
            Level = level ?? ProcedureLevel.Province,
            Effective = effective ?? new EffectivePeriod(DateOnly.MinValue, null),
            LegalBasis = legal,
            TimeLimit = timeLimit ?? default,
            TimeLimitCases = cases,
            Fee = fee,
            Calendar = calendar ?? "vn",
            Agencies = agencies,
            Inputs = inputs,
            Documents = documents,
            Steps = steps,
            Results = results,
            SourcePath = bag.Path,
            Location = map.Location,
        };

        DefinitionRules.Check(definition, new SourceMap(map), bag, checkLongestPath: timeLimit is not null);
        return complete ? definition : null;
    }

    internal static LocalOverlay? ReadOverlay(YNode root, DiagnosticBag bag)
    {
        var r = new NodeReader(bag);
        if (root is not YMapping map)
        {
            NotAMapping(root, bag, "a local overlay", "overlay: \"1.009792\"");
            return null;
        }

        r.OnlyKeys(map, "the overlay", OverlayKeys);
        var code = r.Text(r.Required(map, "overlay", "the overlay"), "overlay (the procedure code)");
        var jurisdiction = r.Text(r.Required(map, "jurisdiction", "the overlay"), "jurisdiction");
        var effective = ReadEffective(r, r.Required(map, "effective", "the overlay"));
        var timeLimit = map.Get("timeLimit") is { } tl ? r.Duration(tl, "timeLimit") : null;
        var steps = ReadOverlayDurations(r, map, "steps", "step", "duration", OverlayStepKeys);
        var cases = ReadOverlayDurations(r, map, "timeLimitCases", "case", "timeLimit", OverlayCaseKeys);

        if (map.Get("timeLimit") is null && map.Get("steps") is null && map.Get("timeLimitCases") is null)
        {
            bag.Error(map.Location, DiagnosticCodes.Empty, "the overlay shortens nothing: give 'timeLimit', 'timeLimitCases' or 'steps'");
        }

        if (effective is not null && effective.Until is { } until && until < effective.From)
        {
            bag.Error(new SourceMap(map).Of("effective", "until"), DiagnosticCodes.EffectiveRange,
                $"effective.until {until:yyyy-MM-dd} is before effective.from {effective.From:yyyy-MM-dd}");
        }

        if (code is null || jurisdiction is null || effective is null)
        {
            return null;
        }

        return new LocalOverlay
        {
            ProcedureCode = code,
            Jurisdiction = jurisdiction,
            Effective = effective,
            TimeLimit = timeLimit,
            CaseLimits = cases,
            StepDurations = steps,
            SourcePath = bag.Path,
            Location = map.Location,
        };
    }

    /// <summary>
    /// The durations an overlay shortens, by id: under <paramref name="key"/>, each <paramref name="item"/>'s id maps to
    /// <c>{ <paramref name="field"/>: duration }</c> (steps' durations, time limit cases' limits).
    /// </summary>
    private static ImmutableDictionary<string, Duration> ReadOverlayDurations(
        NodeReader r, YMapping map, string key, string item, string field, FrozenSet<string> keys)
    {
        var durations = ImmutableDictionary.CreateBuilder<string, Duration>(StringComparer.Ordinal);
        foreach (var e in r.Mapping(map.Get(key), $"{key} ({item} id: {{ {field}: ... }})")?.Entries ?? [])
        {
            var what = $"{item} '{e.Key.Value}'";
            if (r.Mapping(e.Value, what, keys) is { } entry &&
                r.Duration(r.Required(entry, field, what), $"{field} of {what}") is { } d)
            {
                durations[e.Key.Value] = d;
            }
        }

        return durations.ToImmutable();
    }

    private static void NotAMapping(YNode root, DiagnosticBag bag, string what, string example)
    {
        if (root is YScalar { Kind: ScalarKind.Null })
        {
            bag.Error(root.Location, DiagnosticCodes.EmptyFile, "file holds no definition: it is empty");
        }
        else
        {
            bag.Error(root.Location, DiagnosticCodes.NotAMapping,
                $"{what} is a mapping of keys to values (starting e.g. with {example}), but this file holds {root.Describe()}");
        }
    }

    private static EffectivePeriod? ReadEffective(NodeReader r, YNode? node)
    {
        var m = r.Mapping(node, "effective", EffectiveKeys);
        if (m is null)
        {
            return null;
        }

        var from = r.Date(r.Required(m, "from", "effective"), "effective.from");
        var until = m.Get("until") is { } u && u is not YScalar { Kind: ScalarKind.Null } ? r.Date(u, "effective.until") : null;
        return from is null ? null : new EffectivePeriod(from.Value, until) { Location = m.Location };
    }

    private static Fee? ReadFee(NodeReader r, YNode? node)
    {
        var m = r.Mapping(node, "fee", FeeKeys);
        if (m is null)
        {
            return null;
        }

        var amount = r.Number(r.Required(m, "amount", "fee"), "fee.amount");
        var currency = m.Get("currency") is { } c ? r.Text(c, "fee.currency") : "VND";
        var note = m.Get("note") is { } n ? r.Text(n, "fee.note") : null;
        return amount is null ? null : new Fee(amount.Value, currency ?? "VND", note) { Location = m.Location };
    }

    private static ImmutableArray<T> ReadList<T>(NodeReader r, YNode? node, string what, string itemWhat, Func<NodeReader, YMapping, T?> read)
        where T : class
    {
        var seq = r.Sequence(node, what);
        if (seq is null)
        {
            return [];
        }

        var b = ImmutableArray.CreateBuilder<T>(seq.Items.Count);
        foreach (var item in seq.Items)
        {
            var m = r.Mapping(item, $"each {itemWhat} in {what}");
            if (m is not null && read(r, m) is { } value)
            {
                b.Add(value);
            }
        }

        return b.ToImmutable();
    }

    private static AgencyDecl? ReadAgency(NodeReader r, YMapping m)
    {
        r.OnlyKeys(m, "an agency", AgencyKeys);
        var id = r.Text(r.Required(m, "id", "an agency"), "agency id");
        var name = r.Text(r.Required(m, "name", "an agency"), "agency name");
        var oneStop = m.Get("oneStop") is { } o ? r.Bool(o, "oneStop") : false;
        var code = m.Get("code") is { } c ? r.Text(c, "agency code") : null;
        return id is null ? null : new AgencyDecl(id, name ?? string.Empty, oneStop ?? false) { Code = code, Location = m.Location };
    }

    private static InputDecl? ReadInput(NodeReader r, YMapping m)
    {
        r.OnlyKeys(m, "an input", InputKeys);
        var id = r.Text(r.Required(m, "id", "an input"), "input id");
        var type = r.Enum(r.Required(m, "type", "an input"), "input type", InputTypes);
        var name = m.Get("name") is { } n ? r.Text(n, "input name") : null;
        ImmutableArray<string> values = [];
        if (r.Sequence(m.Get("values"), "values") is { } seq)
        {
            var b = ImmutableArray.CreateBuilder<string>(seq.Items.Count);
            foreach (var item in seq.Items)
            {
                if (r.ScalarText(item, "each entry of values") is { } v)
                {
                    b.Add(v);
                }
            }

            values = b.ToImmutable();
        }

        return id is null || type is null ? null : new InputDecl(id, type.Value) { Values = values, Name = name, Location = m.Location };
    }

    private static TimeLimitCase? ReadTimeLimitCase(NodeReader r, YMapping m)
    {
        r.OnlyKeys(m, "a time limit case", TimeLimitCaseKeys);
        var id = r.Text(r.Required(m, "id", "a time limit case"), "case id");
        var what = id is null ? "a time limit case" : $"case '{id}'";
        var whenNode = r.Required(m, "when", what);
        var when = whenNode is null ? null : ConditionReader.Read(r, whenNode);
        var limit = r.Duration(r.Required(m, "timeLimit", what), $"timeLimit of {what}");
        var basis = m.Get("basis") is { } b ? r.Text(b, $"basis of {what}") : null;
        return id is null || when is null || limit is null ? null : new TimeLimitCase(id, when, limit.Value) { Basis = basis, Location = m.Location };
    }

    private static DocumentDecl? ReadDocument(NodeReader r, YMapping m)
    {
        r.OnlyKeys(m, "a document", DocumentKeys);
        var id = r.Text(r.Required(m, "id", "a document"), "document id");
        var name = r.Text(r.Required(m, "name", "a document"), "document name");
        var copies = m.Get("copies") is { } c ? r.Integer(c, "copies") : 1;
        if (copies is < 1 && m.Get("copies") is { } cn)
        {
            r.Bag.Error(cn.Location, DiagnosticCodes.InvalidValue, $"copies must be at least 1, not {copies}");
        }

        var original = m.Get("original") is { } o ? r.Bool(o, "original") : false;
        var form = m.Get("form") is { } f ? r.Text(f, "form") : null;
        var note = m.Get("note") is { } n ? r.Text(n, "note") : null;
        var when = m.Get("when") is { } w ? ConditionReader.Read(r, w) : null;
        return id is null ? null : new DocumentDecl(id, name ?? string.Empty)
        {
            Copies = copies ?? 1,
            Original = original ?? false,
            Form = form,
            Note = note,
            When = when,
            Location = m.Location,
        };
    }

    private static ImmutableArray<StepDef> ReadSteps(NodeReader r, YNode? node)
    {
        var seq = r.Sequence(node, "steps");
        if (seq is null)
        {
            return [];
        }

        var b = ImmutableArray.CreateBuilder<StepDef>(seq.Items.Count);
        string? previous = null;
        foreach (var item in seq.Items)
        {
            var m = r.Mapping(item, "each step in steps");
            if (m is null)
            {
                continue;
            }

            r.OnlyKeys(m, "a step", StepKeys);
            var id = r.Text(r.Required(m, "id", "a step"), "step id");
            var what = id is null ? "a step" : $"step '{id}'";
            var name = r.Text(r.Required(m, "name", what), $"name of {what}");
            var agency = r.Text(r.Required(m, "agency", what), $"agency of {what}");
            var duration = r.Duration(r.Required(m, "duration", what), $"duration of {what}");
            var afterNode = m.Get("after");
            var after = afterNode is null ? (previous is null ? [] : [previous]) : r.TextList(afterNode, $"after of {what}");
            var outcomes = m.Get("outcomes") is { } o ? r.TextList(o, $"outcomes of {what}") : [Outcomes.Done];
            var when = m.Get("when") is { } w ? ConditionReader.Read(r, w) : null;
            var docs = m.Get("documents") is { } d ? r.TextList(d, $"documents of {what}") : [];
            if (id is not null)
            {
                b.Add(new StepDef(id, name ?? string.Empty, agency ?? string.Empty, duration ?? default)
                {
                    After = after,
                    AfterExplicit = afterNode is not null,
                    Outcomes = outcomes,
                    When = when,
                    Documents = docs,
                    Location = m.Location,
                });
            }

            previous = id ?? previous;
        }

        return b.ToImmutable();
    }
}
