using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Dossiers.State;

/// <summary>
/// The dossier's status and the appointment in force after an event: written once, used by the decider's fold
/// (<see cref="Decider.Evolve"/>) and by every read model that shows them, so a rule such as "an apology moves the
/// appointment" has one home. Pure and total: an event that changes neither leaves them as they were.
/// </summary>
public static class DossierLifecycle
{
    /// <summary>
    /// The status after <paramref name="e"/>. Receipt guidance leaves the status as it was (the dossier is not
    /// received); the first started step moves a received dossier into processing.
    /// </summary>
    public static DossierStatus StatusAfter(DossierStatus status, DossierEvent e) => e switch
    {
        DossierSubmitted => DossierStatus.Submitted,
        DossierReceived => DossierStatus.Received,
        DossierRefused => DossierStatus.Refused,
        StepStarted when status == DossierStatus.Received => DossierStatus.InProgress,
        SupplementRequested => DossierStatus.AwaitingSupplement,
        SupplementProvided => DossierStatus.InProgress,
        ResultReady => DossierStatus.ResultReady,
        ResultReturned => DossierStatus.Returned,
        DossierWithdrawn => DossierStatus.Withdrawn,
        DossierClosed => DossierStatus.Closed,
        _ => status,
    };

    /// <summary>
    /// The appointment in force after <paramref name="e"/>: set at receipt, recomputed when a supplement restarts or
    /// resumes the clock, moved by an apology letter (the new appointment the agency at fault promises) and by a
    /// calendar change that recounts it.
    /// </summary>
    public static DateTimeOffset? AppointmentAfter(DateTimeOffset? appointment, DossierEvent e) => e switch
    {
        DossierReceived r => r.AppointmentAt,
        SupplementProvided p => p.AppointmentAt,
        ApologyIssued a => a.NewAppointmentAt,
        DossierReplanned p => p.AppointmentAt,
        _ => appointment,
    };

    /// <summary>Whether the status is an end (returned, refused, withdrawn, closed): no work waits on anyone.</summary>
    public static bool IsFinished(DossierStatus status) =>
        status is DossierStatus.Returned or DossierStatus.Refused or DossierStatus.Withdrawn or DossierStatus.Closed;
}
