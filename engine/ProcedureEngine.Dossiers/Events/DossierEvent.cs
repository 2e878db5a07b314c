using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ProcedureEngine.Dossiers.Events;

/// <summary>
/// Something that happened to a dossier. Closed hierarchy: every event type is declared in this file,
/// its name (the class name) is part of the storage and API contract. Events carry every instant the
/// decider computed, so folding them needs neither the definition nor the calendar.
/// </summary>
public abstract record DossierEvent
{
    // Only this assembly can add event types.
    private protected DossierEvent(DateTimeOffset at) => At = at;

    /// <summary>When it happened (for time-driven events: when the tick observed it).</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Stable type name (the contract name: the record's name, e.g. "DossierReceived"); stored beside the data, not in it.</summary>
    [JsonIgnore]
    public string Type => GetType().Name;
}

/// <summary>An applicant lodged the dossier online; staff must accept it within the rule set's limit (8 working hours).</summary>
public sealed record DossierSubmitted(
    DateTimeOffset At,
    string DossierId,
    string ProcedureCode,
    int ProcedureVersion,
    Applicant Applicant,
    ImmutableDictionary<string, string> Inputs,
    ImmutableArray<DocumentEntry> Documents,
    DateTimeOffset AcceptBy,
    string? Jurisdiction = null) : DossierEvent(At);

/// <summary>Receipt refused because the dossier is incomplete: guidance listing everything missing at once (form 02).</summary>
public sealed record ReceiptGuidanceIssued(
    DateTimeOffset At,
    string DossierId,
    string ProcedureCode,
    int ProcedureVersion,
    string RuleSet,
    Actor By,
    Applicant Applicant,
    ImmutableArray<DocumentEntry> Missing,
    ImmutableArray<DocumentEntry> Presented) : DossierEvent(At);

/// <summary>A complete dossier was received (form 01): it gets its code, rule set, plan and appointment.</summary>
public sealed record DossierReceived(
    DateTimeOffset At,
    string DossierId,
    string DossierCode,
    string ProcedureCode,
    int ProcedureVersion,
    string ProcedureName,
    string RuleSet,
    string? Jurisdiction,
    Channel Channel,
    Actor By,
    string ReceivingAgencyName,
    Applicant Applicant,
    ImmutableDictionary<string, string> Inputs,
    ImmutableArray<DocumentEntry> Documents,
    string TimeLimit,
    DateTimeOffset CountingFrom,
    DateTimeOffset AppointmentAt,
    ImmutableArray<PlannedStep> Steps) : DossierEvent(At);

/// <summary>The dossier was refused (form 03): at receipt, or by a step ending with outcome `rejected`.</summary>
public sealed record DossierRefused(
    DateTimeOffset At,
    string DossierId,
    Actor By,
    string Reason,
    string? StepId) : DossierEvent(At)
{
    /// <summary>Set when refused at receipt (the dossier was never received): who lodged it and for what.</summary>
    public Applicant? Applicant { get; init; }

    public string? ProcedureCode { get; init; }

    public int? ProcedureVersion { get; init; }

    public string? RuleSet { get; init; }
}

/// <summary>A step's agency asked the applicant for documents declared by the procedure (form 02); the clock stops.</summary>
public sealed record SupplementRequested(
    DateTimeOffset At,
    Actor By,
    string StepId,
    ImmutableArray<DocumentEntry> Documents,
    string Reason,
    SupplementMode Mode,
    DateTimeOffset ClosesAt) : DossierEvent(At);

/// <summary>The applicant brought the requested documents; the clock resumes (Pause) or restarts (Restart).</summary>
public sealed record SupplementProvided(
    DateTimeOffset At,
    Actor By,
    ImmutableArray<DocumentEntry> Documents,
    DateTimeOffset AppointmentAt,
    ImmutableArray<StepDue> StepDues) : DossierEvent(At);

public sealed record StepStarted(
    DateTimeOffset At,
    string StepId,
    string Agency,
    DateTimeOffset DueAt) : DossierEvent(At);

/// <summary>A step ended with an outcome. <see cref="DueAt"/> lets the control slip say early / on time / late.</summary>
public sealed record StepCompleted(
    DateTimeOffset At,
    Actor By,
    string StepId,
    string Outcome,
    DateTimeOffset DueAt,
    string? Note) : DossierEvent(At);

/// <summary>A step whose `when` condition does not hold for this dossier.</summary>
public sealed record StepSkipped(DateTimeOffset At, string StepId, string Reason) : DossierEvent(At);

/// <summary>A step's due instant is near.</summary>
public sealed record DeadlineWarning(DateTimeOffset At, string StepId, string Agency, DateTimeOffset DueAt) : DossierEvent(At);

public sealed record StepOverdue(DateTimeOffset At, string StepId, string Agency, DateTimeOffset DueAt) : DossierEvent(At);

/// <summary>The appointment passed without the result returned. <see cref="Breach"/>: a second miss (after a re-set appointment).</summary>
public sealed record DossierOverdue(DateTimeOffset At, DateTimeOffset AppointmentAt, bool Breach) : DossierEvent(At);

/// <summary>Apology and new appointment (form 04), naming the agency at fault. At most one per dossier.</summary>
public sealed record ApologyIssued(
    DateTimeOffset At,
    Actor? By,
    string AgencyAtFault,
    string AgencyAtFaultName,
    string? StepId,
    string Reason,
    DateTimeOffset PreviousAppointmentAt,
    DateTimeOffset NewAppointmentAt,
    bool Automatic) : DossierEvent(At);

/// <summary>Every processing step is done: the result waits at the one-stop unit.</summary>
public sealed record ResultReady(DateTimeOffset At, string? Outcome) : DossierEvent(At);

/// <summary>The result was handed to the applicant.</summary>
public sealed record ResultReturned(DateTimeOffset At, Actor By, DateTimeOffset AppointmentAt, bool OnTime) : DossierEvent(At);

/// <summary>The applicant stopped the dossier before the decision (form 05 under nd118-2025).</summary>
public sealed record DossierWithdrawn(DateTimeOffset At, Actor By, string? Reason) : DossierEvent(At);

/// <summary>The requested documents never came: the one-stop unit closed the dossier.</summary>
public sealed record DossierClosed(DateTimeOffset At, DateTimeOffset SupplementRequestedAt, DateTimeOffset ClosesAt, string Reason) : DossierEvent(At);

/// <summary>The applicant rated the service (1..5) after the result was returned.</summary>
public sealed record DossierEvaluated(DateTimeOffset At, Actor? By, int Score, string? Comment) : DossierEvent(At)
{
    /// <summary>Scores per Decision 766 criterion (timeTaken, contacts, accuracy, attitude), each 1..5, when given.</summary>
    public ImmutableDictionary<string, int>? Criteria { get; init; }
}

/// <summary>An online dossier was not accepted within the rule set's limit after submission.</summary>
public sealed record AcceptanceOverdue(DateTimeOffset At, DateTimeOffset SubmittedAt, DateTimeOffset AcceptBy) : DossierEvent(At);

/// <summary>
/// A new calendar version changed working days inside the dossier's remaining windows: its open step dues and
/// appointment were computed again on the new calendar from what was left of each window (the rule set's
/// <see cref="Rules.CalendarChangeRule"/>). Cites the calendar version, its decision and the changed days;
/// carries both the dues before and after, so a replay shows the dossier on either side. Only the changed
/// dues are listed. Past events are never rewritten.
/// </summary>
public sealed record DossierReplanned(
    DateTimeOffset At,
    string CalendarId,
    int? CalendarVersion,
    string? Decision,
    ImmutableArray<DateOnly> ChangedDays,
    DateTimeOffset PreviousAppointmentAt,
    DateTimeOffset AppointmentAt,
    ImmutableArray<StepDue> PreviousStepDues,
    ImmutableArray<StepDue> StepDues,
    string Reason) : DossierEvent(At)
{
    /// <summary>True when the appointment moved (the applicant is then told by letter).</summary>
    [JsonIgnore]
    public bool AppointmentMoved => AppointmentAt != PreviousAppointmentAt;
}
