namespace ProcedureEngine.Dossiers;

public static partial class Decider
{
    // ---------------------------------------------------------------- calendar change

    /// <summary>
    /// Re-plans the dossier's open windows on the new calendar (the context's) per the rule set's
    /// <see cref="CalendarChangeRule"/>. No event when the dossier is finished, not received, or no open window
    /// crosses a changed day; one <see cref="DossierReplanned"/> otherwise.
    /// </summary>
    private static Rejection? Replan(Run run, ApplyCalendarChange c)
    {
        var s = run.State;
        if (s.IsFinished || !s.IsReceived || s.AppointmentAt is not { } appointment)
        {
            return null;
        }

        var old = c.Previous;
        var cal = run.Calendar;
        var diff = c.Diff;
        var rules = RulesOf(s, run.Context, c.At);
        var rule = rules.CalendarChange;

        // The clock's position: the change itself, or the stop while the dossier waits for a supplement.
        var origin = s.Status == DossierStatus.AwaitingSupplement && s.Supplement is { } pending && pending.RequestedAt < c.At ? pending.RequestedAt : c.At;

        var previous = ImmutableArray.CreateBuilder<StepDue>();
        var dues = ImmutableArray.CreateBuilder<StepDue>();
        var latest = origin;
        for (var i = 0; i < s.Steps.Length; i++)
        {
            var step = s.Steps[i];
            if (step.Status != StepStatus.Active || step.Overdue || step.DueAt is not { } due || due <= origin || !diff.Touches(origin, due, cal.UtcOffset))
            {
                continue;
            }

            var unit = run.Plan.Index.TryGetValue(step.Id, out var index) ? run.Plan.Steps[index].Duration.Unit : DurationUnit.WorkingDays;
            var moved = Recount(old, cal, origin, due, unit);
            if (moved != due)
            {
                previous.Add(new StepDue(step.Id, due));
                dues.Add(new StepDue(step.Id, moved));
                latest = Max(latest, Max(due, moved));
            }
        }

        var newAppointment = appointment;
        if (appointment > origin && s.MissedAppointmentAt != appointment && diff.Touches(origin, appointment, cal.UtcOffset))
        {
            newAppointment = Recount(old, cal, origin, appointment, run.Definition.TimeLimit.Unit);
            if (rule.NeverEarlier && newAppointment < appointment)
            {
                newAppointment = appointment;
            }

            if (rule.DayOffToNextWorkingInstant && !cal.IsWorkingDay(LocalDay(newAppointment, cal)))
            {
                newAppointment = cal.CountingStart(newAppointment);
            }

            latest = Max(latest, Max(appointment, newAppointment));
        }

        if (dues.Count == 0 && newAppointment == appointment)
        {
            return null;
        }

        var first = LocalDay(origin, cal);
        var last = LocalDay(latest, cal);
        ImmutableArray<DateOnly> days = [.. diff.Days.Select(d => d.Date).Where(d => d >= first && d <= last)];
        var version = diff.NewVersion is { } v ? $" phiên bản {v.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        var decision = c.Decision ?? (cal is WorkingCalendar w ? w.Spec.Decision : null);
        var why = days.Length > 0
            ? $"Lịch làm việc {diff.CalendarId}{version}{(decision is null ? string.Empty : $" ({decision})")} thay đổi các ngày {string.Join(", ", days.Select(d => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)))}."
            : $"Lịch làm việc {diff.CalendarId}{version}{(decision is null ? string.Empty : $" ({decision})")} thay đổi giờ làm việc ({string.Join("; ", diff.SettingChanges)}).";
        var reason = newAppointment != appointment
            ? $"{why} Ngày hẹn trả kết quả điều chỉnh từ {Local(appointment, run.Context)} thành {Local(newAppointment, run.Context)}. {rule.LegalReasoning}"
            : $"{why} Ngày hẹn trả kết quả giữ nguyên ({Local(appointment, run.Context)}); thời hạn các bước được tính lại. {rule.LegalReasoning}";
        run.Emit(new DossierReplanned(
            c.At, diff.CalendarId, diff.NewVersion, decision, days, appointment, newAppointment, previous.ToImmutable(), dues.ToImmutable(), reason));
        return null;
    }

    /// <summary>
    /// The due instant <paramref name="due"/> recounted on the new calendar from <paramref name="origin"/>: the office
    /// time left on the old calendar, added on the new one. A window in calendar days moves only when its last day is
    /// no longer a working day (to the end of the next working day, Bộ luật Dân sự 2015, Điều 148).
    /// </summary>
    private static DateTimeOffset Recount(IWorkingCalendar old, IWorkingCalendar cal, DateTimeOffset origin, DateTimeOffset due, DurationUnit unit)
    {
        if (unit == DurationUnit.CalendarDays)
        {
            if (cal.IsWorkingDay(LocalDay(due, cal)))
            {
                return due;
            }

            var next = cal.CountingStart(due).ToOffset(cal.UtcOffset);
            var end = due.ToOffset(cal.UtcOffset).TimeOfDay;
            return new DateTimeOffset(next.Date + end, cal.UtcOffset);
        }

        var left = old.WorkingTimeBetween(old.CountingStart(origin), due);
        return left <= TimeSpan.Zero ? due : cal.AddWorkingTime(origin, left);
    }

    private static DateOnly LocalDay(DateTimeOffset instant, IWorkingCalendar cal) => DateOnly.FromDateTime(instant.ToOffset(cal.UtcOffset).DateTime);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
