using ProcedureEngine.Calendar;

namespace ProcedureEngine.Calendar.Tests;

/// <summary>
/// The obvious day-by-day implementation of deadline arithmetic, written independently of
/// <see cref="WorkingCalendar"/>'s prefix tables: the reference the property tests compare against and the
/// baseline of the benchmark. It asks only <see cref="IWorkingCalendar.IsWorkingDay"/> and the office periods.
/// </summary>
public static class NaiveWorkingTime
{
    public static DateTimeOffset Add(WorkingCalendar calendar, DateTimeOffset start, Duration duration)
    {
        var periods = calendar.Spec.OfficeHours;
        var local = start.ToOffset(calendar.UtcOffset);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var cutoff = calendar.Spec.LateReceiptCutoff;

        if (duration.Unit == DurationUnit.CalendarDays)
        {
            var (countDay, _) = Start(calendar, day, time, cutoff);
            var last = countDay.AddDays(duration.Halves / 2);
            while (!calendar.IsWorkingDay(last))
            {
                last = last.AddDays(1);
            }

            return At(calendar, last, periods[^1].End);
        }

        var remaining = duration.Unit == DurationUnit.WorkingDays
            ? TimeSpan.FromTicks(calendar.WorkingDayLength.Ticks * duration.Halves / 2)
            : TimeSpan.FromMinutes(30 * duration.Halves);
        return AddOfficeTime(calendar, start, remaining);
    }

    /// <summary>Walks office periods day by day until <paramref name="remaining"/> office time has elapsed.</summary>
    public static DateTimeOffset AddOfficeTime(WorkingCalendar calendar, DateTimeOffset start, TimeSpan remaining)
    {
        var periods = calendar.Spec.OfficeHours;
        var local = start.ToOffset(calendar.UtcOffset);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var cutoff = calendar.Spec.LateReceiptCutoff;
        if (remaining == TimeSpan.Zero)
        {
            var inOffice = calendar.IsWorkingDay(day) && periods.Any(p => time >= p.Start && time <= p.End);
            var (d, t) = Start(calendar, day, time, cutoff);
            return inOffice ? local : At(calendar, d, t);
        }

        (day, time) = Start(calendar, day, time, cutoff);

        while (true)
        {
            if (calendar.IsWorkingDay(day))
            {
                foreach (var period in periods)
                {
                    if (time >= period.End)
                    {
                        continue;
                    }

                    var from = time > period.Start ? time : period.Start;
                    var available = period.End - from;
                    if (remaining <= available)
                    {
                        return At(calendar, day, from.Add(remaining));
                    }

                    remaining -= available;
                    time = period.End;
                }
            }

            day = day.AddDays(1);
            time = TimeOnly.MinValue;
        }
    }

    private static (DateOnly Day, TimeOnly Time) Start(WorkingCalendar calendar, DateOnly day, TimeOnly time, TimeOnly? cutoff)
    {
        var periods = calendar.Spec.OfficeHours;
        if (calendar.IsWorkingDay(day) && (cutoff is null || time < cutoff))
        {
            foreach (var period in periods)
            {
                if (time < period.End)
                {
                    return (day, time > period.Start ? time : period.Start);
                }
            }
        }

        do
        {
            day = day.AddDays(1);
        }
        while (!calendar.IsWorkingDay(day));

        return (day, periods[0].Start);
    }

    private static DateTimeOffset At(WorkingCalendar calendar, DateOnly day, TimeOnly time) =>
        new(day.ToDateTime(time), calendar.UtcOffset);
}
