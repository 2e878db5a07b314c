using ProcedureEngine.Calendar;

namespace ProcedureEngine.Dossiers;

/// <summary>Working-time arithmetic on top of <see cref="IWorkingCalendar"/> for spans that are not whole half-hours.</summary>
public static class WorkingTime
{
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);

    /// <summary>The working time a duration stands for, measured from <paramref name="from"/>.</summary>
    public static TimeSpan Budget(IWorkingCalendar calendar, DateTimeOffset from, Duration duration)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return duration.Unit switch
        {
            DurationUnit.WorkingDays => calendar.WorkingDayLength * duration.Halves / 2,
            DurationUnit.WorkingHours => HalfHour * duration.Halves,
            _ => calendar.WorkingTimeBetween(calendar.CountingStart(from), calendar.Add(from, duration)),
        };
    }

    /// <summary>
    /// The first instant at which <paramref name="span"/> of office time has elapsed after
    /// <paramref name="start"/> (minute precision). Zero or negative spans give the counting start.
    /// </summary>
    public static DateTimeOffset Add(IWorkingCalendar calendar, DateTimeOffset start, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (span <= TimeSpan.Zero)
        {
            return calendar.CountingStart(start);
        }

        var halves = (int)(span.Ticks / HalfHour.Ticks);
        var lower = calendar.Add(start, Duration.WorkingHours(halves / 2m));
        var rest = span - (HalfHour * halves);
        if (rest <= TimeSpan.Zero)
        {
            return lower;
        }

        lower = calendar.CountingStart(lower);
        if (calendar.WorkingTimeBetween(lower, lower + rest) >= rest)
        {
            return lower + rest;
        }

        // The rest crosses a break: search the minute within the next half hour of office time.
        var origin = lower;
        var upper = calendar.Add(origin, Duration.WorkingHours(0.5m));
        while (upper - lower > TimeSpan.FromMinutes(1))
        {
            var mid = lower + TimeSpan.FromMinutes(Math.Floor((upper - lower).TotalMinutes / 2));
            if (calendar.WorkingTimeBetween(origin, mid) >= rest)
            {
                upper = mid;
            }
            else
            {
                lower = mid;
            }
        }

        return upper;
    }
}
