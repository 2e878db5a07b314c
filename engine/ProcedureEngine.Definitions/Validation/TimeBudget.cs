using ProcedureEngine.Calendar;

namespace ProcedureEngine.Definitions.Validation;

/// <summary>
/// Compares durations written in different units, the way the validator documents it
/// (docs/diagnostics.md, "Comparing units"):
/// <list type="bullet">
/// <item>1 working day = 7.5 working hours (office hours 07:30–11:30 and 13:30–17:00): exact.</item>
/// <item>Against a calendar-day limit, W working days may take up to ceil(W) + 2·ceil(ceil(W)/5)
/// calendar days (the worst case, starting on a Friday, without public holidays).</item>
/// <item>Against a working-time limit, N calendar days count as N working days (they can't hold more).</item>
/// </list>
/// Every comparison that needed the calendar/working conversion is flagged as approximate, so the
/// validator warns instead of silently passing.
/// </summary>
public static class TimeBudget
{
    public const decimal HoursPerWorkingDay = 7.5m;

    /// <summary>Working time of a duration in working hours (calendar days counted as working days).</summary>
    public static decimal WorkingHours(Duration d) => d.Unit switch
    {
        DurationUnit.WorkingHours => d.Amount,
        DurationUnit.WorkingDays => d.Amount * HoursPerWorkingDay,
        _ => d.Amount * HoursPerWorkingDay,
    };

    /// <summary>Calendar days that working hours may span at worst (no holidays).</summary>
    public static int CalendarDaysForWorking(decimal workingHours)
    {
        if (workingHours <= 0)
        {
            return 0;
        }

        var days = (int)decimal.Ceiling(workingHours / HoursPerWorkingDay);
        return days + (2 * ((days + 4) / 5));
    }

    /// <summary>A path's total time expressed in the unit of <paramref name="limit"/>, and whether a unit conversion was needed.</summary>
    public static (decimal Total, bool Approximate) InUnitOf(Duration limit, int calendarDays, decimal workingHours) =>
        limit.Unit switch
        {
            DurationUnit.CalendarDays => (calendarDays + CalendarDaysForWorking(workingHours), workingHours > 0),
            DurationUnit.WorkingDays => ((workingHours / HoursPerWorkingDay) + calendarDays, calendarDays > 0),
            _ => (workingHours + (calendarDays * HoursPerWorkingDay), calendarDays > 0),
        };

    /// <summary>
    /// Whether <paramref name="candidate"/> is no longer than <paramref name="limit"/>; null when the
    /// units can't be compared without a calendar (working time vs calendar days).
    /// </summary>
    public static bool? NoLongerThan(Duration candidate, Duration limit)
    {
        var candidateCalendar = candidate.Unit == DurationUnit.CalendarDays;
        var limitCalendar = limit.Unit == DurationUnit.CalendarDays;
        if (candidateCalendar != limitCalendar)
        {
            return null;
        }

        return candidateCalendar ? candidate.Halves <= limit.Halves : WorkingHours(candidate) <= WorkingHours(limit);
    }

    public static string Format(decimal amount, DurationUnit unit)
    {
        var a = decimal.Round(amount, 2).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        return unit switch
        {
            DurationUnit.WorkingDays => $"{a} working days",
            DurationUnit.WorkingHours => $"{a} working hours",
            _ => $"{a} days",
        };
    }
}
