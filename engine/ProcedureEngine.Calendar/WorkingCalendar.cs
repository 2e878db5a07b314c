using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace ProcedureEngine.Calendar;

/// <summary>A weekly rest day worked by decision (ngày làm bù), with why.</summary>
public readonly record struct MakeUpWorkingDay(DateOnly Date, string Reason);

/// <summary>
/// The legal working-time calendar (see <see cref="IWorkingCalendar"/>), built from a <see cref="CalendarSpec"/>.
/// At construction it computes every day of 1900–2199 once: which days are working days (weekend, statutory
/// holidays with days in lieu, then each year's decisions), a prefix count of working days and the list of
/// working days. Every operation is then O(1) arithmetic on "working ticks" (office time elapsed since
/// 1900-01-01), with no loop over days. Immutable and thread-safe; no I/O, no clock.
/// </summary>
public sealed class WorkingCalendar : IWorkingCalendar
{
    public const int MinYear = VietnameseLunarCalendar.MinYear;
    public const int MaxYear = VietnameseLunarCalendar.MaxYear;

    private static readonly int FirstDayNumber = new DateOnly(MinYear, 1, 1).DayNumber;
    private static readonly int DayCount = new DateOnly(MaxYear, 12, 31).DayNumber - FirstDayNumber + 1;
    private static readonly Lazy<WorkingCalendar> VietnamDefault = new(() => new WorkingCalendar(CalendarSpec.Vietnam));

    private readonly long offsetTicks;
    private readonly long[] periodStart;
    private readonly long[] periodEnd;
    private readonly long[] officeBeforePeriod;
    private readonly long dayLength;
    private readonly long cutoff;

    // rank[i] = number of working days among day indexes [0, i); length DayCount + 1.
    private readonly int[] rank;

    // workingDays[k] = day index of the k-th working day.
    private readonly int[] workingDays;

    private readonly ReadOnlyCollection<NonWorkingDay>[] nonWorkingByYear;
    private readonly ReadOnlyCollection<MakeUpWorkingDay>[] makeUpByYear;

    public WorkingCalendar(CalendarSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = spec.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"invalid calendar '{spec.Id}': {string.Join("; ", problems)}", nameof(spec));
        }

        Spec = spec;
        CalendarZones.TryGetOffset(spec.Zone, out var offset);
        UtcOffset = offset;
        offsetTicks = offset.Ticks;

        var periods = spec.OfficeHours;
        periodStart = periods.Select(p => p.Start.Ticks).ToArray();
        periodEnd = periods.Select(p => p.End.Ticks).ToArray();
        officeBeforePeriod = new long[periods.Count];
        long total = 0;
        for (var i = 0; i < periods.Count; i++)
        {
            officeBeforePeriod[i] = total;
            total += periodEnd[i] - periodStart[i];
        }

        dayLength = total;
        WorkingDayLength = TimeSpan.FromTicks(total);
        cutoff = spec.LateReceiptCutoff?.Ticks ?? -1;

        var tables = DayTables.For(spec);
        rank = tables.Rank;
        workingDays = tables.WorkingDays;
        nonWorkingByYear = tables.NonWorkingByYear;
        makeUpByYear = tables.MakeUpByYear;
    }

    /// <summary>Vietnam's calendar with the statutory rules and no explicit year decisions (shared instance).</summary>
    public static WorkingCalendar Vietnam() => VietnamDefault.Value;

    /// <summary>Builds a calendar from the text of a calendar file (the caller reads the file).</summary>
    /// <exception cref="CalendarFormatException">The file has errors; each carries path, line, column and reason.</exception>
    public static WorkingCalendar Load(string yamlText, string path)
    {
        var result = CalendarSpec.Parse(yamlText, path);
        return result.Spec is { } spec && !result.HasErrors ? new WorkingCalendar(spec) : throw new CalendarFormatException(result.Errors);
    }

    public CalendarSpec Spec { get; }

    public string Id => Spec.Id;

    public TimeSpan UtcOffset { get; }

    public TimeSpan WorkingDayLength { get; }

    /// <summary>First instant the calendar can compute with (1900-01-01 00:00 local).</summary>
    public DateTimeOffset RangeStart => new(new DateTime(MinYear, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), UtcOffset);

    /// <summary>First instant past the calendar's range (2200-01-01 00:00 local).</summary>
    public DateTimeOffset RangeEnd => new(new DateTime(MaxYear + 1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), UtcOffset);

    public bool IsWorkingDay(DateOnly day)
    {
        var index = day.DayNumber - FirstDayNumber;
        if ((uint)index >= (uint)DayCount)
        {
            throw OutOfRange(nameof(day), day);
        }

        return rank[index + 1] != rank[index];
    }

    /// <summary>True when <paramref name="instant"/> is within an office period of a working day (period ends included).</summary>
    public bool IsOfficeTime(DateTimeOffset instant)
    {
        var (index, time) = Split(instant);
        return IsOfficeLocal(index, time);
    }

    private bool IsOfficeLocal(int index, long time)
    {
        if (rank[index + 1] == rank[index])
        {
            return false;
        }

        for (var i = 0; i < periodStart.Length; i++)
        {
            if (time >= periodStart[i] && time <= periodEnd[i])
            {
                return true;
            }
        }

        return false;
    }

    public DateTimeOffset CountingStart(DateTimeOffset instant)
    {
        var (index, time) = Split(instant);
        return ToInstant(CountingStartLocal(index, time));
    }

    public DateTimeOffset Add(DateTimeOffset start, Duration duration)
    {
        var (index, time) = Split(start);
        if (duration.Unit == DurationUnit.CalendarDays)
        {
            return ToInstant(AddCalendarDays(CountingStartLocal(index, time), duration.Halves / 2));
        }

        var amount = duration.Unit == DurationUnit.WorkingDays
            ? duration.Halves * (dayLength / 2)
            : duration.Halves * TimeSpan.TicksPerMinute * 30;
        return AddOfficeTicks(index, time, amount);
    }

    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan officeTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(officeTime, TimeSpan.Zero);
        var (index, time) = Split(start);
        return AddOfficeTicks(index, time, officeTime.Ticks);
    }

    private DateTimeOffset AddOfficeTicks(int index, long time, long amount)
    {
        if (amount == 0)
        {
            // A zero limit ends at once: at the start itself when it is office time (a period end included,
            // so that Add(Add(s, A), 0) == Add(s, A)), otherwise when counting starts.
            return ToInstant(IsOfficeLocal(index, time) ? ((long)index * TimeSpan.TicksPerDay) + time : CountingStartLocal(index, time));
        }

        return ToInstant(FromWorkingTicks(CountingStartWorkingTicks(index, time) + amount));
    }

    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var (fromIndex, fromTime) = Split(from);
        var (toIndex, toTime) = Split(to);
        return TimeSpan.FromTicks(WorkingTicks(toIndex, toTime) - WorkingTicks(fromIndex, fromTime));
    }

    public IReadOnlyList<NonWorkingDay> NonWorkingDays(int year) => nonWorkingByYear[CheckYear(year)];

    /// <summary>The year's weekly rest days worked by decision (ngày làm bù), in date order.</summary>
    public IReadOnlyList<MakeUpWorkingDay> MakeUpWorkingDays(int year) => makeUpByYear[CheckYear(year)];

    /// <summary>Why <paramref name="day"/> is not a working day (weekly rest day, holiday, decision), or null when it is one.</summary>
    public string? NonWorkingReason(DateOnly day)
    {
        if (IsWorkingDay(day))
        {
            return null;
        }

        foreach (var d in nonWorkingByYear[day.Year - MinYear])
        {
            if (d.Date == day)
            {
                return d.Reason;
            }
        }

        return $"Ngày nghỉ hằng tuần ({VietnameseDayName(day.DayOfWeek)})";
    }

    public override string ToString() =>
        $"calendar {Id} (UTC{(UtcOffset < TimeSpan.Zero ? "-" : "+")}{UtcOffset:hh\\:mm}, {string.Join(", ", Spec.OfficeHours)})";

    internal static string VietnameseDayName(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "thứ Hai",
        DayOfWeek.Tuesday => "thứ Ba",
        DayOfWeek.Wednesday => "thứ Tư",
        DayOfWeek.Thursday => "thứ Năm",
        DayOfWeek.Friday => "thứ Sáu",
        DayOfWeek.Saturday => "thứ Bảy",
        _ => "Chủ nhật",
    };

    private static ArgumentOutOfRangeException OutOfRange(string name, object value) =>
        new(name, value, $"outside the calendar's range {MinYear}-01-01 – {MaxYear}-12-31");

    private static int CheckYear(int year) =>
        year is < MinYear or > MaxYear ? throw OutOfRange(nameof(year), year) : year - MinYear;

    /// <summary>Converts an instant to (day index since 1900-01-01, time of day) in the calendar's zone.</summary>
    private (int Index, long Time) Split(DateTimeOffset instant)
    {
        var local = instant.UtcTicks + offsetTicks - (FirstDayNumber * TimeSpan.TicksPerDay);
        var index = local / TimeSpan.TicksPerDay;
        if (local < 0 || index >= DayCount)
        {
            throw OutOfRange(nameof(instant), instant);
        }

        return ((int)index, local - (index * TimeSpan.TicksPerDay));
    }

    /// <summary>Local ticks since 1900-01-01 00:00 back to an instant in the calendar's offset.</summary>
    private DateTimeOffset ToInstant(long local) =>
        new(new DateTime((FirstDayNumber * TimeSpan.TicksPerDay) + local, DateTimeKind.Unspecified), UtcOffset);

    /// <summary>Office time elapsed since the start of the range, up to (index, time).</summary>
    private long WorkingTicks(int index, long time)
    {
        var before = rank[index];
        var ticks = before * dayLength;
        if (rank[index + 1] == before)
        {
            return ticks;
        }

        for (var i = 0; i < periodStart.Length; i++)
        {
            if (time <= periodStart[i])
            {
                break;
            }

            ticks += Math.Min(time, periodEnd[i]) - periodStart[i];
        }

        return ticks;
    }

    /// <summary>The earliest local instant whose elapsed office time is <paramref name="target"/>: a period end stays there.</summary>
    private long FromWorkingTicks(long target)
    {
        if (target <= 0)
        {
            return 0;
        }

        var k = (target - 1) / dayLength;
        if (k >= workingDays.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(target), $"the due date falls after the calendar's range (year {MaxYear})");
        }

        var within = target - (k * dayLength);
        var dayStart = workingDays[k] * TimeSpan.TicksPerDay;
        var p = periodStart.Length - 1;
        while (p > 0 && officeBeforePeriod[p] >= within)
        {
            p--;
        }

        return dayStart + periodStart[p] + (within - officeBeforePeriod[p]);
    }

    private long CountingStartLocal(int index, long time)
    {
        if (rank[index + 1] != rank[index] && (cutoff < 0 || time < cutoff))
        {
            for (var i = 0; i < periodStart.Length; i++)
            {
                if (time < periodEnd[i])
                {
                    return (index * TimeSpan.TicksPerDay) + Math.Max(time, periodStart[i]);
                }
            }
        }

        var next = rank[index + 1];
        if (next >= workingDays.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"no working day left in the calendar's range (year {MaxYear})");
        }

        return (workingDays[next] * TimeSpan.TicksPerDay) + periodStart[0];
    }

    /// <summary>Office time elapsed up to the counting start of a receipt at (index, time), without locating the instant.</summary>
    private long CountingStartWorkingTicks(int index, long time)
    {
        var before = rank[index];
        var next = rank[index + 1];
        if (next != before && (cutoff < 0 || time < cutoff))
        {
            var ticks = before * dayLength;
            for (var i = 0; i < periodStart.Length; i++)
            {
                if (time < periodEnd[i])
                {
                    return ticks + officeBeforePeriod[i] + Math.Max(time - periodStart[i], 0);
                }
            }
        }

        // The first period of the next working day: all office time of the working days before it.
        return next * dayLength;
    }

    private long AddCalendarDays(long countingLocal, int days)
    {
        var last = (int)(countingLocal / TimeSpan.TicksPerDay) + days;
        if (last >= DayCount)
        {
            throw new ArgumentOutOfRangeException(nameof(days), $"the due date falls after the calendar's range (year {MaxYear})");
        }

        if (rank[last + 1] == rank[last])
        {
            var next = rank[last];
            if (next >= workingDays.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(days), $"the due date falls after the calendar's range (year {MaxYear})");
            }

            last = workingDays[next];
        }

        return (last * TimeSpan.TicksPerDay) + periodEnd[^1];
    }

    private static string DefaultDecidedReason(
        int year,
        DateOnly date,
        IReadOnlyList<StatutoryDay> computed,
        Dictionary<string, (DateOnly From, DateOnly To, HolidayRule Rule)> decided)
    {
        foreach (var (id, run) in decided)
        {
            if (date < run.From || date > run.To)
            {
                continue;
            }

            foreach (var c in computed)
            {
                if (c.Date == date && c.HolidayId == id && !c.InLieu)
                {
                    return c.Reason;
                }
            }

            return $"Nghỉ {run.Rule.Name} theo quyết định năm {year.ToString(CultureInfo.InvariantCulture)}";
        }

        return $"Ngày nghỉ theo quyết định năm {year.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The day tables of a calendar: which days of 1900–2199 are working days, as a prefix count and a list,
    /// plus the year lists with reasons. They depend only on the weekend, the statutory flag and the year
    /// decisions, so calendars with the same ones (the same file loaded again) share them.
    /// </summary>
    private sealed class DayTables
    {
        private const int CacheLimit = 64;
        private static readonly ConcurrentDictionary<string, DayTables> Cache = new(StringComparer.Ordinal);

        private DayTables(int[] rank, int[] workingDays, ReadOnlyCollection<NonWorkingDay>[] nonWorkingByYear, ReadOnlyCollection<MakeUpWorkingDay>[] makeUpByYear)
        {
            Rank = rank;
            WorkingDays = workingDays;
            NonWorkingByYear = nonWorkingByYear;
            MakeUpByYear = makeUpByYear;
        }

        public int[] Rank { get; }

        public int[] WorkingDays { get; }

        public ReadOnlyCollection<NonWorkingDay>[] NonWorkingByYear { get; }

        public ReadOnlyCollection<MakeUpWorkingDay>[] MakeUpByYear { get; }

        public static DayTables For(CalendarSpec spec)
        {
            var key = Key(spec);
            if (Cache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var built = Build(spec);
            if (Cache.Count >= CacheLimit)
            {
                Cache.Clear();
            }

            return Cache.GetOrAdd(key, built);
        }

        private static string Key(CalendarSpec spec)
        {
            var key = new StringBuilder();
            key.Append(spec.StatutoryRules ? 'S' : 'N');
            if (spec.StatutoryRules && spec.Holidays is { } rules)
            {
                foreach (var rule in rules)
                {
                    key.Append('#').Append(rule).Append('|').Append(rule.Name).Append('|').Append(rule.Label);
                }
            }

            foreach (var day in spec.Weekend.Order())
            {
                key.Append((int)day);
            }

            foreach (var (year, decision) in spec.Years.OrderBy(y => y.Key))
            {
                key.Append('|').Append(year);
                foreach (var d in decision.DaysOff)
                {
                    key.Append(";-").Append(d.Date.DayNumber).Append('=').Append(d.Reason);
                }

                foreach (var d in decision.WorkingDays)
                {
                    key.Append(";+").Append(d.Date.DayNumber).Append('=').Append(d.Reason);
                }
            }

            return key.ToString();
        }

        private static DayTables Build(CalendarSpec spec)
        {
            var weekend = spec.Weekend.ToHashSet();
            var working = new bool[DayCount];
            var nonWorkingByYear = new ReadOnlyCollection<NonWorkingDay>[MaxYear - MinYear + 1];
            var makeUpByYear = new ReadOnlyCollection<MakeUpWorkingDay>[MaxYear - MinYear + 1];
            var rest = new bool[7];
            foreach (var day in weekend)
            {
                rest[(int)day] = true;
            }

            var firstWeekday = (int)new DateOnly(MinYear, 1, 1).DayOfWeek;
            for (var i = 0; i < DayCount; i++)
            {
                working[i] = !rest[(firstWeekday + i) % 7];
            }

            for (var year = MinYear; year <= MaxYear; year++)
            {
                BuildYear(spec, year, weekend, working, nonWorkingByYear, makeUpByYear);
            }

            var rank = new int[DayCount + 1];
            var count = 0;
            for (var i = 0; i < DayCount; i++)
            {
                rank[i] = count;
                if (working[i])
                {
                    count++;
                }
            }

            rank[DayCount] = count;
            var workingDays = new int[count];
            for (int i = 0, k = 0; i < DayCount; i++)
            {
                if (working[i])
                {
                    workingDays[k++] = i;
                }
            }

            return new DayTables(rank, workingDays, nonWorkingByYear, makeUpByYear);
        }

        private static void BuildYear(CalendarSpec spec, int year, HashSet<DayOfWeek> weekend, bool[] working, ReadOnlyCollection<NonWorkingDay>[] nonWorkingByYear, ReadOnlyCollection<MakeUpWorkingDay>[] makeUpByYear)
        {
            var decision = spec.DecisionFor(year);
            var decidedOff = decision.DaysOff.ToDictionary(d => d.Date, d => d.Reason);
            bool RestOrDecided(DateOnly d) => weekend.Contains(d.DayOfWeek) || decidedOff.ContainsKey(d);

            // An occasion is settled by the year's decision when the run of rest/decided days around its anchor
            // contains a decided day off: then the decision's days replace the computed ones for that holiday.
            var computed = spec.StatutoryRules ? StatutoryHolidays.For(year, weekend, spec.EffectiveHolidays) : [];
            var decidedOccasions = new Dictionary<string, (DateOnly From, DateOnly To, HolidayRule Rule)>(StringComparer.Ordinal);
            if (decidedOff.Count > 0 && spec.StatutoryRules)
            {
                foreach (var (occasion, (anchor, rule)) in StatutoryHolidays.Anchors(year, spec.EffectiveHolidays))
                {
                    if (!RestOrDecided(anchor))
                    {
                        continue;
                    }

                    var from = anchor;
                    while (from.Year == year && from > new DateOnly(year, 1, 1) && RestOrDecided(from.AddDays(-1)))
                    {
                        from = from.AddDays(-1);
                    }

                    var to = anchor;
                    while (to < new DateOnly(year, 12, 31) && RestOrDecided(to.AddDays(1)))
                    {
                        to = to.AddDays(1);
                    }

                    var hasDecided = false;
                    for (var d = from; d <= to; d = d.AddDays(1))
                    {
                        hasDecided |= decidedOff.ContainsKey(d);
                    }

                    if (hasDecided)
                    {
                        decidedOccasions[occasion] = (from, to, rule);
                    }
                }
            }

            var off = new SortedDictionary<DateOnly, string>();
            foreach (var day in computed)
            {
                if (!decidedOccasions.ContainsKey(day.HolidayId) && !weekend.Contains(day.Date.DayOfWeek) && day.Date.Year == year)
                {
                    off.TryAdd(day.Date, day.Reason);
                }
            }

            foreach (var (date, reason) in decidedOff)
            {
                if (weekend.Contains(date.DayOfWeek))
                {
                    continue;
                }

                off[date] = reason ?? DefaultDecidedReason(year, date, computed, decidedOccasions);
            }

            var makeUp = new List<MakeUpWorkingDay>();
            foreach (var day in decision.WorkingDays.OrderBy(d => d.Date))
            {
                off.Remove(day.Date);
                if (weekend.Contains(day.Date.DayOfWeek))
                {
                    makeUp.Add(new MakeUpWorkingDay(day.Date, day.Reason ?? $"Làm việc bù ({VietnameseDayName(day.Date.DayOfWeek)}) theo quyết định năm {year}"));
                }

                working[day.Date.DayNumber - FirstDayNumber] = true;
            }

            foreach (var date in off.Keys)
            {
                working[date.DayNumber - FirstDayNumber] = false;
            }

            nonWorkingByYear[year - MinYear] = Array.AsReadOnly(off.Select(kv => new NonWorkingDay(kv.Key, kv.Value)).ToArray());
            makeUpByYear[year - MinYear] = makeUp.AsReadOnly();
        }
    }
}
