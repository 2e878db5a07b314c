using System.Collections.Immutable;
using ProcedureEngine.Calendar;

namespace ProcedureEngine.Definitions.Model;

/// <summary>
/// A province's reduction of a procedure's limits (definitions/local/&lt;jurisdiction&gt;/).
/// May only shorten, never lengthen, and only name existing steps.
/// </summary>
public sealed record LocalOverlay
{
    public required string ProcedureCode { get; init; }

    public required string Jurisdiction { get; init; }

    public required EffectivePeriod Effective { get; init; }

    public Duration? TimeLimit { get; init; }

    /// <summary>Case id -> shortened limit of that case (`timeLimitCases` of the overlay).</summary>
    public ImmutableDictionary<string, Duration> CaseLimits { get; init; } = ImmutableDictionary<string, Duration>.Empty;

    /// <summary>Step id -> shortened duration.</summary>
    public ImmutableDictionary<string, Duration> StepDurations { get; init; } = ImmutableDictionary<string, Duration>.Empty;

    public string? SourcePath { get; init; }

    public SourceLocation Location { get; init; }

    /// <summary>The definition with this overlay's reductions applied.</summary>
    public ProcedureDefinition ApplyTo(ProcedureDefinition definition) => definition with
    {
        TimeLimit = TimeLimit ?? definition.TimeLimit,
        TimeLimitCases = [.. definition.TimeLimitCases.Select(c => CaseLimits.TryGetValue(c.Id, out var l) ? c with { TimeLimit = l } : c)],
        Steps = [.. definition.Steps.Select(s => StepDurations.TryGetValue(s.Id, out var d) ? s with { Duration = d } : s)],
    };
}
