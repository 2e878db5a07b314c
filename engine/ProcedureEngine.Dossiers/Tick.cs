using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Dossiers.State;

namespace ProcedureEngine.Dossiers;

public static partial class Decider
{
    /// <summary>
    /// The time-driven rules, evaluated at <paramref name="now"/>: online acceptance limit, closing after
    /// an unanswered supplement request, step warnings and overdue flags, the automatic apology (at most
    /// once), and the missed appointment (a second miss is a breach). Each fact is emitted once.
    /// </summary>
    public static Decision Tick(DossierState state, DateTimeOffset now, DossierContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);
        if (state.LastEventAt is { } last && now < last)
        {
            return Decision.Reject(state, new Rejection(
                RejectionCodes.TimeGoesBackwards,
                $"Thời điểm {Local(now, context)} sớm hơn sự kiện gần nhất của hồ sơ ({Local(last, context)}).",
                $"{now:O} is before the dossier's last event ({last:O})."));
        }

        var run = new Run(state, context);
        var cal = context.Calendar;
        var rules = RulesOf(state, context, now);
        switch (state.Status)
        {
            case DossierStatus.Submitted:
                if (!state.AcceptanceOverdue && state.AcceptBy is { } acceptBy && now > acceptBy)
                {
                    run.Emit(new AcceptanceOverdue(now, state.SubmittedAt!.Value, acceptBy));
                }

                break;

            case DossierStatus.AwaitingSupplement when state.Supplement is { } pending && now >= pending.ClosesAt:
                run.Emit(new DossierClosed(now, pending.RequestedAt, pending.ClosesAt,
                    $"Quá thời hạn {rules.SupplementClosingAfter.Value.ToVietnamese()} kể từ khi yêu cầu bổ sung ({Local(pending.RequestedAt, context)}) mà công dân chưa bổ sung hồ sơ."));
                break;

            case DossierStatus.Received or DossierStatus.InProgress or DossierStatus.ResultReady:
                StepTimers(run, now, rules);
                if (state.Status != DossierStatus.ResultReady)
                {
                    AutomaticApology(run, now, rules);
                    MissedAppointment(run, now);
                }

                break;
        }

        return run.ToDecision();
    }

    private static void StepTimers(Run run, DateTimeOffset now, RuleSet rules)
    {
        var cal = run.Calendar;
        foreach (var step in run.State.Steps)
        {
            if (step.Status != StepStatus.Active || step.DueAt is not { } due || step.Overdue)
            {
                continue;
            }

            if (now >= due)
            {
                run.Emit(new StepOverdue(now, step.Id, step.Agency, due));
                continue;
            }

            if (step.Warned)
            {
                continue;
            }

            var budget = cal.WorkingTimeBetween(cal.CountingStart(step.StartedAt ?? now), due);
            var lead = WorkingTime.Budget(cal, now, rules.WarningLeadTime);
            if (budget / 4 < lead)
            {
                lead = budget / 4;
            }

            if (cal.WorkingTimeBetween(now, due) <= lead)
            {
                run.Emit(new DeadlineWarning(now, step.Id, step.Agency, due));
            }
        }
    }

    private static void AutomaticApology(Run run, DateTimeOffset now, RuleSet rules)
    {
        var s = run.State;
        if (s.Apology is not null || s.AppointmentAt is not { } appointment || now >= appointment)
        {
            return;
        }

        var cal = run.Calendar;
        var left = cal.WorkingTimeBetween(now, appointment);
        if (left > WorkingTime.Budget(cal, now, rules.ApologyLeadTime.Value))
        {
            return;
        }

        var projection = Project(s, run.Context, now);
        if (projection.OverdueStep < 0 && projection.Remaining <= left)
        {
            return;
        }

        var faultIndex = projection.OverdueStep >= 0 ? projection.OverdueStep : projection.CriticalStep;
        if (faultIndex < 0)
        {
            return;
        }

        var fault = s.Steps[faultIndex];
        var reason = projection.OverdueStep >= 0
            ? $"Bước \"{fault.Name}\" do {fault.AgencyName} thực hiện đã quá hạn xử lý (hạn {Local(fault.DueAt!.Value, run.Context)})."
            : $"Thời gian còn lại không đủ để {fault.AgencyName} hoàn thành bước \"{fault.Name}\" và các bước tiếp theo trước ngày hẹn trả kết quả.";
        run.Emit(new ApologyIssued(now, null, fault.Agency, fault.AgencyName, fault.Id, reason, appointment,
            projection.NewAppointment(cal, run.Context, appointment), Automatic: true));
    }

    private static void MissedAppointment(Run run, DateTimeOffset now)
    {
        var s = run.State;
        if (s.AppointmentAt is not { } appointment || now <= appointment || s.MissedAppointmentAt == appointment)
        {
            return;
        }

        run.Emit(new DossierOverdue(now, appointment, Breach: s.MissedAppointments > 0 || s.Apology is not null));
    }

    /// <summary>
    /// Longest remaining path of the plan in office time at <paramref name="now"/>: an active step counts
    /// what is left to its due instant (an overdue one its full duration again), a pending step its full
    /// duration (0 when its condition is false), a finished step nothing.
    /// </summary>
    private static Projection Project(DossierState s, DossierContext context, DateTimeOffset now)
    {
        var plan = context.Plan;
        var cal = context.Calendar;
        var n = plan.Steps.Length;
        var finish = new TimeSpan[n];
        var critical = new int[n];
        var overdue = -1;
        var best = TimeSpan.Zero;
        var bestCritical = -1;
        foreach (var i in plan.Order)
        {
            var start = TimeSpan.Zero;
            var crit = -1;
            foreach (var p in plan.Predecessors[i])
            {
                if (finish[p] > start || crit < 0)
                {
                    if (finish[p] >= start)
                    {
                        start = finish[p];
                        crit = critical[p];
                    }
                }
            }

            var step = s.Steps[i];
            var def = plan.Steps[i];
            TimeSpan weight;
            switch (step.Status)
            {
                case StepStatus.Active:
                    crit = i;
                    if (step.DueAt is { } due && due > now)
                    {
                        weight = cal.WorkingTimeBetween(now, due);
                    }
                    else
                    {
                        weight = WorkingTime.Budget(cal, now, def.Duration);
                        if (overdue < 0 || step.DueAt < s.Steps[overdue].DueAt)
                        {
                            overdue = i;
                        }
                    }

                    break;
                case StepStatus.Pending when def.When is null || def.When.Evaluate(s.Inputs):
                    weight = WorkingTime.Budget(cal, now, def.Duration);
                    break;
                default:
                    weight = TimeSpan.Zero;
                    break;
            }

            finish[i] = start + weight;
            critical[i] = crit;
            if (finish[i] > best || (bestCritical < 0 && crit >= 0))
            {
                best = finish[i];
                bestCritical = crit;
            }
        }

        return new Projection(now, best, bestCritical, overdue);
    }

    private readonly record struct Projection(DateTimeOffset Now, TimeSpan Remaining, int CriticalStep, int OverdueStep)
    {
        /// <summary>Now plus the remaining plan; at least one working day after the current appointment.</summary>
        public DateTimeOffset NewAppointment(IWorkingCalendar cal, DossierContext context, DateTimeOffset current)
        {
            var projected = WorkingTime.Add(cal, Now, Remaining);
            return projected > current ? projected : cal.Add(current, Duration.WorkingDays(1));
        }
    }
}
