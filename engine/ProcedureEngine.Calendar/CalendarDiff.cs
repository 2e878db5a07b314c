using System.Globalization;

namespace ProcedureEngine.Calendar;

/// <summary>A day whose status differs between two calendar versions.</summary>
/// <param name="Date">The day.</param>
/// <param name="WasWorking">Working day under the old version.</param>
/// <param name="IsWorking">Working day under the new version.</param>
/// <param name="OldReason">Why it was off under the old version (null when it was a working day).</param>
/// <param name="NewReason">Why it is off under the new version (null when it is a working day).</param>
public readonly record struct DayChange(DateOnly Date, bool WasWorking, bool IsWorking, string? OldReason, string? NewReason)
{
    /// <summary>One line, e.g. "2026-11-24 làm việc → nghỉ: Ngày Văn hóa Việt Nam (24/11)".</summary>
    public override string ToString() => IsWorking
        ? string.Create(CultureInfo.InvariantCulture, $"{Date:yyyy-MM-dd} nghỉ → làm việc (trước: {OldReason})")
        : string.Create(CultureInfo.InvariantCulture, $"{Date:yyyy-MM-dd} làm việc → nghỉ: {NewReason}");
}

/// <summary>
/// What changes between two versions of a calendar: the days that become working or non-working days, and
/// whether the office hours, zone or late-receipt cut-off changed (which moves every window, not only some days).
/// </summary>
public sealed record CalendarDiff(
    string CalendarId,
    int? OldVersion,
    int? NewVersion,
    IReadOnlyList<DayChange> Days,
    IReadOnlyList<string> SettingChanges)
{
    /// <summary>True when no day and no setting differs.</summary>
    public bool IsEmpty => Days.Count == 0 && SettingChanges.Count == 0;

    /// <summary>True when office hours, zone or cut-off changed: every open window must be recomputed.</summary>
    public bool ChangesEveryDay => SettingChanges.Count > 0;

    /// <summary>The changed days as a sorted array (for range checks).</summary>
    public DateOnly[] ChangedDates => [.. Days.Select(d => d.Date)];

    /// <summary>
    /// Compares two calendars day by day over <paramref name="from"/>–<paramref name="until"/> (whole range of the
    /// calendars by default). O(days) on the calendars' precomputed tables.
    /// </summary>
    public static CalendarDiff Compare(WorkingCalendar old, WorkingCalendar @new, DateOnly? from = null, DateOnly? until = null)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        var first = from ?? new DateOnly(WorkingCalendar.MinYear, 1, 1);
        var last = until ?? new DateOnly(WorkingCalendar.MaxYear, 12, 31);
        if (first < new DateOnly(WorkingCalendar.MinYear, 1, 1))
        {
            first = new DateOnly(WorkingCalendar.MinYear, 1, 1);
        }

        if (last > new DateOnly(WorkingCalendar.MaxYear, 12, 31))
        {
            last = new DateOnly(WorkingCalendar.MaxYear, 12, 31);
        }

        var days = new List<DayChange>();
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            var was = old.IsWorkingDay(d);
            var now = @new.IsWorkingDay(d);
            if (was != now)
            {
                days.Add(new DayChange(d, was, now, was ? null : old.NonWorkingReason(d), now ? null : @new.NonWorkingReason(d)));
            }
        }

        var settings = new List<string>();
        if (old.UtcOffset != @new.UtcOffset)
        {
            settings.Add($"zone: {old.Spec.Zone} → {@new.Spec.Zone}");
        }

        var oldHours = string.Join(", ", old.Spec.OfficeHours);
        var newHours = string.Join(", ", @new.Spec.OfficeHours);
        if (oldHours != newHours)
        {
            settings.Add($"officeHours: {oldHours} → {newHours}");
        }

        if (old.Spec.LateReceiptCutoff != @new.Spec.LateReceiptCutoff)
        {
            settings.Add($"lateReceiptCutoff: {Time(old.Spec.LateReceiptCutoff)} → {Time(@new.Spec.LateReceiptCutoff)}");
        }

        return new CalendarDiff(@new.Id, old.Spec.Version, @new.Spec.Version, days, settings);
    }

    /// <summary>True when a changed day lies within the local days of [<paramref name="from"/>, <paramref name="to"/>] (or a setting changed).</summary>
    public bool Touches(DateTimeOffset from, DateTimeOffset to, TimeSpan utcOffset)
    {
        if (ChangesEveryDay)
        {
            return true;
        }

        if (to < from || Days.Count == 0)
        {
            return false;
        }

        var a = DateOnly.FromDateTime(from.ToOffset(utcOffset).DateTime);
        var b = DateOnly.FromDateTime(to.ToOffset(utcOffset).DateTime);

        // Days are in date order: binary search the first change on or after a.
        int lo = 0, hi = Days.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (Days[mid].Date < a)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo < Days.Count && Days[lo].Date <= b;
    }

    private static string Time(TimeOnly? t) => t?.ToString("HH:mm", CultureInfo.InvariantCulture) ?? "null";
}
