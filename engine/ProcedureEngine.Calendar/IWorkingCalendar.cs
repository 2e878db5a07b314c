namespace ProcedureEngine.Calendar;

/// <summary>A non-working day other than a weekly rest day, with why it is off.</summary>
public readonly record struct NonWorkingDay(DateOnly Date, string Reason);

/// <summary>
/// The legal working-time calendar: weekend, office hours, statutory holidays (computed by rule,
/// lunar ones included) and each year's official decisions (days off, make-up working days).
/// Pure: no I/O, no clock reading. All instants are converted to the calendar's zone.
/// Working-time units are counted in office minutes: one working day is the office time of a
/// full working day (7.5 h for 07:30-11:30 + 13:30-17:00), so adding A then B equals adding A+B.
/// </summary>
public interface IWorkingCalendar
{
    string Id { get; }

    /// <summary>The calendar's offset from UTC (Vietnam: +07:00, no daylight saving).</summary>
    TimeSpan UtcOffset { get; }

    /// <summary>Office time of one full working day (e.g. 7 h 30 min).</summary>
    TimeSpan WorkingDayLength { get; }

    bool IsWorkingDay(DateOnly day);

    /// <summary>
    /// The instant from which a receipt at <paramref name="instant"/> is counted: itself when inside
    /// office hours of a working day (and before the late-receipt cut-off, if one is set), otherwise
    /// the start of the next working period.
    /// </summary>
    DateTimeOffset CountingStart(DateTimeOffset instant);

    /// <summary>
    /// The due instant of a period of <paramref name="duration"/> starting at <paramref name="start"/>.
    /// Working units: <see cref="CountingStart"/> then that much office time. Calendar days: counting
    /// from the next day; a period whose last day is not a working day ends at the end of the next
    /// working day. A deadline landing exactly at the end of an office period stays there (17:00);
    /// a zero working limit ends at once (at <paramref name="start"/> when it is office time).
    /// </summary>
    DateTimeOffset Add(DateTimeOffset start, Duration duration);

    /// <summary>
    /// The instant at which <paramref name="officeTime"/> of office time has elapsed after the counting start of
    /// <paramref name="start"/> (any precision, not only whole half hours); same rules as <see cref="Add"/> for
    /// working units, of which it is the general form. Zero ends at once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="officeTime"/> is negative.</exception>
    DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan officeTime);

    /// <summary>Office time between two instants; negative when <paramref name="to"/> is before <paramref name="from"/>.</summary>
    TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to);

    /// <summary>The year's non-working days other than weekly rest days, in date order, with reasons.</summary>
    IReadOnlyList<NonWorkingDay> NonWorkingDays(int year);
}
