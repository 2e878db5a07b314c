using System.Collections.Immutable;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;

namespace ProcedureEngine.Dossiers.State;

public enum DossierStatus
{
    /// <summary>Nothing received yet (a receipt guidance letter may have been issued).</summary>
    New,

    /// <summary>Lodged online, waiting for staff to accept it.</summary>
    Submitted,
    Received,
    InProgress,
    AwaitingSupplement,
    ResultReady,
    Returned,
    Refused,
    Withdrawn,

    /// <summary>Closed because the requested documents never came.</summary>
    Closed,
}

public enum StepStatus
{
    Pending,
    Active,
    Done,
    Skipped,
}

/// <summary>One step of the dossier's plan and how far it got.</summary>
public sealed record StepState(string Id, string Name, string Agency, string AgencyName, ImmutableArray<string> After, bool IsReturn)
{
    public StepStatus Status { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? Outcome { get; init; }

    public Actor? CompletedBy { get; init; }

    public bool Warned { get; init; }

    public bool Overdue { get; init; }

    public bool IsFinished => Status is StepStatus.Done or StepStatus.Skipped;
}

/// <summary>A letter the dossier's events produced; rendered by ProcedureEngine.Letters.</summary>
/// <param name="Form">Form number in the dossier's rule set ("01".."05").</param>
/// <param name="EventSeq">1-based position of the producing event in the dossier's stream.</param>
public sealed record LetterRef(string Form, FormKind Kind, string Title, DateTimeOffset IssuedAt, long EventSeq, string? DossierCode, DateTimeOffset? NewAppointmentAt);

/// <summary>An open supplement request.</summary>
public sealed record PendingSupplement(DateTimeOffset RequestedAt, string StepId, ImmutableArray<DocumentEntry> Documents, string Reason, SupplementMode Mode, DateTimeOffset ClosesAt);

/// <summary>
/// Everything known about one dossier, folded from its events by <see cref="Decider.Evolve"/>.
/// Immutable to everyone outside this assembly; <see cref="Version"/> is the number of events folded.
/// Inside, the setters are internal so that a fold can write into its own private copy instead of
/// copying the whole state for every event (see Decider.Folder): a state is never changed once it
/// has been handed out.
/// </summary>
public sealed record DossierState
{
    public static DossierState Initial { get; } = new();

    public long Version { get; internal set; }

    public DateTimeOffset? LastEventAt { get; internal set; }

    public DossierStatus Status { get; internal set; }

    public string? Id { get; internal set; }

    public string? Code { get; internal set; }

    public string? ProcedureCode { get; internal set; }

    public int ProcedureVersion { get; internal set; }

    public string? ProcedureName { get; internal set; }

    public string? RuleSet { get; internal set; }

    public string? Jurisdiction { get; internal set; }

    public Channel Channel { get; internal set; }

    public Applicant? Applicant { get; internal set; }

    public ImmutableDictionary<string, string> Inputs { get; internal set; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableArray<DocumentEntry> Documents { get; internal set; } = [];

    public Actor? ReceivedBy { get; internal set; }

    public DateTimeOffset? SubmittedAt { get; internal set; }

    public DateTimeOffset? AcceptBy { get; internal set; }

    public bool AcceptanceOverdue { get; internal set; }

    public DateTimeOffset? ReceivedAt { get; internal set; }

    public DateTimeOffset? CountingFrom { get; internal set; }

    public string? TimeLimit { get; internal set; }

    /// <summary>The appointment in force (moved by an apology, a resumed or restarted clock).</summary>
    public DateTimeOffset? AppointmentAt { get; internal set; }

    /// <summary>The appointment printed on the receipt.</summary>
    public DateTimeOffset? OriginalAppointmentAt { get; internal set; }

    /// <summary>True once the dossier missed an appointment.</summary>
    public bool Overdue { get; internal set; }

    /// <summary>How many appointments were missed (2 and more: breach).</summary>
    public int MissedAppointments { get; internal set; }

    /// <summary>The appointment last flagged as missed (each appointment is flagged once).</summary>
    public DateTimeOffset? MissedAppointmentAt { get; internal set; }

    public ApologyIssued? Apology { get; internal set; }

    public PendingSupplement? Supplement { get; internal set; }

    public int SupplementRequests { get; internal set; }

    public ImmutableArray<StepState> Steps { get; internal set; } = [];

    public ImmutableArray<LetterRef> Letters { get; internal set; } = [];

    /// <summary>The decisive outcome (last step outcome other than "done"), once the result is ready.</summary>
    public string? Outcome { get; internal set; }

    public string? RefusalReason { get; internal set; }

    public DateTimeOffset? ResultReadyAt { get; internal set; }

    public DateTimeOffset? ReturnedAt { get; internal set; }

    public DateTimeOffset? FinishedAt { get; internal set; }

    public int? Score { get; internal set; }

    public bool IsReceived => ReceivedAt is not null;

    /// <summary>No command but evaluation (after return) is accepted any more.</summary>
    public bool IsFinished => DossierLifecycle.IsFinished(Status);

    public int StepIndex(string stepId)
    {
        var steps = Steps.AsSpan();
        for (var i = 0; i < steps.Length; i++)
        {
            if (string.Equals(steps[i].Id, stepId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public StepState? FindStep(string stepId)
    {
        var i = StepIndex(stepId);
        return i < 0 ? null : Steps[i];
    }
}
