using System.Globalization;

namespace ProcedureEngine.Calendar;

/// <summary>A day off computed by the statutory rules.</summary>
/// <param name="Date">The day.</param>
/// <param name="Reason">Why it is off, in Vietnamese, for officers and administrators.</param>
/// <param name="HolidayId">The rule id of the holiday it belongs to (a day in lieu belongs to the holiday it makes up for).</param>
/// <param name="InLieu">True for a day off in lieu of a holiday that fell on a weekly rest day.</param>
public readonly record struct StatutoryDay(DateOnly Date, string Reason, string HolidayId, bool InLieu);

/// <summary>
/// Computes a year's statutory days off from a list of <see cref="HolidayRule"/>s (pure). By default the rules of
/// <see cref="HolidayRules.VietnamLabourCode"/>; a calendar file's <c>holidays:</c> list replaces them. For each
/// holiday, the version in force on that year's anchor day gives its days (anchor, days before, adjacent day);
/// then a holiday that falls on a weekly rest day is taken on the next day that is neither a rest day nor a
/// holiday (Bộ luật Lao động 2019, Điều 111 khoản 3). Lunar dates are computed at UTC+7 by
/// <see cref="VietnameseLunarCalendar"/>. Labour law before 1995 differed (uncertain); the rules are applied to
/// every year 1900–2199 so that any year has a sensible default.
/// </summary>
public static class StatutoryHolidays
{
    private static readonly string[] Stems = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"];
    private static readonly string[] Branches = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"];
    private static readonly string[] LunarMonths = ["Giêng", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Một", "Chạp"];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Mask, int Year), System.Collections.ObjectModel.ReadOnlyCollection<StatutoryDay>> ByWeekend = new();

    /// <summary>The lunar year's name in the sexagenary cycle, e.g. "Bính Ngọ" for 2026.</summary>
    public static string CanChi(int lunarYear) =>
        $"{Stems[(((lunarYear - 4) % 10) + 10) % 10]} {Branches[(((lunarYear - 4) % 12) + 12) % 12]}";

    /// <summary>
    /// The anchor day of each holiday that falls in <paramref name="year"/> and has a rule in force on it
    /// (Tết: lunar new year's day), by holiday id.
    /// </summary>
    public static IReadOnlyDictionary<string, (DateOnly Anchor, HolidayRule Rule)> Anchors(int year, IReadOnlyList<HolidayRule>? rules = null)
    {
        var result = new Dictionary<string, (DateOnly, HolidayRule)>(StringComparer.Ordinal);
        foreach (var rule in rules ?? HolidayRules.VietnamLabourCode)
        {
            foreach (var anchor in AnchorsIn(rule, year))
            {
                if (rule.InForceOn(anchor))
                {
                    result[rule.Id] = (anchor, rule);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The statutory days off of <paramref name="year"/> for a calendar with the given weekly rest days and
    /// holiday rules (null: <see cref="HolidayRules.VietnamLabourCode"/>), in date order.
    /// </summary>
    public static IReadOnlyList<StatutoryDay> For(int year, IReadOnlyCollection<DayOfWeek> weekend, IReadOnlyList<HolidayRule>? rules = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, VietnameseLunarCalendar.MinYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, VietnameseLunarCalendar.MaxYear);
        ArgumentNullException.ThrowIfNull(weekend);
        if (rules is not null && !ReferenceEquals(rules, HolidayRules.VietnamLabourCode))
        {
            return Compute(year, weekend, rules).AsReadOnly();
        }

        var mask = 0;
        foreach (var day in weekend)
        {
            mask |= 1 << (int)day;
        }

        return ByWeekend.GetOrAdd((mask, year), key => Compute(key.Year, weekend, HolidayRules.VietnamLabourCode).AsReadOnly());
    }

    /// <summary>The anchors of <paramref name="rule"/> that fall in <paramref name="year"/> (a lunar date late in the lunar year falls in the next Gregorian year).</summary>
    private static IEnumerable<DateOnly> AnchorsIn(HolidayRule rule, int year)
    {
        if (rule.DateKind == HolidayDateKind.Solar)
        {
            if (rule.AnchorIn(year) is { } solar)
            {
                yield return solar;
            }

            yield break;
        }

        if (year > VietnameseLunarCalendar.MinYear && rule.AnchorIn(year - 1) is { } previous && previous.Year == year)
        {
            yield return previous;
        }

        if (rule.AnchorIn(year) is { } current && current.Year == year)
        {
            yield return current;
        }
    }

    private static List<StatutoryDay> Compute(int year, IReadOnlyCollection<DayOfWeek> weekend, IReadOnlyList<HolidayRule> rules)
    {
        var days = new List<StatutoryDay>();
        foreach (var rule in rules)
        {
            foreach (var anchor in AnchorsIn(rule, year))
            {
                if (rule.InForceOn(anchor))
                {
                    AddDays(days, rule, anchor, weekend);
                }
            }
        }

        days.Sort((a, b) => a.Date.CompareTo(b.Date));

        // Days in lieu (Art. 111.3): each holiday on a weekly rest day moves to the next free working day.
        var taken = days.Select(d => d.Date).ToHashSet();
        var inLieu = new List<StatutoryDay>();
        foreach (var day in days)
        {
            if (!weekend.Contains(day.Date.DayOfWeek))
            {
                continue;
            }

            var candidate = day.Date.AddDays(1);
            while (weekend.Contains(candidate.DayOfWeek) || taken.Contains(candidate))
            {
                candidate = candidate.AddDays(1);
            }

            taken.Add(candidate);
            var reason = $"Nghỉ bù {day.Reason} trùng ngày nghỉ hằng tuần {day.Date.ToString("dd/MM", CultureInfo.InvariantCulture)}";
            inLieu.Add(new StatutoryDay(candidate, reason, day.HolidayId, true));
        }

        days.AddRange(inLieu);
        days.Sort((a, b) => a.Date.CompareTo(b.Date));
        return days;
    }

    private static void AddDays(List<StatutoryDay> days, HolidayRule rule, DateOnly anchor, IReadOnlyCollection<DayOfWeek> weekend)
    {
        var span = rule.DaysBefore + rule.Days;
        for (var i = -rule.DaysBefore; i < rule.Days; i++)
        {
            var date = anchor.AddDays(i);
            days.Add(new(date, Reason(rule, anchor, date, span), rule.Id, false));
        }

        if (rule.AdjacentDay)
        {
            var adjacent = Adjacent(anchor.AddDays(-rule.DaysBefore), anchor.AddDays(rule.Days - 1), weekend);
            days.Add(new(adjacent, $"{rule.Name} (ngày liền kề {adjacent.Day}/{adjacent.Month})", rule.Id, false));
        }
    }

    private static string Reason(HolidayRule rule, DateOnly anchor, DateOnly date, int span)
    {
        if (rule.DateKind == HolidayDateKind.Solar)
        {
            return span == 1 && rule.Label is { } label ? label : $"{rule.Name} ({date.Day}/{date.Month})";
        }

        if (span == 1)
        {
            return rule.Label ?? $"{rule.Name} ({rule.Day}/{rule.Month} âm lịch)";
        }

        var lunar = VietnameseLunarCalendar.FromSolar(date);
        var dayText = lunar.Day <= 10 && lunar.Month == rule.Month ? $"mùng {lunar.Day}" : lunar.Day.ToString(CultureInfo.InvariantCulture);
        var lunarYear = VietnameseLunarCalendar.FromSolar(anchor).Year;
        return $"{rule.Name} {CanChi(lunarYear)} ({dayText} tháng {LunarMonths[lunar.Month - 1]})";
    }

    /// <summary>The day next to a holiday run [first, last] (2/9 rule of Bộ luật Lao động 2019).</summary>
    private static DateOnly Adjacent(DateOnly first, DateOnly last, IReadOnlyCollection<DayOfWeek> weekend)
    {
        var before = first.AddDays(-1);
        var after = last.AddDays(1);
        bool Rest(DateOnly d) => weekend.Contains(d.DayOfWeek);
        if (Rest(before))
        {
            return after;
        }

        if (Rest(after))
        {
            return before;
        }

        return Rest(after.AddDays(1)) ? after : before;
    }
}
