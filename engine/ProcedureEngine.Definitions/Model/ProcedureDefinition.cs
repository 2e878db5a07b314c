using System.Collections.Immutable;
using ProcedureEngine.Calendar;

namespace ProcedureEngine.Definitions.Model;

/// <summary>Administrative level that carries out a procedure.</summary>
public enum ProcedureLevel
{
    Ministry,
    Province,
    District,
    Commune,
}

/// <summary>
/// One published version of an administrative procedure (thủ tục hành chính), as read from
/// one YAML file of definitions/. Immutable; every node remembers where it came from.
/// </summary>
public sealed record ProcedureDefinition
{
    public required string Code { get; init; }

    public required int Version { get; init; }

    public required string Name { get; init; }

    public required string Field { get; init; }

    public required ProcedureLevel Level { get; init; }

    public required EffectivePeriod Effective { get; init; }

    public ImmutableArray<string> LegalBasis { get; init; } = [];

    /// <summary>The legal time limit; with <see cref="TimeLimitCases"/>, the limit of dossiers no case covers (the longest).</summary>
    public required Duration TimeLimit { get; init; }

    /// <summary>Shorter limits the law gives some cases (`timeLimitCases`); see <see cref="TimeLimits.TimeLimitFor"/>.</summary>
    public ImmutableArray<TimeLimitCase> TimeLimitCases { get; init; } = [];

    public Fee? Fee { get; init; }

    /// <summary>Id of a calendar under definitions/calendars/ (default "vn").</summary>
    public string Calendar { get; init; } = "vn";

    public ImmutableArray<AgencyDecl> Agencies { get; init; } = [];

    public ImmutableArray<InputDecl> Inputs { get; init; } = [];

    public ImmutableArray<DocumentDecl> Documents { get; init; } = [];

    public ImmutableArray<StepDef> Steps { get; init; } = [];

    public ImmutableArray<string> Results { get; init; } = [];

    /// <summary>File the definition was read from, relative or absolute as given; null when built in code.</summary>
    public string? SourcePath { get; init; }

    public SourceLocation Location { get; init; }

    public AgencyDecl? FindAgency(string id) => Agencies.FirstOrDefault(a => a.Id == id);

    public StepDef? FindStep(string id) => Steps.FirstOrDefault(s => s.Id == id);

    public DocumentDecl? FindDocument(string id) => Documents.FirstOrDefault(d => d.Id == id);

    public InputDecl? FindInput(string id) => Inputs.FirstOrDefault(i => i.Id == id);
}

/// <summary>Dates a version applies to: dossiers received on/after From, and before/on Until if set.</summary>
public sealed record EffectivePeriod(DateOnly From, DateOnly? Until)
{
    public SourceLocation Location { get; init; }

    public bool Contains(DateOnly day) => day >= From && (Until is null || day <= Until.Value);

    public bool Overlaps(EffectivePeriod other) =>
        From <= (other.Until ?? DateOnly.MaxValue) && other.From <= (Until ?? DateOnly.MaxValue);
}

public sealed record Fee(decimal Amount, string Currency, string? Note)
{
    public SourceLocation Location { get; init; }
}

public sealed record AgencyDecl(string Id, string Name, bool OneStop)
{
    /// <summary>Electronic id of the agency (mã định danh điện tử), used in dossier codes, e.g. "000.00.07.H13".</summary>
    public string? Code { get; init; }

    public SourceLocation Location { get; init; }
}

public enum InputType
{
    Bool,
    Enum,
    Number,
    String,
    Date,
}

public sealed record InputDecl(string Id, InputType Type)
{
    /// <summary>Allowed values for Enum inputs.</summary>
    public ImmutableArray<string> Values { get; init; } = [];

    public string? Name { get; init; }

    public SourceLocation Location { get; init; }
}

public sealed record DocumentDecl(string Id, string Name)
{
    public int Copies { get; init; } = 1;

    public bool Original { get; init; }

    /// <summary>Form the document must follow, e.g. "Mẫu số 01 Phụ lục II Nghị định 15/2021/NĐ-CP".</summary>
    public string? Form { get; init; }

    public string? Note { get; init; }

    /// <summary>Required only when this holds; null means always required.</summary>
    public Condition? When { get; init; }

    public SourceLocation Location { get; init; }
}

public sealed record StepDef(string Id, string Name, string Agency, Duration Duration)
{
    /// <summary>
    /// Predecessors as resolved by the parser: the explicit `after` list, or the step above
    /// when `after` is absent (empty for the first step).
    /// </summary>
    public ImmutableArray<string> After { get; init; } = [];

    /// <summary>True when `after` was written in the file (false when implied by list order).</summary>
    public bool AfterExplicit { get; init; }

    public Condition? When { get; init; }

    /// <summary>Outcomes this step may end with; default ["done"].</summary>
    public ImmutableArray<string> Outcomes { get; init; } = ["done"];

    /// <summary>
    /// Documents this step examines (ids declared under `documents`); a supplement request raised by
    /// this step may name only these. Empty means every declared document.
    /// </summary>
    public ImmutableArray<string> Documents { get; init; } = [];

    public SourceLocation Location { get; init; }
}

/// <summary>Well-known outcome names with engine semantics.</summary>
public static class Outcomes
{
    public const string Done = "done";
    public const string Supplement = "supplement";
    public const string Rejected = "rejected";
}
