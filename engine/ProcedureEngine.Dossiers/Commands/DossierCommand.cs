using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Dossiers.Commands;

/// <summary>
/// A request to change a dossier, made by <see cref="By"/> at <see cref="At"/> (time comes in with the
/// command: the decider never reads a clock). Closed hierarchy.
/// </summary>
public abstract record DossierCommand
{
    private protected DossierCommand(DateTimeOffset at, Actor by)
    {
        At = at;
        By = by;
    }

    public DateTimeOffset At { get; init; }

    public Actor By { get; init; }

    /// <summary>Scenario / API action name (e.g. "request-supplement").</summary>
    public abstract string Action { get; }
}

/// <summary>The applicant lodges the dossier online (it then waits for a one-stop officer to accept it).</summary>
public sealed record SubmitOnline(
    DateTimeOffset At,
    Actor By,
    string DossierId,
    Applicant Applicant,
    ImmutableDictionary<string, string> Inputs,
    ImmutableArray<string> Documents) : DossierCommand(At, By)
{
    public override string Action => "submit";
}

/// <summary>
/// A one-stop officer receives the dossier. Applicant, inputs and documents may be omitted for an
/// online dossier already submitted (the submission's are used).
/// </summary>
public sealed record ReceiveDossier(
    DateTimeOffset At,
    Actor By,
    string DossierId,
    Applicant? Applicant,
    ImmutableDictionary<string, string>? Inputs,
    ImmutableArray<string>? Documents,
    Channel Channel = Channel.Counter) : DossierCommand(At, By)
{
    public override string Action => "receive";
}

/// <summary>A one-stop officer refuses to receive the dossier (form 03), with the reason.</summary>
public sealed record RefuseDossier(DateTimeOffset At, Actor By, string DossierId, string Reason, Applicant? Applicant) : DossierCommand(At, By)
{
    public override string Action => "refuse";
}

/// <summary>The owning agency ends its step with an outcome (default: the step's first ordinary outcome).</summary>
public sealed record CompleteStep(DateTimeOffset At, Actor By, string StepId, string? Outcome = null, string? Note = null) : DossierCommand(At, By)
{
    public override string Action => "complete";
}

/// <summary>The agency of an active step asks the applicant for declared documents (form 02).</summary>
public sealed record RequestSupplement(DateTimeOffset At, Actor By, string StepId, ImmutableArray<string> Documents, string Reason) : DossierCommand(At, By)
{
    public override string Action => "request-supplement";
}

/// <summary>The applicant brings the requested documents.</summary>
public sealed record ProvideSupplement(DateTimeOffset At, Actor By, ImmutableArray<string> Documents) : DossierCommand(At, By)
{
    public override string Action => "supplement";
}

/// <summary>The one-stop unit hands the result to the applicant.</summary>
public sealed record ReturnResult(DateTimeOffset At, Actor By) : DossierCommand(At, By)
{
    public override string Action => "return";
}

/// <summary>The applicant stops the dossier before the decision.</summary>
public sealed record WithdrawDossier(DateTimeOffset At, Actor By, string? Reason = null) : DossierCommand(At, By)
{
    public override string Action => "withdraw";
}

/// <summary>The applicant rates the service, 1..5, after the return.</summary>
public sealed record EvaluateDossier(DateTimeOffset At, Actor By, int Score, string? Comment = null) : DossierCommand(At, By)
{
    /// <summary>
    /// The Decision 766 criteria, each 1..5 (<see cref="EvaluationCriteria"/>): time taken, number of contacts, accuracy of
    /// the published information, staff attitude. Optional; <see cref="Score"/> is the overall rating.
    /// </summary>
    public ImmutableDictionary<string, int>? Criteria { get; init; }

    public override string Action => "evaluate";
}

/// <summary>
/// The agency at fault apologises and sets a new appointment (form 04); only once per dossier.
/// Without <see cref="NewAppointmentAt"/> the engine computes it from the remaining plan.
/// </summary>
public sealed record IssueApology(DateTimeOffset At, Actor By, string? AgencyAtFault, string Reason, DateTimeOffset? NewAppointmentAt = null) : DossierCommand(At, By)
{
    public override string Action => "apologize";
}

/// <summary>
/// A new version of the dossier's calendar was published at <see cref="DossierCommand.At"/>: re-plan what is left
/// of the dossier's windows. The decider's context carries the new calendar; <see cref="Previous"/> is the one
/// the dues were computed on and <see cref="Diff"/> what changed between them. Gives no event when no open
/// window crosses a changed day (or the dossier is finished); never a rejection for that.
/// </summary>
public sealed record ApplyCalendarChange(DateTimeOffset At, Actor By, IWorkingCalendar Previous, CalendarDiff Diff, string? Decision = null) : DossierCommand(At, By)
{
    public override string Action => "calendar-change";
}

/// <summary>The criteria of the satisfaction rating under Quyết định 766/QĐ-TTg.</summary>
public static class EvaluationCriteria
{
    public const string TimeTaken = "timeTaken";
    public const string Contacts = "contacts";
    public const string Accuracy = "accuracy";
    public const string Attitude = "attitude";

    public static readonly ImmutableArray<string> All = [TimeTaken, Contacts, Accuracy, Attitude];
}
