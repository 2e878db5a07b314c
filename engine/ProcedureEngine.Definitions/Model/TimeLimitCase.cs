using System.Collections.Immutable;
using ProcedureEngine.Calendar;

namespace ProcedureEngine.Definitions.Model;

/// <summary>
/// A time limit that applies only to some dossiers (the `timeLimitCases` key): the law gives the procedure one
/// limit for a case ("15 ngày đối với nhà ở riêng lẻ") and a longer one otherwise. The case is declared like a
/// document's `when`, over the dossier's inputs; the definition's `timeLimit` is the limit when no case applies.
/// </summary>
/// <param name="Id">Stable id, named by overlays that shorten it.</param>
/// <param name="When">Which dossiers the case covers.</param>
/// <param name="TimeLimit">Their limit: no longer than the definition's `timeLimit`.</param>
public sealed record TimeLimitCase(string Id, Condition When, Duration TimeLimit)
{
    /// <summary>Where the law states this case's limit (printed nowhere; for reviewers).</summary>
    public string? Basis { get; init; }

    public SourceLocation Location { get; init; }
}

/// <summary>The limit a dossier is promised, given its inputs.</summary>
public static class TimeLimits
{
    /// <summary>
    /// The limit of the first case whose condition holds for <paramref name="inputs"/>, else the definition's
    /// `timeLimit`. (Cases never overlap: the validator refuses two that can hold together, PE038.)
    /// </summary>
    public static Duration TimeLimitFor(this ProcedureDefinition definition, IReadOnlyDictionary<string, string> inputs)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var c in definition.TimeLimitCases)
        {
            if (c.When.Evaluate(inputs))
            {
                return c.TimeLimit;
            }
        }

        return definition.TimeLimit;
    }

    /// <summary>The case that applies to <paramref name="inputs"/>, or null (the definition's own `timeLimit`).</summary>
    public static TimeLimitCase? CaseFor(this ProcedureDefinition definition, IReadOnlyDictionary<string, string> inputs)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.TimeLimitCases.FirstOrDefault(c => c.When.Evaluate(inputs));
    }

    /// <summary>
    /// Every assignment of the inputs <paramref name="inputIds"/> reads, over their finite domains (bool: true,
    /// false, not given; enum: each value, not given); null when one of them is not bool or enum (or unknown), or
    /// when there would be more than <paramref name="max"/> assignments.
    /// </summary>
    public static IReadOnlyList<ImmutableDictionary<string, string>>? Assignments(ProcedureDefinition definition, IEnumerable<string> inputIds, int max = 4096)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var result = new List<ImmutableDictionary<string, string>> { ImmutableDictionary<string, string>.Empty };
        foreach (var id in inputIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var input = definition.FindInput(id);
            IEnumerable<string>? values = input?.Type switch
            {
                InputType.Bool => ["true", "false"],
                InputType.Enum => input.Values,
                _ => null,
            };
            if (values is null)
            {
                return null;
            }

            var next = new List<ImmutableDictionary<string, string>>();
            foreach (var a in result)
            {
                next.Add(a);
                next.AddRange(values.Select(v => a.SetItem(id, v)));
            }

            if (next.Count > max)
            {
                return null;
            }

            result = next;
        }

        return result;
    }
}
