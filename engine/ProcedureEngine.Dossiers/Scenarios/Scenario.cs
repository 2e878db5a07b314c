using System.Collections.Immutable;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Dossiers.Scenarios;

/// <summary>A scenario file (samples/scenarios/): one dossier run through a definition on a virtual clock.</summary>
public sealed record Scenario
{
    /// <summary>The scenario file's path as given (diagnostics print it).</summary>
    public required string Path { get; init; }

    /// <summary>Path of the definition file, relative to the scenario file; null when <see cref="DefinitionCode"/> is used.</summary>
    public string? DefinitionPath { get; init; }

    /// <summary>`definition: {code: ...}`: the version in effect at receipt, from the catalogue.</summary>
    public string? DefinitionCode { get; init; }

    public SourceLocation DefinitionLocation { get; init; }

    public string? Jurisdiction { get; init; }

    /// <summary>Calendar file path relative to the scenario file; null: the definition's calendar.</summary>
    public string? CalendarPath { get; init; }

    public SourceLocation CalendarLocation { get; init; }

    /// <summary>Forced rule set id, or null for the one in force at receipt.</summary>
    public string? Rules { get; init; }

    public required ScenarioDossier Dossier { get; init; }

    public ImmutableArray<ScenarioAction> Actions { get; init; } = [];
}

/// <summary>The dossier as the applicant lodges it.</summary>
public sealed record ScenarioDossier
{
    public string? Id { get; init; }

    public required Applicant Applicant { get; init; }

    public ImmutableDictionary<string, string> Inputs { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableArray<string> Documents { get; init; } = [];

    public Channel Channel { get; init; } = Channel.Counter;

    /// <summary>Sequence number of the dossier code for its agency and day (default 1).</summary>
    public int Sequence { get; init; } = 1;
}

/// <summary>One `actions:` entry. <see cref="At"/> is local time unless <see cref="Offset"/> was written.</summary>
public sealed record ScenarioAction
{
    public required int Index { get; init; }

    public required DateTime At { get; init; }

    public TimeSpan? Offset { get; init; }

    /// <summary>receive, refuse, complete, request-supplement, supplement, return, withdraw, evaluate, apologize, submit, tick.</summary>
    public required string Do { get; init; }

    public Actor? By { get; init; }

    public string? Step { get; init; }

    public string? Outcome { get; init; }

    /// <summary>Null when the action did not list documents (receive then uses the dossier's).</summary>
    public ImmutableArray<string>? Documents { get; init; }

    public string? Reason { get; init; }

    public string? Note { get; init; }

    public int? Score { get; init; }

    /// <summary>apologize: the agency at fault.</summary>
    public string? Agency { get; init; }

    /// <summary>apologize: the new appointment (local unless an offset was written); null: computed.</summary>
    public DateTime? NewAppointment { get; init; }

    public TimeSpan? NewAppointmentOffset { get; init; }

    /// <summary>calendar-change: days that become days off (added to the current calendar's year decisions).</summary>
    public ImmutableArray<DateOnly> DaysOff { get; init; } = [];

    /// <summary>calendar-change: days that become working days (e.g. a Saturday worked in exchange).</summary>
    public ImmutableArray<DateOnly> WorkingDays { get; init; } = [];

    /// <summary>calendar-change: a whole calendar file (relative to the scenario) instead of days; resolved by the loader.</summary>
    public string? CalendarFile { get; init; }

    /// <summary>calendar-change: the decision the new calendar version publishes (cited by the re-plan).</summary>
    public string? Decision { get; init; }

    public SourceLocation Location { get; init; }

    /// <summary>The instant, reading a time without offset in the calendar's zone.</summary>
    public DateTimeOffset Instant(TimeSpan zoneOffset) => new(At, Offset ?? zoneOffset);
}

/// <summary>Action names a scenario may use.</summary>
public static class ScenarioActions
{
    public const string Submit = "submit";
    public const string Receive = "receive";
    public const string Refuse = "refuse";
    public const string Complete = "complete";
    public const string RequestSupplement = "request-supplement";
    public const string Supplement = "supplement";
    public const string Return = "return";
    public const string Withdraw = "withdraw";
    public const string Evaluate = "evaluate";
    public const string Apologize = "apologize";
    public const string Tick = "tick";
    public const string CalendarChange = "calendar-change";

    public static ImmutableArray<string> All { get; } =
        [Submit, Receive, Refuse, Complete, RequestSupplement, Supplement, Return, Withdraw, Evaluate, Apologize, Tick, CalendarChange];
}
