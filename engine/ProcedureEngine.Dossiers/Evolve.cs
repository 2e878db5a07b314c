using System.Collections.Immutable;
using System.Runtime.InteropServices;
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
        // Step events are most of a stream: fold them with a single copy of the state.
        switch (@event)
        {
            case StepStarted e when state.StepIndex(e.StepId) is var i and >= 0:
                return state with
                {
                    Version = state.Version + 1,
                    LastEventAt = e.At,
                    Status = state.Status == DossierStatus.Received ? DossierStatus.InProgress : state.Status,
                    Steps = state.Steps.SetItem(i, state.Steps[i] with { Status = StepStatus.Active, StartedAt = e.At, DueAt = e.DueAt }),
                };
            case StepCompleted e when state.StepIndex(e.StepId) is var i and >= 0:
                return WithStep(state, e, i, state.Steps[i] with { Status = StepStatus.Done, CompletedAt = e.At, Outcome = e.Outcome, CompletedBy = e.By });
            case StepSkipped e when state.StepIndex(e.StepId) is var i and >= 0:
                return WithStep(state, e, i, state.Steps[i] with { Status = StepStatus.Skipped, CompletedAt = e.At });
            case DeadlineWarning e when state.StepIndex(e.StepId) is var i and >= 0:
                return WithStep(state, e, i, state.Steps[i] with { Warned = true });
            case StepOverdue e when state.StepIndex(e.StepId) is var i and >= 0:
                return WithStep(state, e, i, state.Steps[i] with { Overdue = true });
        }

        // Every other event: still exactly one copy of the state (Version and time set in each case).
        var v = state.Version + 1;
        var at = @event.At;
        return @event switch
        {
            DossierSubmitted e => state with
            {
                Version = v,
                LastEventAt = at,
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
            ReceiptGuidanceIssued e => state with
            {
                Version = v,
                LastEventAt = at,
                Id = e.DossierId,
                ProcedureCode = e.ProcedureCode,
                ProcedureVersion = e.ProcedureVersion,
                Applicant = e.Applicant,
                Letters = AddLetter(state.Letters, e.RuleSet, FormKind.SupplementRequest, at, v, state.Code, null),
            },
            DossierReceived e => state with
            {
                Version = v,
                LastEventAt = at,
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
                Letters = AddLetter(state.Letters, e.RuleSet, FormKind.Receipt, at, v, e.DossierCode, null),
            },
            DossierRefused e => state with
            {
                Version = v,
                LastEventAt = at,
                Status = DossierStatus.Refused,
                Id = state.Id ?? e.DossierId,
                Applicant = state.Applicant ?? e.Applicant,
                ProcedureCode = state.ProcedureCode ?? e.ProcedureCode,
                ProcedureVersion = e.ProcedureVersion ?? state.ProcedureVersion,
                RuleSet = state.RuleSet ?? e.RuleSet,
                RefusalReason = e.Reason,
                FinishedAt = e.At,
                Letters = AddLetter(state.Letters, state.RuleSet ?? e.RuleSet, FormKind.Refusal, at, v, state.Code, null),
            },
            StepStarted or StepCompleted or StepSkipped or DeadlineWarning or StepOverdue => state with { Version = v, LastEventAt = at }, // unknown step: only counted
            SupplementRequested e => state with
            {
                Version = v,
                LastEventAt = at,
                Status = DossierStatus.AwaitingSupplement,
                Supplement = new PendingSupplement(e.At, e.StepId, e.Documents, e.Reason, e.Mode, e.ClosesAt),
                SupplementRequests = state.SupplementRequests + 1,
                Letters = AddLetter(state.Letters, state.RuleSet, FormKind.SupplementRequest, at, v, state.Code, null),
            },
            SupplementProvided e => state with
            {
                Version = v,
                LastEventAt = at,
                Status = DossierStatus.InProgress,
                Supplement = null,
                AppointmentAt = e.AppointmentAt,
                Steps = Replan(state, e.StepDues),
            },
            DossierOverdue e => state with
            {
                Version = v,
                LastEventAt = at,
                Overdue = true,
                MissedAppointments = state.MissedAppointments + 1,
                MissedAppointmentAt = e.AppointmentAt,
            },
            ApologyIssued e => state with
            {
                Version = v,
                LastEventAt = at,
                Apology = e,
                AppointmentAt = e.NewAppointmentAt,
                Letters = AddLetter(state.Letters, state.RuleSet, FormKind.Apology, at, v, state.Code, e.NewAppointmentAt),
            },
            ResultReady e => state with { Version = v, LastEventAt = at, Status = DossierStatus.ResultReady, Outcome = e.Outcome, ResultReadyAt = e.At },
            ResultReturned e => state with { Version = v, LastEventAt = at, Status = DossierStatus.Returned, ReturnedAt = e.At, FinishedAt = e.At },
            DossierWithdrawn e => state with
            {
                Version = v,
                LastEventAt = at,
                Status = DossierStatus.Withdrawn,
                FinishedAt = e.At,
                Supplement = null,
                Letters = AddLetter(state.Letters, state.RuleSet, FormKind.StopNotice, at, v, state.Code, null),
            },
            DossierClosed e => state with
            {
                Version = v,
                LastEventAt = at,
                Status = DossierStatus.Closed,
                FinishedAt = e.At,
                Supplement = null,
                Letters = AddLetter(state.Letters, state.RuleSet, FormKind.StopNotice, at, v, state.Code, null),
            },
            DossierEvaluated e => state with { Version = v, LastEventAt = at, Score = e.Score },
            AcceptanceOverdue => state with { Version = v, LastEventAt = at, AcceptanceOverdue = true },
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

    private static DossierState WithStep(DossierState state, DossierEvent e, int index, StepState step) =>
        state with { Version = state.Version + 1, LastEventAt = e.At, Steps = state.Steps.SetItem(index, step) };

    private static ImmutableArray<StepState> Replan(DossierState state, ImmutableArray<StepDue> dues)
    {
        if (dues.IsDefaultOrEmpty)
        {
            return state.Steps;
        }

        var steps = state.Steps.ToArray();
        foreach (var due in dues)
        {
            var i = state.StepIndex(due.StepId);
            if (i >= 0)
            {
                steps[i] = steps[i] with { DueAt = due.DueAt, Warned = false, Overdue = false };
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(steps);
    }

    private static ImmutableArray<LetterRef> AddLetter(ImmutableArray<LetterRef> letters, string? ruleSetId, FormKind kind, DateTimeOffset at, long seq, string? code, DateTimeOffset? newAppointment)
    {
        var form = ruleSetId is null ? null : RuleSets.Find(ruleSetId)?.Form(kind);
        return form is null ? letters : letters.Add(new LetterRef(form.Number, kind, form.Title, at, seq, code, newAppointment));
    }
}
