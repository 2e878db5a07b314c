using ProcedureEngine.Calendar;

namespace ProcedureEngine.Definitions.Validation;

/// <summary>
/// Compares durations written in different units, the way the validator documents it
/// (docs/diagnostics.md, "Comparing units"):
/// <list type="bullet">
/// <item>1 working day = 7.5 working hours (office hours 07:30–11:30 and 13:30–17:00): exact.</item>
/// <item>Against a calendar-day limit, working time is laid on the calendar for a receipt after office
/// hours on each day of the week (weekends skipped, public holidays not known) and must end by the
/// limit's last day (moved to the next working day when it falls on a weekend).</item>
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

    /// <summary>
    /// A path's total time measured against <paramref name="limit"/>: <c>Total</c> in the limit's unit,
    /// <c>Margin</c> how far below the limit it stays at worst (negative: it exceeds), whether a unit
    /// conversion was needed, and for calendar-day limits the receipt day of the week that is the worst case.
    /// </summary>
    public static Measure Against(Duration limit, int calendarDays, decimal workingHours)
    {
        switch (limit.Unit)
        {
            case DurationUnit.WorkingDays:
                var days = (workingHours / HoursPerWorkingDay) + calendarDays;
                return new Measure(days, limit.Amount - days, calendarDays > 0, null);
            case DurationUnit.WorkingHours:
                var hours = workingHours + (calendarDays * HoursPerWorkingDay);
                return new Measure(hours, limit.Amount - hours, calendarDays > 0, null);
            default:
                return AgainstCalendarDays((int)limit.Amount, calendarDays, workingHours);
        }
    }

    /// <summary>
    /// Working time against a limit in calendar days, checked for a dossier received after office hours
    /// on each day of the week: working days count only Monday to Friday (public holidays are not known
    /// here), calendar days count from the day after receipt and a period ending on a weekend runs to the
    /// next working day (Bộ luật Dân sự 2015, art. 147–148).
    /// </summary>
    private static Measure AgainstCalendarDays(int limitDays, int calendarDays, decimal workingHours)
    {
        var workingDays = (int)decimal.Ceiling(workingHours / HoursPerWorkingDay);
        var worstMargin = int.MaxValue;
        var worstTotal = 0;
        DayOfWeek? worstDay = null;
        foreach (var receipt in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday })
        {
            // Calendar-day steps first, then working days counted from the next working day.
            var day = calendarDays;
            for (var done = 0; done < workingDays;)
            {
                day++;
                if (IsWorkingDay(receipt, day))
                {
                    done++;
                }
            }

            var end = limitDays;
            while (!IsWorkingDay(receipt, end))
            {
                end++;
            }

            if (end - day < worstMargin || (end - day == worstMargin && day > worstTotal))
            {
                worstMargin = end - day;
                worstTotal = day;
                worstDay = receipt;
            }
        }

        return new Measure(worstTotal, worstMargin, workingHours > 0, workingHours > 0 ? worstDay : null);
    }

    private static bool IsWorkingDay(DayOfWeek receipt, int offset) =>
        (DayOfWeek)(((int)receipt + offset) % 7) is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

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

/// <summary>How a path's time compares with a limit (see <see cref="TimeBudget.Against"/>).</summary>
public sealed record Measure(decimal Total, decimal Margin, bool Approximate, DayOfWeek? WorstReceiptDay)
{
    public bool Exceeds => Margin < 0;
}
