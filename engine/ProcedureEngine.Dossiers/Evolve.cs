using System.Collections.Immutable;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Dossiers.State;

namespace ProcedureEngine.Dossiers;

public static partial class Decider
{
    /// <summary>Folds one event into the state. Total and pure: needs neither definition nor calendar.</summary>
    public static DossierState Evolve(DossierState state, DossierEvent @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(@event);
        var s = state with { Version = state.Version + 1, LastEventAt = @event.At };
        return @event switch
        {
            DossierSubmitted e => s with
            {
                Status = DossierStatus.Submitted,
                Id = e.DossierId,
                ProcedureCode = e.ProcedureCode,
                ProcedureVersion = e.ProcedureVersion,
                Channel = Channel.Online,
                Applicant = e.Applicant,
                Inputs = e.Inputs,
                Documents = e.Documents,
                SubmittedAt = e.At,
                AcceptBy = e.AcceptBy,
            },
            ReceiptGuidanceIssued e => WithLetter(
                s with { Id = e.DossierId, ProcedureCode = e.ProcedureCode, ProcedureVersion = e.ProcedureVersion, Applicant = e.Applicant },
                e.RuleSet, FormKind.SupplementRequest, e.At, null),
            DossierReceived e => WithLetter(
                s with
                {
                    Status = DossierStatus.Received,
                    Id = e.DossierId,
                    Code = e.DossierCode,
                    ProcedureCode = e.ProcedureCode,
                    ProcedureVersion = e.ProcedureVersion,
                    ProcedureName = e.ProcedureName,
                    RuleSet = e.RuleSet,
                    Jurisdiction = e.Jurisdiction,
                    Channel = e.Channel,
                    ReceivedBy = e.By,
                    Applicant = e.Applicant,
                    Inputs = e.Inputs,
                    Documents = e.Documents,
                    ReceivedAt = e.At,
                    CountingFrom = e.CountingFrom,
                    TimeLimit = e.TimeLimit,
                    AppointmentAt = e.AppointmentAt,
                    OriginalAppointmentAt = e.AppointmentAt,
                    Steps = [.. e.Steps.Select(p => new StepState(p.Id, p.Name, p.Agency, p.AgencyName, p.After, p.IsReturn))],
                },
                e.RuleSet, FormKind.Receipt, e.At, null),
            DossierRefused e => WithLetter(
                s with
                {
                    Status = DossierStatus.Refused,
                    Id = s.Id ?? e.DossierId,
                    Applicant = s.Applicant ?? e.Applicant,
                    ProcedureCode = s.ProcedureCode ?? e.ProcedureCode,
                    ProcedureVersion = e.ProcedureVersion ?? s.ProcedureVersion,
                    RuleSet = s.RuleSet ?? e.RuleSet,
                    RefusalReason = e.Reason,
                    FinishedAt = e.At,
                },
                s.RuleSet ?? e.RuleSet, FormKind.Refusal, e.At, null),
            StepStarted e => UpdateStep(
                s with { Status = s.Status == DossierStatus.Received ? DossierStatus.InProgress : s.Status },
                e.StepId,
                st => st with { Status = StepStatus.Active, StartedAt = e.At, DueAt = e.DueAt }),
            StepCompleted e => UpdateStep(s, e.StepId, st => st with { Status = StepStatus.Done, CompletedAt = e.At, Outcome = e.Outcome, CompletedBy = e.By }),
            StepSkipped e => UpdateStep(s, e.StepId, st => st with { Status = StepStatus.Skipped, CompletedAt = e.At }),
            DeadlineWarning e => UpdateStep(s, e.StepId, st => st with { Warned = true }),
            StepOverdue e => UpdateStep(s, e.StepId, st => st with { Overdue = true }),
            SupplementRequested e => WithLetter(
                s with
                {
                    Status = DossierStatus.AwaitingSupplement,
                    Supplement = new PendingSupplement(e.At, e.StepId, e.Documents, e.Reason, e.Mode, e.ClosesAt),
                    SupplementRequests = s.SupplementRequests + 1,
                },
                s.RuleSet, FormKind.SupplementRequest, e.At, null),
            SupplementProvided e => Replan(s with { Status = DossierStatus.InProgress, Supplement = null, AppointmentAt = e.AppointmentAt }, e.StepDues),
            DossierOverdue e => s with { Overdue = true, MissedAppointments = s.MissedAppointments + 1, MissedAppointmentAt = e.AppointmentAt },
            ApologyIssued e => WithLetter(s with { Apology = e, AppointmentAt = e.NewAppointmentAt }, s.RuleSet, FormKind.Apology, e.At, e.NewAppointmentAt),
            ResultReady e => s with { Status = DossierStatus.ResultReady, Outcome = e.Outcome, ResultReadyAt = e.At },
            ResultReturned e => s with { Status = DossierStatus.Returned, ReturnedAt = e.At, FinishedAt = e.At },
            DossierWithdrawn e => WithLetter(s with { Status = DossierStatus.Withdrawn, FinishedAt = e.At, Supplement = null }, s.RuleSet, FormKind.StopNotice, e.At, null),
            DossierClosed e => WithLetter(s with { Status = DossierStatus.Closed, FinishedAt = e.At, Supplement = null }, s.RuleSet, FormKind.StopNotice, e.At, null),
            DossierEvaluated e => s with { Score = e.Score },
            AcceptanceOverdue => s with { AcceptanceOverdue = true },
            _ => throw new InvalidOperationException($"unhandled event type {@event.GetType().Name}"),
        };
    }

    /// <summary>Rebuilds a dossier from its events.</summary>
    public static DossierState Fold(IEnumerable<DossierEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var state = DossierState.Initial;
        foreach (var e in events)
        {
            state = Evolve(state, e);
        }

        return state;
    }

    private static DossierState UpdateStep(DossierState state, string stepId, Func<StepState, StepState> change)
    {
        var i = state.StepIndex(stepId);
        return i < 0 ? state : state with { Steps = state.Steps.SetItem(i, change(state.Steps[i])) };
    }

    private static DossierState Replan(DossierState state, ImmutableArray<StepDue> dues)
    {
        if (dues.IsDefaultOrEmpty)
        {
            return state;
        }

        var builder = state.Steps.ToBuilder();
        foreach (var due in dues)
        {
            var i = state.StepIndex(due.StepId);
            if (i >= 0)
            {
                builder[i] = builder[i] with { DueAt = due.DueAt, Warned = false, Overdue = false };
            }
        }

        return state with { Steps = builder.MoveToImmutable() };
    }

    private static DossierState WithLetter(DossierState state, string? ruleSetId, FormKind kind, DateTimeOffset at, DateTimeOffset? newAppointment)
    {
        var form = ruleSetId is null ? null : RuleSets.Find(ruleSetId)?.Form(kind);
        return form is null
            ? state
            : state with { Letters = state.Letters.Add(new LetterRef(form.Number, kind, form.Title, at, state.Version, state.Code, newAppointment)) };
    }
}
