using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Definitions.Parsing;

namespace ProcedureEngine.Definitions.Validation;

/// <summary>A parsed definition together with where each of its values sits in the file.</summary>
internal sealed record DefinitionSubject(ProcedureDefinition Definition, SourceMap Map, bool CheckLongestPath);

/// <summary>
/// The semantic rules of one definition (contract v1, "Semantics that must hold"), as FluentValidation
/// rules. Each failure carries its stable code (ErrorCode) and its file location (CustomState).
/// </summary>
internal sealed partial class DefinitionRules : AbstractValidator<DefinitionSubject>
{
    private static readonly DefinitionRules Instance = new();

    public DefinitionRules()
    {
        RuleFor(x => x.Definition.Code)
            .Matches(CodePattern())
            .When(x => x.Definition.Code.Length > 0)
            .WithSeverity(FluentValidation.Severity.Warning)
            .WithErrorCode(DiagnosticCodes.CodeFormat)
            .WithState(x => x.Map.Of("code"))
            .WithMessage(x => $"code '{x.Definition.Code}' does not look like a national procedure code (e.g. \"1.009792\")");

        RuleFor(x => x.Definition.Version)
            .GreaterThanOrEqualTo(1)
            .When(x => x.Map.IsInteger("version"))
            .WithErrorCode(DiagnosticCodes.InvalidVersion)
            .WithState(x => x.Map.Of("version"))
            .WithMessage(x => $"version must be 1 or more, not {x.Definition.Version}");

        RuleFor(x => x.Definition.Effective)
            .Must(e => e.Until is null || e.Until.Value >= e.From)
            .WithErrorCode(DiagnosticCodes.EffectiveRange)
            .WithState(x => x.Map.Of("effective", "until"))
            .WithMessage(x => $"effective.until {x.Definition.Effective.Until:yyyy-MM-dd} is before effective.from {x.Definition.Effective.From:yyyy-MM-dd}");

        RuleFor(x => x.Definition.LegalBasis)
            .NotEmpty()
            .When(x => x.Map.IsList("legalBasis"))
            .WithErrorCode(DiagnosticCodes.Empty)
            .WithState(x => x.Map.Of("legalBasis"))
            .WithMessage("legalBasis needs at least one entry: the law, decree or decision the procedure rests on");

        RuleFor(x => x.Definition.Steps)
            .NotEmpty()
            .When(x => x.Map.IsList("steps"))
            .WithErrorCode(DiagnosticCodes.Empty)
            .WithState(x => x.Map.Of("steps"))
            .WithMessage("steps needs at least one step");

        RuleFor(x => x.Definition.Fee!.Amount)
            .GreaterThanOrEqualTo(0)
            .When(x => x.Definition.Fee is not null)
            .WithErrorCode(DiagnosticCodes.InvalidValue)
            .WithState(x => x.Map.Of("fee", "amount"))
            .WithMessage(x => $"fee.amount must not be negative ({x.Definition.Fee!.Amount})");

        RuleFor(x => x).Custom(CheckIds);
        RuleFor(x => x).Custom(CheckAgencies);
        RuleFor(x => x).Custom(CheckInputs);
        RuleFor(x => x).Custom(CheckConditions);
        RuleFor(x => x).Custom(CheckTimeLimitCases);
        RuleFor(x => x).Custom(CheckStepContents);
        RuleFor(x => x).Custom(CheckGraph);
    }

    /// <summary>Runs every rule and adds its problems, with their locations, to the file's diagnostics.</summary>
    public static void Check(ProcedureDefinition definition, SourceMap map, DiagnosticBag bag, bool checkLongestPath)
    {
        var result = Instance.Validate(new DefinitionSubject(definition, map, checkLongestPath));
        foreach (var f in result.Errors)
        {
            var at = f.CustomState is SourceLocation l ? l : definition.Location;
            bag.Add(new Diagnostic(bag.Path, at, f.Severity == FluentValidation.Severity.Warning ? Diagnostics.Severity.Warning : Diagnostics.Severity.Error, f.ErrorCode, f.ErrorMessage));
        }
    }

    private static void Fail(ValidationContext<DefinitionSubject> ctx, string code, SourceLocation at, string message, bool warning = false) =>
        ctx.AddFailure(new ValidationFailure(string.Empty, message)
        {
            ErrorCode = code,
            CustomState = at,
            Severity = warning ? FluentValidation.Severity.Warning : FluentValidation.Severity.Error,
        });

    private static void CheckIds(DefinitionSubject x, ValidationContext<DefinitionSubject> ctx)
    {
        var d = x.Definition;
        Unique(ctx, x.Map, "agencies", "agency", d.Agencies.Select(a => a.Id));
        Unique(ctx, x.Map, "inputs", "input", d.Inputs.Select(a => a.Id));
        Unique(ctx, x.Map, "documents", "document", d.Documents.Select(a => a.Id));
        Unique(ctx, x.Map, "steps", "step", d.Steps.Select(a => a.Id));
        Unique(ctx, x.Map, "timeLimitCases", "time limit case", d.TimeLimitCases.Select(a => a.Id));
    }

    private static void Unique(ValidationContext<DefinitionSubject> ctx, SourceMap map, string list, string what, IEnumerable<string> ids)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var n = seen.GetValueOrDefault(id);
            seen[id] = n + 1;
            var at = map.Of(list, map.IndexOf(list, id, n), "id");
            if (n == 1)
            {
                Fail(ctx, DiagnosticCodes.DuplicateId, at, $"{what} id '{id}' is declared twice; ids must be unique");
            }

            if (n == 0 && !IdPattern().IsMatch(id))
            {
                Fail(ctx, DiagnosticCodes.InvalidId, at,
                    $"{what} id '{id}' may only use letters a-z, A-Z, digits and '.', '_', '-' and must start with a letter or digit");
            }
        }
    }

    private static void CheckAgencies(DefinitionSubject x, ValidationContext<DefinitionSubject> ctx)
    {
        var d = x.Definition;
        if (d.Agencies.Length > 0 && !d.Agencies.Any(a => a.OneStop))
        {
            Fail(ctx, DiagnosticCodes.NoOneStopAgency, x.Map.KeyOf("agencies"),
                "no agency is marked 'oneStop: true'; dossiers are received and returned by the one-stop unit", warning: true);
        }

        foreach (var s in d.Steps)
        {
            if (s.Agency.Length > 0 && d.FindAgency(s.Agency) is null)
            {
                Fail(ctx, DiagnosticCodes.UnknownAgency, x.Map.OfItem("steps", s.Id, "agency"),
                    $"step '{s.Id}' is owned by agency '{s.Agency}', which is not declared under agencies" +
                    NodeReader.DidYouMean(s.Agency, d.Agencies.Select(a => a.Id)));
            }
        }
    }

    private static void CheckInputs(DefinitionSubject x, ValidationContext<DefinitionSubject> ctx)
    {
        foreach (var input in x.Definition.Inputs)
        {
            var at = x.Map.OfItem("inputs", input.Id, "values");
            if (input.Type == InputType.Enum && input.Values.IsEmpty)
            {
                Fail(ctx, DiagnosticCodes.InvalidEnumValues, at, $"input '{input.Id}' is an enum: list its values, e.g. values: [a, b]");
            }
            else if (input.Type != InputType.Enum && !input.Values.IsEmpty)
            {
                Fail(ctx, DiagnosticCodes.InvalidEnumValues, at, $"input '{input.Id}' has values but is of type {input.Type.ToString().ToLowerInvariant()}; only enum inputs take values");
            }
            else if (input.Values.Distinct(StringComparer.Ordinal).Count() != input.Values.Length)
            {
                Fail(ctx, DiagnosticCodes.InvalidEnumValues, at, $"input '{input.Id}' lists a value twice");
            }
        }
    }

    private static void CheckConditions(DefinitionSubject x, ValidationContext<DefinitionSubject> ctx)
    {
        foreach (var doc in x.Definition.Documents)
        {
            if (doc.When is not null)
            {
                CheckCondition(x.Definition, doc.When, ctx, $"document '{doc.Id}'");
            }
        }

        foreach (var step in x.Definition.Steps)
        {
            if (step.When is not null)
            {
                CheckCondition(x.Definition, step.When, ctx, $"step '{step.Id}'");
            }
        }
    }

    /// <summary>
    /// Time limits that depend on the dossier's inputs: each case's condition is checked as any `when`; it may read
    /// only bool and enum inputs (so every combination can be tried); a case is no longer than `timeLimit` (the
    /// limit when no case applies); a case must apply to some combination (PE039); no combination may fall under two
    /// cases (PE038); and the steps a case's dossiers run through fit the case's own limit (PE035).
    /// </summary>
    private static void CheckTimeLimitCases(DefinitionSubject x, ValidationContext<DefinitionSubject> ctx)
    {
        var d = x.Definition;
        if (d.TimeLimitCases.IsDefaultOrEmpty)
        {
            return;
        }

        var usable = new List<TimeLimitCase>();
        foreach (var c in d.TimeLimitCases)
        {
            var owner = $"time limit case '{c.Id}'";
            CheckCondition(d, c.When, ctx, owner);
            if (x.Map.Has("timeLimit") && TimeBudget.NoLongerThan(c.TimeLimit, d.TimeLimit) is not true)
            {
                Fail(ctx, DiagnosticCodes.CaseLongerThanLimit, x.Map.OfItem("timeLimitCases", c.Id, "timeLimit"),
                    TimeBudget.NoLongerThan(c.TimeLimit, d.TimeLimit) is null
                        ? $"{owner}: {c.TimeLimit} can't be compared with timeLimit {d.TimeLimit}; write both in the same unit"
                        : $"{owner}: {c.TimeLimit} is longer than timeLimit {d.TimeLimit}; timeLimit is the longest limit (the one for dossiers no case covers) and each case shortens it");
            }

            if (c.When.InputIds().Any(id => d.FindInput(id) is null))
            {
                continue;
            }

            var assignments = TimeLimits.Assignments(d, c.When.InputIds());
            if (assignments is null)
            {
                Fail(ctx, DiagnosticCodes.CaseNeverApplies, x.Map.OfItem("timeLimitCases", c.Id, "when"),
                    $"{owner}: a time limit case may read only bool and enum inputs (so that every combination of answers can be checked for overlaps)");
                continue;
            }

            if (!assignments.Any(a => c.When.Evaluate(a)))
            {
                Fail(ctx, DiagnosticCodes.CaseNeverApplies, x.Map.OfItem("timeLimitCases", c.Id, "when"),
                    $"{owner}: no combination of the inputs it reads makes its condition true; the case never applies");
                continue;
            }

            usable.Add(c);
        }

        // Overlaps: try every combination of the inputs any two cases read.
        for (var i = 0; i < usable.Count; i++)
        {
            for (var j = i + 1; j < usable.Count; j++)
            {
                var (a, b) = (usable[i], usable[j]);
                var both = TimeLimits.Assignments(d, a.When.InputIds().Concat(b.When.InputIds()));
                var clash = both?.FirstOrDefault(v => a.When.Evaluate(v) && b.When.Evaluate(v));
                if (clash is not null)
                {
                    var answers = clash.Count == 0 ? "any answers" : string.Join(", ", clash.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} = {kv.Value}"));
                    Fail(ctx, DiagnosticCodes.CasesOverlap, x.Map.OfItem("timeLimitCases", b.Id, "when"),
                        $"time limit cases '{a.Id}' and '{b.Id}' both apply to a dossier with {answers}; which limit it is promised would depend on their order");
                }
            }
        }

        // Each case's dossiers: the steps that can run for them must fit the case's limit.
        foreach (var c in usable)
        {
            // A step can run for the case when some answers make both the case's and the step's condition true
            // (a step over a number or text input is kept: its answers can't all be tried).
            bool CanRun(StepDef s) => s.When is null
                || TimeLimits.Assignments(d, c.When.InputIds().Concat(s.When.InputIds())) is not { } both
                || both.Any(a => c.When.Evaluate(a) && s.When.Evaluate(a));
            var steps = d.Steps.Where(CanRun).ToList();
            var kept = steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var byId = d.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
            IEnumerable<string> Predecessors(string id, HashSet<string> seen) => byId.TryGetValue(id, out var s)
                ? s.After.SelectMany(p => kept.Contains(p) ? [p] : seen.Add(p) ? Predecessors(p, seen) : [])
                : [id];
            var trimmed = steps.Select(s => s with { After = [.. s.After.SelectMany(p => kept.Contains(p) ? [p] : Predecessors(p, [p])).Distinct(StringComparer.Ordinal)] }).ToList();
            var graph = new StepGraph(trimmed);
            if (!graph.IsSoundDag)
            {
                continue;
            }

            foreach (var (code, message, warning) in LongestPathProblems(d with { Steps = [.. trimmed], TimeLimit = c.TimeLimit }, graph, $"the timeLimit of case '{c.Id}'"))
            {
                if (!warning)
                {
                    Fail(ctx, code, x.Map.OfItem("timeLimitCases", c.Id, "timeLimit"), message);
                }
            }
        }
    }

    private static void CheckCondition(ProcedureDefinition d, Condition c, ValidationContext<DefinitionSubject> ctx, string owner)
    {
        if (c is AllCondition or AnyCondition or NotCondition)
        {
            foreach (var operand in c.Operands)
            {
                CheckCondition(d, operand, ctx, owner);
            }

            return;
        }

        var id = c.InputIds().First();
        var input = d.FindInput(id);
        if (input is null)
        {
            Fail(ctx, DiagnosticCodes.UnknownInput, c.Location,
                $"the condition of {owner} reads input '{id}', which is not declared under inputs" + NodeReader.DidYouMean(id, d.Inputs.Select(i => i.Id)));
            return;
        }

        string? problem = c switch
        {
            EqualsCondition e => ValueProblem(input, e.Value),
            InCondition n => n.Values.Select(v => ValueProblem(input, v)).FirstOrDefault(p => p is not null),
            GreaterThanCondition or LessThanCondition when input.Type is not InputType.Number =>
                $"greaterThan/lessThan compare numbers, but input '{input.Id}' is of type {input.Type.ToString().ToLowerInvariant()}",
            _ => null,
        };
        if (problem is not null)
        {
            Fail(ctx, DiagnosticCodes.ConditionValueType, c.Location, $"the condition of {owner}: {problem}");
        }
    }

    private static string? ValueProblem(InputDecl input, string value) => input.Type switch
    {
        InputType.Bool when value is not ("true" or "false" or "True" or "False" or "TRUE" or "FALSE") =>
            $"input '{input.Id}' is a bool, so the value must be true or false, not '{value}'",
        InputType.Enum when !input.Values.IsEmpty && !input.Values.Contains(value) =>
            $"'{value}' is not a value of input '{input.Id}' (one of: {string.Join(", ", input.Values)})",
        InputType.Number when !decimal.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) =>
            $"input '{input.Id}' is a number, so the value must be a number, not '{value}'",
        InputType.Date when !DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _) =>
            $"input '{input.Id}' is a date, so the value must be written YYYY-MM-DD, not '{value}'",
        _ => null,
    };

    private static void CheckStepContents(DefinitionSubject x, ValidationContext<DefinitionSubject> ctx)
    {
        var d = x.Definition;
        foreach (var s in d.Steps)
        {
            for (var i = 0; i < s.Documents.Length; i++)
            {
                if (d.FindDocument(s.Documents[i]) is null)
                {
                    Fail(ctx, DiagnosticCodes.UnknownDocument, x.Map.OfItem("steps", s.Id, "documents", i),
                        $"step '{s.Id}' names document '{s.Documents[i]}', which is not declared under documents; only published documents may be asked for");
                }
            }

            if (s.Outcomes.IsEmpty && x.Map.Has("steps", x.Map.IndexOf("steps", s.Id), "outcomes"))
            {
                Fail(ctx, DiagnosticCodes.Empty, x.Map.OfItem("steps", s.Id, "outcomes"), $"step '{s.Id}' lists no outcomes; leave 'outcomes' out for the default [done]");
            }

            for (var i = 0; i < s.Outcomes.Length; i++)
            {
                if (!IdPattern().IsMatch(s.Outcomes[i]))
                {
                    Fail(ctx, DiagnosticCodes.InvalidId, x.Map.OfItem("steps", s.Id, "outcomes", i),
                        $"outcome '{s.Outcomes[i]}' of step '{s.Id}' may only use letters, digits and '.', '_', '-'");
                }
                else if (s.Outcomes.IndexOf(s.Outcomes[i]) != i)
                {
                    Fail(ctx, DiagnosticCodes.DuplicateId, x.Map.OfItem("steps", s.Id, "outcomes", i), $"outcome '{s.Outcomes[i]}' of step '{s.Id}' is listed twice");
                }
            }
        }
    }

    private static void CheckGraph(DefinitionSubject x, ValidationContext<DefinitionSubject> ctx)
    {
        var steps = x.Definition.Steps;
        if (steps.IsEmpty)
        {
            return;
        }

        var g = new StepGraph(steps);
        foreach (var (step, position) in g.UnknownPredecessors)
        {
            var s = steps[step];
            var missing = s.After[position];
            Fail(ctx, DiagnosticCodes.UnknownPredecessor, x.Map.OfItem("steps", s.Id, "after", position),
                $"step '{s.Id}' lists unknown predecessor '{missing}'" + NodeReader.DidYouMean(missing, steps.Select(t => t.Id)));
        }

        foreach (var cycle in g.Cycles)
        {
            var at = steps[cycle[0]];
            var names = string.Join(" → ", cycle.Select(i => steps[i].Id).Append(steps[cycle[0]].Id));
            Fail(ctx, DiagnosticCodes.Cycle, x.Map.OfItem("steps", at.Id, "after"),
                cycle.Count == 1 ? $"step '{at.Id}' lists itself in 'after'" : $"steps wait for each other in a cycle: {names}");
        }

        if (g.FirstSteps.Count == 0 && g.Cycles.Count == 0)
        {
            Fail(ctx, DiagnosticCodes.FirstStep, x.Map.KeyOf("steps"), "no step can start: every step lists predecessors");
        }
        else if (g.FirstSteps.Count == 0)
        {
            Fail(ctx, DiagnosticCodes.FirstStep, x.Map.KeyOf("steps"), "no first step: the first step must not list predecessors");
        }
        else if (g.FirstSteps.Count > 1)
        {
            foreach (var extra in g.FirstSteps.Skip(1))
            {
                Fail(ctx, DiagnosticCodes.FirstStep, x.Map.OfItem("steps", steps[extra].Id, "after"),
                    $"step '{steps[extra].Id}' has no predecessor, but '{steps[g.FirstSteps[0]].Id}' is already the first step; a procedure has exactly one first step");
            }
        }

        if (g.FirstSteps.Count == 1)
        {
            for (var i = 0; i < steps.Length; i++)
            {
                if (!g.Reachable[i] && !g.InCycle[i] && !HasUnknownPredecessor(g, i))
                {
                    Fail(ctx, DiagnosticCodes.UnreachableStep, x.Map.OfItem("steps", steps[i].Id, "id"),
                        $"step '{steps[i].Id}' can never start: no path leads to it from the first step '{steps[g.FirstSteps[0]].Id}'");
                }
            }
        }

        if (x.CheckLongestPath && g.IsSoundDag)
        {
            CheckLongestPath(x.Definition, g, x.Map.Of("timeLimit"), ctx);
        }
    }

    private static bool HasUnknownPredecessor(StepGraph g, int step) =>
        g.UnknownPredecessors.Any(u => u.Step == step);

    internal static void CheckLongestPath(ProcedureDefinition d, StepGraph g, SourceLocation at, ValidationContext<DefinitionSubject> ctx)
    {
        foreach (var (code, message, warning) in LongestPathProblems(d, g, "timeLimit"))
        {
            Fail(ctx, code, at, message, warning);
        }
    }

    /// <summary>Longest-path problems of a (possibly overlaid) definition, as (code, message, isWarning).</summary>
    internal static IEnumerable<(string Code, string Message, bool Warning)> LongestPathProblems(ProcedureDefinition d, StepGraph g, string limitName)
    {
        var limit = d.TimeLimit;
        var (path, measure, approximate) = g.LongestPath(limit);
        var names = string.Join(" → ", path.Select(i => d.Steps[i].Id));
        var conversion = limit.Unit == DurationUnit.CalendarDays
            ? $"working days laid on the calendar for a dossier received after office hours on a {measure.WorstReceiptDay}, weekends skipped, public holidays not included"
            : "calendar days counted as working days";
        if (measure.Exceeds)
        {
            yield return (DiagnosticCodes.LongestPathExceedsLimit,
                $"the longest path {names} takes {(approximate ? "up to " : string.Empty)}{TimeBudget.Format(measure.Total, limit.Unit)}, more than {limitName} {limit}" +
                (approximate ? $" ({conversion})" : string.Empty), false);
        }
        else if (approximate)
        {
            yield return (DiagnosticCodes.MixedUnits,
                $"steps are in working time but {limitName} is {limit}; the longest path {names} fits ({conversion}), but a public holiday on the way could still make it late",
                true);
        }
    }

    [GeneratedRegex(@"^\d{1,2}\.\d{6}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex IdPattern();
}
