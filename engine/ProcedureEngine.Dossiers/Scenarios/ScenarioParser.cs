using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ProcedureEngine.Dossiers.Scenarios;

/// <summary>
/// Reads a scenario file's text into a <see cref="Scenario"/> (pure: the host reads the file). Every
/// problem is reported with its line and column; unknown keys are errors, like in definitions.
/// Codes: SC001 syntax, SC002 unknown key, SC003 missing key, SC004 bad value.
/// </summary>
public static partial class ScenarioParser
{
    private static readonly string[] TopKeys = ["definition", "jurisdiction", "calendar", "rules", "dossier", "actions"];
    private static readonly string[] DossierKeys = ["id", "applicant", "inputs", "documents", "channel", "sequence"];
    private static readonly string[] ApplicantKeys = ["name", "kind", "phone", "address", "email"];
    private static readonly string[] ActionKeys = ["at", "do", "by", "step", "outcome", "documents", "reason", "note", "score", "agency", "newAppointment", "daysOff", "workingDays", "calendar", "decision"];

    public static ParseResult<Scenario> Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var diagnostics = new List<Diagnostic>();
        var reader = new Reader(path, diagnostics);
        YamlMappingNode? root = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;
            if (root is null)
            {
                reader.Error(SourceLocation.None with { Line = 1, Column = 1 }, "SC001", "a scenario is a YAML mapping with definition, dossier and actions");
            }
        }
        catch (YamlException ex)
        {
            reader.Error(new SourceLocation((int)ex.Start.Line, (int)ex.Start.Column), "SC001", $"YAML syntax: {ex.Message}");
        }

        if (root is null)
        {
            return new ParseResult<Scenario>(null, diagnostics);
        }

        reader.CheckKeys(root, TopKeys, "scenario");
        string? definitionPath = null, definitionCode = null;
        var definitionNode = reader.Get(root, "definition");
        switch (definitionNode)
        {
            case null:
                reader.Error(Loc(root), "SC003", "missing 'definition' (a path, or {code: ...})");
                break;
            case YamlScalarNode s:
                definitionPath = s.Value;
                break;
            case YamlMappingNode m:
                reader.CheckKeys(m, ["code"], "definition");
                definitionCode = reader.Scalar(m, "code", required: true);
                break;
            default:
                reader.Error(Loc(definitionNode), "SC004", "'definition' must be a path or {code: ...}");
                break;
        }

        var rules = reader.Scalar(root, "rules");
        if (rules is not null && RuleSets.Find(rules) is null)
        {
            reader.Error(Loc(reader.Get(root, "rules")!), "SC004", $"unknown rule set '{rules}'; expected {RuleSets.KnownIds}");
        }

        var dossier = ReadDossier(reader, root);
        var actions = ImmutableArray.CreateBuilder<ScenarioAction>();
        switch (reader.Get(root, "actions"))
        {
            case null:
                reader.Error(Loc(root), "SC003", "missing 'actions'");
                break;
            case YamlSequenceNode seq:
                foreach (var node in seq.Children)
                {
                    if (ReadAction(reader, node, actions.Count + 1) is { } action)
                    {
                        actions.Add(action);
                    }
                }

                break;
            case var other:
                reader.Error(Loc(other), "SC004", "'actions' must be a list");
                break;
        }

        var scenario = dossier is null
            ? null
            : new Scenario
            {
                Path = path,
                DefinitionPath = definitionPath,
                DefinitionCode = definitionCode,
                DefinitionLocation = definitionNode is null ? default : Loc(definitionNode),
                Jurisdiction = reader.Scalar(root, "jurisdiction"),
                CalendarPath = reader.Scalar(root, "calendar"),
                CalendarLocation = reader.Get(root, "calendar") is { } c ? Loc(c) : default,
                Rules = rules,
                Dossier = dossier,
                Actions = actions.ToImmutable(),
            };
        return new ParseResult<Scenario>(scenario, [.. diagnostics.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column)]);
    }

    private static ScenarioDossier? ReadDossier(Reader reader, YamlMappingNode root)
    {
        if (reader.Get(root, "dossier") is not YamlMappingNode m)
        {
            reader.Error(reader.Get(root, "dossier") is { } n ? Loc(n) : Loc(root), "SC003", "missing 'dossier' mapping (applicant, inputs, documents)");
            return null;
        }

        reader.CheckKeys(m, DossierKeys, "dossier");
        Applicant? applicant = null;
        if (reader.Get(m, "applicant") is YamlMappingNode a)
        {
            reader.CheckKeys(a, ApplicantKeys, "applicant");
            applicant = new Applicant(reader.Scalar(a, "name", required: true) ?? "")
            {
                Kind = reader.Scalar(a, "kind"),
                Phone = reader.Scalar(a, "phone"),
                Address = reader.Scalar(a, "address"),
                Email = reader.Scalar(a, "email"),
            };
        }
        else
        {
            reader.Error(Loc(m), "SC003", "missing 'dossier.applicant' ({name: ...})");
        }

        var inputs = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        switch (reader.Get(m, "inputs"))
        {
            case null:
                break;
            case YamlMappingNode im:
                foreach (var (k, v) in im.Children)
                {
                    if (v is YamlScalarNode sv && k is YamlScalarNode sk)
                    {
                        inputs[sk.Value ?? ""] = sv.Value ?? "";
                    }
                    else
                    {
                        reader.Error(Loc(v), "SC004", "input values must be scalars");
                    }
                }

                break;
            case var other:
                reader.Error(Loc(other), "SC004", "'inputs' must be a mapping of input id to value");
                break;
        }

        var channelText = reader.Scalar(m, "channel");
        var channel = Channel.Counter;
        if (channelText is not null && !Enum.TryParse(channelText, ignoreCase: true, out channel))
        {
            reader.Error(Loc(reader.Get(m, "channel")!), "SC004", $"unknown channel '{channelText}'; expected counter, post or online");
        }

        var sequence = 1;
        if (reader.Scalar(m, "sequence") is { } seqText && (!int.TryParse(seqText, CultureInfo.InvariantCulture, out sequence) || sequence is < 1 or > 9999))
        {
            reader.Error(Loc(reader.Get(m, "sequence")!), "SC004", "'sequence' must be a whole number 1..9999");
            sequence = 1;
        }

        return applicant is null
            ? null
            : new ScenarioDossier
            {
                Id = reader.Scalar(m, "id"),
                Applicant = applicant,
                Inputs = inputs.ToImmutable(),
                Documents = reader.List(m, "documents") ?? [],
                Channel = channel,
                Sequence = sequence,
            };
    }

    private static ScenarioAction? ReadAction(Reader reader, YamlNode node, int index)
    {
        if (node is not YamlMappingNode m)
        {
            reader.Error(Loc(node), "SC004", "an action is a mapping like {at: 2026-04-24T09:00, do: receive}");
            return null;
        }

        reader.CheckKeys(m, ActionKeys, "action");
        var doText = reader.Scalar(m, "do", required: true);
        if (doText is not null && !ScenarioActions.All.Contains(doText))
        {
            reader.Error(Loc(reader.Get(m, "do")!), "SC004", $"unknown action '{doText}'; expected one of {string.Join(", ", ScenarioActions.All)}");
            doText = null;
        }

        var atText = reader.Scalar(m, "at", required: true);
        (DateTime At, TimeSpan? Offset)? at = null;
        if (atText is not null)
        {
            at = ParseTime(atText);
            if (at is null)
            {
                reader.Error(Loc(reader.Get(m, "at")!), "SC004", $"'{atText}' is not a time; expected e.g. 2026-04-24T09:00 (calendar zone) or 2026-04-24T09:00+07:00");
            }
        }

        Actor? by = null;
        switch (reader.Get(m, "by"))
        {
            case null:
                break;
            case YamlMappingNode bm:
                reader.CheckKeys(bm, ["user", "agency"], "by");
                var user = reader.Scalar(bm, "user", required: true);
                var agency = reader.Scalar(bm, "agency", required: true);
                if (user is not null && agency is not null)
                {
                    by = new Actor(user, agency);
                }

                break;
            case var other:
                reader.Error(Loc(other), "SC004", "'by' must be {user: ..., agency: ...}");
                break;
        }

        int? score = null;
        if (reader.Scalar(m, "score") is { } scoreText)
        {
            if (int.TryParse(scoreText, CultureInfo.InvariantCulture, out var sc))
            {
                score = sc;
            }
            else
            {
                reader.Error(Loc(reader.Get(m, "score")!), "SC004", $"'score' must be a whole number (got '{scoreText}')");
            }
        }

        (DateTime At, TimeSpan? Offset)? newAppointment = null;
        if (reader.Scalar(m, "newAppointment") is { } naText && (newAppointment = ParseTime(naText)) is null)
        {
            reader.Error(Loc(reader.Get(m, "newAppointment")!), "SC004", $"'{naText}' is not a time");
        }

        var step = reader.Scalar(m, "step");
        if (doText is ScenarioActions.Complete or ScenarioActions.RequestSupplement && step is null)
        {
            reader.Error(Loc(m), "SC003", $"action '{doText}' needs 'step'");
        }

        if (doText == ScenarioActions.Evaluate && score is null)
        {
            reader.Error(Loc(m), "SC003", "action 'evaluate' needs 'score' (1..5)");
        }

        var daysOff = Dates(reader, m, "daysOff");
        var workingDays = Dates(reader, m, "workingDays");
        var calendarFile = reader.Scalar(m, "calendar");
        if (doText == ScenarioActions.CalendarChange && daysOff.IsEmpty && workingDays.IsEmpty && calendarFile is null)
        {
            reader.Error(Loc(m), "SC003", "action 'calendar-change' needs 'daysOff', 'workingDays' or 'calendar' (a calendar file)");
        }

        if (doText is not null && doText != ScenarioActions.CalendarChange && (!daysOff.IsEmpty || !workingDays.IsEmpty || calendarFile is not null))
        {
            reader.Error(Loc(m), "SC004", $"'daysOff', 'workingDays' and 'calendar' belong to action 'calendar-change', not '{doText}'");
        }

        if (doText is null || at is null)
        {
            return null;
        }

        return new ScenarioAction
        {
            Index = index,
            At = at.Value.At,
            Offset = at.Value.Offset,
            Do = doText,
            By = by,
            Step = step,
            Outcome = reader.Scalar(m, "outcome"),
            Documents = reader.List(m, "documents"),
            Reason = reader.Scalar(m, "reason"),
            Note = reader.Scalar(m, "note"),
            Score = score,
            Agency = reader.Scalar(m, "agency"),
            NewAppointment = newAppointment?.At,
            NewAppointmentOffset = newAppointment?.Offset,
            DaysOff = daysOff,
            WorkingDays = workingDays,
            CalendarFile = calendarFile,
            Decision = reader.Scalar(m, "decision"),
            Location = Loc(m),
        };
    }

    private static ImmutableArray<DateOnly> Dates(Reader reader, YamlMappingNode m, string key)
    {
        if (reader.List(m, key) is not { } texts)
        {
            return [];
        }

        var dates = ImmutableArray.CreateBuilder<DateOnly>();
        foreach (var text in texts)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                dates.Add(date);
            }
            else
            {
                reader.Error(Loc(reader.Get(m, key)!), "SC004", $"'{text}' in '{key}' is not a date; expected YYYY-MM-DD");
            }
        }

        return dates.ToImmutable();
    }

    /// <summary>Reads "2026-04-24T09:00[:00][+07:00|Z]" or "2026-04-24" (midnight).</summary>
    public static (DateTime At, TimeSpan? Offset)? ParseTime(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = TimePattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var local = match.Groups[1].Value + "T" + (match.Groups[2].Success ? match.Groups[2].Value : "00:00");
        if (!DateTime.TryParseExact(local, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return null;
        }

        TimeSpan? offset = null;
        if (match.Groups[3].Success)
        {
            var o = match.Groups[3].Value;
            offset = o == "Z" ? TimeSpan.Zero : TimeSpan.ParseExact(o[1..], @"hh\:mm", CultureInfo.InvariantCulture) * (o[0] == '-' ? -1 : 1);
        }

        return (at, offset);
    }

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?(Z|[+-]\d{2}:\d{2})?$")]
    private static partial Regex TimePattern();

    private static SourceLocation Loc(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);

    private sealed class Reader(string path, List<Diagnostic> diagnostics)
    {
        public void Error(SourceLocation at, string code, string message) =>
            diagnostics.Add(new Diagnostic(path, at, Severity.Error, code, message));

        public YamlNode? Get(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        public string? Scalar(YamlMappingNode m, string key, bool required = false)
        {
            switch (Get(m, key))
            {
                case null:
                    if (required)
                    {
                        Error(Loc(m), "SC003", $"missing '{key}'");
                    }

                    return null;
                case YamlScalarNode s when s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is "" or "~" or "null":
                    return null;
                case YamlScalarNode s:
                    return s.Value;
                case var other:
                    Error(Loc(other), "SC004", $"'{key}' must be a single value");
                    return null;
            }
        }

        public ImmutableArray<string>? List(YamlMappingNode m, string key)
        {
            switch (Get(m, key))
            {
                case null:
                    return null;
                case YamlSequenceNode seq:
                    var items = ImmutableArray.CreateBuilder<string>();
                    foreach (var item in seq.Children)
                    {
                        if (item is YamlScalarNode s && s.Value is { } v)
                        {
                            items.Add(v);
                        }
                        else
                        {
                            Error(Loc(item), "SC004", $"'{key}' lists ids (plain values)");
                        }
                    }

                    return items.ToImmutable();
                case var other:
                    Error(Loc(other), "SC004", $"'{key}' must be a list");
                    return null;
            }
        }

        public void CheckKeys(YamlMappingNode m, string[] allowed, string where)
        {
            foreach (var key in m.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(name))
                {
                    Error(Loc(key), "SC002", $"unknown key '{name}' in {where}; allowed: {string.Join(", ", allowed)}");
                }
            }
        }
    }
}
