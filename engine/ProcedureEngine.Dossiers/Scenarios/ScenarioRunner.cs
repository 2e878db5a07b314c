using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Dossiers.State;

namespace ProcedureEngine.Dossiers.Scenarios;

/// <summary>An event the run produced, with what a store needs besides the event itself.</summary>
/// <param name="Seq">1-based position in the dossier's stream.</param>
/// <param name="By">Who caused it; null for time-driven events.</param>
/// <param name="ActionIndex">1-based index of the scenario action that produced it (causation).</param>
public sealed record RecordedEvent(long Seq, DossierEvent Event, Actor? By, string Action, int ActionIndex);

/// <summary>What one scenario action did: the events it appended, or why it was rejected.</summary>
public sealed record ActionResult(ScenarioAction Action, DateTimeOffset At, ImmutableArray<DossierEvent> Events, Rejection? Rejection);

/// <summary>The outcome of running a scenario.</summary>
public sealed record ScenarioRun(string DossierId, DossierState State, ImmutableArray<RecordedEvent> Events, ImmutableArray<ActionResult> Actions)
{
    public IEnumerable<ActionResult> Rejected => Actions.Where(a => a.Rejection is not null);
}

/// <summary>
/// Runs a scenario through the decider: each action becomes a command (or a tick) at its time; a
/// rejected command is recorded with its reason and the run goes on. Pure: the caller loads the
/// definition and calendar.
/// </summary>
public static class ScenarioRunner
{
    /// <summary>The decider context for a scenario: forced rule set, code sequence, jurisdiction.</summary>
    public static DossierContext CreateContext(Scenario scenario, ProcedureDefinition definition, IWorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var rules = scenario.Rules is null ? null : RuleSets.Find(scenario.Rules);
        return new DossierContext(definition, calendar, rules, scenario.Dossier.Sequence, scenario.Jurisdiction);
    }

    /// <param name="calendarFiles">calendar-change actions' `calendar:` files, by the path written in the scenario (loaded by the caller).</param>
    public static ScenarioRun Run(Scenario scenario, DossierContext context, string? defaultDossierId = null, IReadOnlyDictionary<string, WorkingCalendar>? calendarFiles = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(context);
        var dossierId = scenario.Dossier.Id ?? defaultDossierId ?? "dossier-1";
        var state = DossierState.Initial;
        var events = ImmutableArray.CreateBuilder<RecordedEvent>();
        var results = ImmutableArray.CreateBuilder<ActionResult>();
        foreach (var action in scenario.Actions)
        {
            var at = action.Instant(context.Calendar.UtcOffset);
            Decision decision;
            Actor? by = null;
            if (action.Do == ScenarioActions.Tick)
            {
                decision = Decider.Tick(state, at, context);
            }
            else if (action.Do == ScenarioActions.CalendarChange)
            {
                var (change, next, problem) = CalendarChange(action, at, context, calendarFiles);
                if (change is null)
                {
                    decision = Decision.Reject(state, problem!);
                }
                else
                {
                    by = change.By;
                    decision = Decider.Decide(change, state, context = context.WithCalendar(next!));
                }
            }
            else
            {
                var command = ToCommand(action, at, scenario, state, context, dossierId);
                by = command.By;
                decision = Decider.Decide(command, state, context);
            }

            for (var i = 0; i < decision.Events.Length; i++)
            {
                events.Add(new RecordedEvent(state.Version + i + 1, decision.Events[i], by, action.Do, action.Index));
            }

            state = decision.State;
            results.Add(new ActionResult(action, at, decision.Events, decision.Rejection));
        }

        return new ScenarioRun(dossierId, state, events.ToImmutable(), results.ToImmutable());
    }

    /// <summary>
    /// The command for an action. A missing `by` defaults to: the one-stop unit for receive, refuse
    /// and return; the step's agency for complete and request-supplement; the agency at fault for
    /// apologize; the applicant for submit, supplement, withdraw and evaluate.
    /// </summary>
    public static DossierCommand ToCommand(ScenarioAction action, DateTimeOffset at, Scenario scenario, DossierState state, DossierContext context, string dossierId)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(context);
        var definition = context.Definition;
        var d = scenario.Dossier;
        var oneStop = definition.Agencies.FirstOrDefault(a => a.OneStop)?.Id ?? "one-stop";
        var applicant = new Actor(d.Applicant.Name, "applicant");
        Actor Officer(string agency) => action.By ?? new Actor($"cb-{agency}", agency);
        string StepAgency() => definition.FindStep(action.Step ?? "")?.Agency ?? oneStop;

        return action.Do switch
        {
            ScenarioActions.Submit => new SubmitOnline(at, action.By ?? applicant, dossierId, d.Applicant, d.Inputs, action.Documents ?? d.Documents),
            ScenarioActions.Receive => state.Status == DossierStatus.Submitted && action.Documents is null
                ? new ReceiveDossier(at, Officer(oneStop), dossierId, null, null, null, Channel.Online)
                : new ReceiveDossier(at, Officer(oneStop), dossierId, d.Applicant, d.Inputs, action.Documents ?? d.Documents, d.Channel),
            ScenarioActions.Refuse => new RefuseDossier(at, Officer(oneStop), dossierId, action.Reason ?? "", d.Applicant),
            ScenarioActions.Complete => new CompleteStep(at, Officer(StepAgency()), action.Step ?? "", action.Outcome, action.Note ?? action.Reason),
            ScenarioActions.RequestSupplement => new RequestSupplement(at, Officer(StepAgency()), action.Step ?? "", action.Documents ?? [], action.Reason ?? ""),
            ScenarioActions.Supplement => new ProvideSupplement(at, action.By ?? applicant, action.Documents ?? []),
            ScenarioActions.Return => new ReturnResult(at, Officer(oneStop)),
            ScenarioActions.Withdraw => new WithdrawDossier(at, action.By ?? applicant, action.Reason),
            ScenarioActions.Evaluate => new EvaluateDossier(at, action.By ?? applicant, action.Score ?? 0, action.Note ?? action.Reason),
            ScenarioActions.Apologize => new IssueApology(at, Officer(action.Agency ?? action.By?.Agency ?? LateAgency(state) ?? oneStop), action.Agency, action.Reason ?? "",
                action.NewAppointment is { } na ? new DateTimeOffset(na, action.NewAppointmentOffset ?? context.Calendar.UtcOffset) : null),
            _ => throw new InvalidOperationException($"action '{action.Do}' is not a command"),
        };
    }

    /// <summary>
    /// The calendar a calendar-change action publishes (the current one with the listed days, or a whole file) and
    /// the command that re-plans the dossier on it; or why it cannot be built.
    /// </summary>
    public static (ApplyCalendarChange? Command, WorkingCalendar? Calendar, Rejection? Problem) CalendarChange(
        ScenarioAction action, DateTimeOffset at, DossierContext context, IReadOnlyDictionary<string, WorkingCalendar>? calendarFiles = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Calendar is not WorkingCalendar current)
        {
            return (null, null, new Rejection(RejectionCodes.InvalidInput, "Lịch hiện tại không đọc từ tệp lịch nên không thể thay đổi.", "The current calendar is not a calendar file; it cannot be changed."));
        }

        WorkingCalendar next;
        if (action.CalendarFile is { } file)
        {
            if (calendarFiles is null || !calendarFiles.TryGetValue(file, out var loaded))
            {
                return (null, null, new Rejection(RejectionCodes.InvalidInput, $"Không có tệp lịch \"{file}\".", $"Calendar file '{file}' was not loaded."));
            }

            next = loaded;
        }
        else
        {
            var years = current.Spec.Years.ToDictionary(y => y.Key, y => y.Value);
            foreach (var day in action.DaysOff)
            {
                var d = years.GetValueOrDefault(day.Year) ?? YearDecision.Empty;
                years[day.Year] = new YearDecision(
                    [.. d.DaysOff.Where(x => x.Date != day), new DecidedDay(day, action.Reason)],
                    [.. d.WorkingDays.Where(x => x.Date != day)]);
            }

            foreach (var day in action.WorkingDays)
            {
                var d = years.GetValueOrDefault(day.Year) ?? YearDecision.Empty;
                years[day.Year] = new YearDecision(
                    [.. d.DaysOff.Where(x => x.Date != day)],
                    [.. d.WorkingDays.Where(x => x.Date != day), new DecidedDay(day, null)]);
            }

            next = new WorkingCalendar(current.Spec with { Years = years, Version = (current.Spec.Version ?? 1) + 1, Decision = action.Decision ?? current.Spec.Decision });
        }

        var oneStop = context.Definition.Agencies.FirstOrDefault(a => a.OneStop)?.Id ?? "one-stop";
        var by = action.By ?? new Actor("he-thong", oneStop);
        return (new ApplyCalendarChange(at, by, current, CalendarDiff.Compare(current, next), action.Decision), next, null);
    }

    private static string? LateAgency(DossierState state) =>
        state.Steps.Where(s => s.Status == StepStatus.Active).OrderBy(s => s.DueAt).FirstOrDefault()?.Agency;
}
