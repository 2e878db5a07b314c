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
        var next = state with { };
        var folder = new Folder(next);
        folder.Apply(@event);
        folder.Complete();
        return next;
    }

    /// <summary>Rebuilds a dossier from its events: one private state written in place, frozen at the end.</summary>
    public static DossierState Fold(IEnumerable<DossierEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var state = DossierState.Initial with { };
        var folder = new Folder(state);
        foreach (var e in events)
        {
            folder.Apply(e);
        }

        folder.Complete();
        return state;
    }

    /// <summary>
    /// Writes events into a state nobody else holds yet. The step list and the letters are copied at
    /// most once (on the first change) and written back by <see cref="Complete"/>, so folding a whole
    /// stream costs one state, one step array and one letter list instead of a copy of each per event.
    /// The single implementation of the fold: <see cref="Evolve"/>, <see cref="Fold"/> and the
    /// decider's running state all go through it.
    /// </summary>
    private ref struct Folder(DossierState target)
    {
        private readonly DossierState _s = target;
        private StepState[]? _steps;
        private ImmutableArray<LetterRef>.Builder? _letters;

        /// <summary>Writes the copied step list and letters back into the state. The folder may go on afterwards.</summary>
        public void Complete()
        {
            if (_steps is not null)
            {
                _s.Steps = ImmutableCollectionsMarshal.AsImmutableArray(_steps);
                _steps = null;
            }

            if (_letters is not null)
            {
                _s.Letters = _letters.Count == _letters.Capacity ? _letters.MoveToImmutable() : _letters.ToImmutable();
                _letters = null;
            }
        }

        public void Apply(DossierEvent @event)
        {
            var s = _s;
            s.Version++;
            s.LastEventAt = @event.At;

            // Status and appointment follow the one rule the read models share (an event naming an unknown step is only counted).
            if (@event is not StepStarted { StepId: var startedId } || s.StepIndex(startedId) >= 0)
            {
                s.Status = DossierLifecycle.StatusAfter(s.Status, @event);
                s.AppointmentAt = DossierLifecycle.AppointmentAfter(s.AppointmentAt, @event);
            }

            switch (@event)
            {
                // Step events are most of a stream.
                case StepStarted e:
                    if (s.StepIndex(e.StepId) is var started and >= 0)
                    {
                        SetStep(started, Step(started) with { Status = StepStatus.Active, StartedAt = e.At, DueAt = e.DueAt });
                    }

                    break;
                case StepCompleted e:
                    if (s.StepIndex(e.StepId) is var completed and >= 0)
                    {
                        SetStep(completed, Step(completed) with { Status = StepStatus.Done, CompletedAt = e.At, Outcome = e.Outcome, CompletedBy = e.By });
                    }

                    break;
                case StepSkipped e:
                    if (s.StepIndex(e.StepId) is var skipped and >= 0)
                    {
                        SetStep(skipped, Step(skipped) with { Status = StepStatus.Skipped, CompletedAt = e.At });
                    }

                    break;
                case DeadlineWarning e:
                    if (s.StepIndex(e.StepId) is var warned and >= 0)
                    {
                        SetStep(warned, Step(warned) with { Warned = true });
                    }

                    break;
                case StepOverdue e:
                    if (s.StepIndex(e.StepId) is var late and >= 0)
                    {
                        SetStep(late, Step(late) with { Overdue = true });
                    }

                    break;
                case DossierSubmitted e:
                    Identify(e.DossierId, e.ProcedureCode, e.ProcedureVersion, e.Applicant);
                    Lodged(Channel.Online, e.Inputs, e.Documents, e.Jurisdiction);
                    s.SubmittedAt = e.At;
                    s.AcceptBy = e.AcceptBy;
                    break;
                case ReceiptGuidanceIssued e:
                    Identify(e.DossierId, e.ProcedureCode, e.ProcedureVersion, e.Applicant);
                    AddLetter(e.RuleSet, FormKind.SupplementRequest, s.Code, null);
                    break;
                case DossierReceived e:
                    Identify(e.DossierId, e.ProcedureCode, e.ProcedureVersion, e.Applicant);
                    s.Code = e.DossierCode;
                    s.ProcedureName = e.ProcedureName;
                    s.RuleSet = e.RuleSet;
                    Lodged(e.Channel, e.Inputs, e.Documents, e.Jurisdiction);
                    s.ReceivedBy = e.By;
                    s.ReceivedAt = e.At;
                    s.CountingFrom = e.CountingFrom;
                    s.TimeLimit = e.TimeLimit;
                    s.OriginalAppointmentAt = e.AppointmentAt;
                    _steps = null;
                    s.Steps = [.. e.Steps.Select(p => new StepState(p.Id, p.Name, p.Agency, p.AgencyName, p.After, p.IsReturn))];
                    AddLetter(e.RuleSet, FormKind.Receipt, e.DossierCode, null);
                    break;
                case DossierRefused e:
                    s.Id ??= e.DossierId;
                    s.Applicant ??= e.Applicant;
                    s.ProcedureCode ??= e.ProcedureCode;
                    s.ProcedureVersion = e.ProcedureVersion ?? s.ProcedureVersion;
                    s.RuleSet ??= e.RuleSet;
                    s.RefusalReason = e.Reason;
                    s.FinishedAt = e.At;
                    AddLetter(s.RuleSet, FormKind.Refusal, s.Code, null);
                    break;
                case SupplementRequested e:
                    s.Supplement = new PendingSupplement(e.At, e.StepId, e.Documents, e.Reason, e.Mode, e.ClosesAt);
                    s.SupplementRequests++;
                    AddLetter(s.RuleSet, FormKind.SupplementRequest, s.Code, null);
                    break;
                case SupplementProvided e:
                    s.Supplement = null;
                    Replan(e.StepDues);
                    break;
                case DossierOverdue e:
                    s.Overdue = true;
                    s.MissedAppointments++;
                    s.MissedAppointmentAt = e.AppointmentAt;
                    break;
                case ApologyIssued e:
                    s.Apology = e;
                    AddLetter(s.RuleSet, FormKind.Apology, s.Code, e.NewAppointmentAt);
                    break;
                case ResultReady e:
                    s.Outcome = e.Outcome;
                    s.ResultReadyAt = e.At;
                    break;
                case ResultReturned e:
                    s.ReturnedAt = e.At;
                    s.FinishedAt = e.At;
                    break;
                case DossierWithdrawn or DossierClosed:
                    // Stopped: by the applicant, or because the requested documents never came.
                    s.FinishedAt = @event.At;
                    s.Supplement = null;
                    AddLetter(s.RuleSet, FormKind.StopNotice, s.Code, null);
                    break;
                case DossierEvaluated e:
                    s.Score = e.Score;
                    break;
                case AcceptanceOverdue:
                    s.AcceptanceOverdue = true;
                    break;
                case DossierReplanned e:
                    Replan(e.StepDues);
                    if (e.AppointmentMoved)
                    {
                        AddLetter(s.RuleSet, FormKind.AppointmentNotice, s.Code, e.AppointmentAt);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"unhandled event type {@event.GetType().Name}");
            }
        }

        /// <summary>Which dossier, procedure version and applicant the events are about.</summary>
        private readonly void Identify(string id, string procedureCode, int procedureVersion, Applicant applicant)
        {
            _s.Id = id;
            _s.ProcedureCode = procedureCode;
            _s.ProcedureVersion = procedureVersion;
            _s.Applicant = applicant;
        }

        /// <summary>What was lodged, as the online submission and the receipt both record it.</summary>
        private readonly void Lodged(Channel channel, ImmutableDictionary<string, string> inputs, ImmutableArray<DocumentEntry> documents, string? jurisdiction)
        {
            _s.Channel = channel;
            _s.Inputs = inputs;
            _s.Documents = documents;
            _s.Jurisdiction = jurisdiction;
        }

        private readonly StepState Step(int index) => _steps is null ? _s.Steps[index] : _steps[index];

        private void SetStep(int index, StepState step) => (_steps ??= _s.Steps.AsSpan().ToArray())[index] = step;

        private void Replan(ImmutableArray<StepDue> dues)
        {
            if (dues.IsDefaultOrEmpty)
            {
                return;
            }

            foreach (var due in dues)
            {
                var i = _s.StepIndex(due.StepId);
                if (i >= 0)
                {
                    SetStep(i, Step(i) with { DueAt = due.DueAt, Warned = false, Overdue = false });
                }
            }
        }

        private void AddLetter(string? ruleSetId, FormKind kind, string? code, DateTimeOffset? newAppointment)
        {
            var form = ruleSetId is null ? null : RuleSets.Find(ruleSetId)?.Form(kind);
            if (form is null)
            {
                return;
            }

            if (_letters is null)
            {
                _letters = ImmutableArray.CreateBuilder<LetterRef>(Math.Max(4, _s.Letters.Length + 1));
                _letters.AddRange(_s.Letters);
            }

            _letters.Add(new LetterRef(form.Number, kind, form.Title, _s.LastEventAt!.Value, _s.Version, code, newAppointment));
        }
    }
}
