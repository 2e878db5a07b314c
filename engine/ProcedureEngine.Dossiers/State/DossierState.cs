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
/// Immutable; <see cref="Version"/> is the number of events folded.
/// </summary>
public sealed record DossierState
{
    public static DossierState Initial { get; } = new();

    public long Version { get; init; }

    public DateTimeOffset? LastEventAt { get; init; }

    public DossierStatus Status { get; init; }

    public string? Id { get; init; }

    public string? Code { get; init; }

    public string? ProcedureCode { get; init; }

    public int ProcedureVersion { get; init; }

    public string? ProcedureName { get; init; }

    public string? RuleSet { get; init; }

    public string? Jurisdiction { get; init; }

    public Channel Channel { get; init; }

    public Applicant? Applicant { get; init; }

    public ImmutableDictionary<string, string> Inputs { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableArray<DocumentEntry> Documents { get; init; } = [];

    public Actor? ReceivedBy { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    public DateTimeOffset? AcceptBy { get; init; }

    public bool AcceptanceOverdue { get; init; }

    public DateTimeOffset? ReceivedAt { get; init; }

    public DateTimeOffset? CountingFrom { get; init; }

    public string? TimeLimit { get; init; }

    /// <summary>The appointment in force (moved by an apology, a resumed or restarted clock).</summary>
    public DateTimeOffset? AppointmentAt { get; init; }

    /// <summary>The appointment printed on the receipt.</summary>
    public DateTimeOffset? OriginalAppointmentAt { get; init; }

    /// <summary>True once the dossier missed an appointment.</summary>
    public bool Overdue { get; init; }

    /// <summary>How many appointments were missed (2 and more: breach).</summary>
    public int MissedAppointments { get; init; }

    /// <summary>The appointment last flagged as missed (each appointment is flagged once).</summary>
    public DateTimeOffset? MissedAppointmentAt { get; init; }

    public ApologyIssued? Apology { get; init; }

    public PendingSupplement? Supplement { get; init; }

    public int SupplementRequests { get; init; }

    public ImmutableArray<StepState> Steps { get; init; } = [];

    public ImmutableArray<LetterRef> Letters { get; init; } = [];

    /// <summary>The decisive outcome (last step outcome other than "done"), once the result is ready.</summary>
    public string? Outcome { get; init; }

    public string? RefusalReason { get; init; }

    public DateTimeOffset? ResultReadyAt { get; init; }

    public DateTimeOffset? ReturnedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public int? Score { get; init; }

    public bool IsReceived => ReceivedAt is not null;

    /// <summary>No command but evaluation (after return) is accepted any more.</summary>
    public bool IsFinished => Status is DossierStatus.Returned or DossierStatus.Refused or DossierStatus.Withdrawn or DossierStatus.Closed;

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
