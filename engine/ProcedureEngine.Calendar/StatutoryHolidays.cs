using System.Globalization;

namespace ProcedureEngine.Calendar;

/// <summary>The public holidays of Bộ luật Lao động 2019, Art. 112 (and earlier labour codes).</summary>
public enum HolidayOccasion
{
    /// <summary>Tết Dương lịch, 1 January.</summary>
    NewYear,

    /// <summary>Tết Nguyên đán, around the lunar new year.</summary>
    LunarNewYear,

    /// <summary>Giỗ Tổ Hùng Vương, 10th day of the 3rd lunar month (from 2007).</summary>
    HungKings,

    /// <summary>Ngày Giải phóng miền Nam, thống nhất đất nước, 30 April.</summary>
    ReunificationDay,

    /// <summary>Ngày Quốc tế Lao động, 1 May.</summary>
    LabourDay,

    /// <summary>Quốc khánh, 2 September (plus an adjacent day from 2021).</summary>
    NationalDay,
}

/// <summary>A day off computed by the statutory rules.</summary>
/// <param name="Date">The day.</param>
/// <param name="Reason">Why it is off, in Vietnamese, for officers and administrators.</param>
/// <param name="Occasion">The holiday it belongs to (a day in lieu belongs to the holiday it makes up for).</param>
/// <param name="InLieu">True for a day off in lieu of a holiday that fell on a weekly rest day.</param>
public readonly record struct StatutoryDay(DateOnly Date, string Reason, HolidayOccasion Occasion, bool InLieu);

/// <summary>
/// Computes a year's statutory days off by rule (pure). The rule, as documented for administrators:
/// <list type="bullet">
/// <item>1/1, 30/4, 1/5 and 2/9 (solar); Giỗ Tổ Hùng Vương 10/3 lunar (from 2007).</item>
/// <item>Tết Nguyên đán: the last day of the lunar year and the first 4 days of the new one (5 days, from 2014
/// when the 2012 Labour Code first applied to Tết; 4 days — last day + 3 — before). The Prime Minister fixes the
/// actual days each year; list them in the calendar file's year decision.</item>
/// <item>2/9 plus one adjacent day (from 2021, Labour Code 2019): 3/9 when 1/9 is a rest day; else 1/9 when 3/9 is a
/// rest day; else 3/9 when 4/9 is a rest day (so the holiday joins the weekend); else 1/9.</item>
/// <item>A holiday on a weekly rest day is taken on the next day that is neither a rest day nor a holiday (Art. 111.3).</item>
/// </list>
/// Lunar dates are computed at UTC+7 by <see cref="VietnameseLunarCalendar"/>. Labour law before 1995 differed
/// (uncertain); the rules above are applied to every year 1900–2199 so that any year has a sensible default.
/// </summary>
public static class StatutoryHolidays
{
    private static readonly string[] Stems = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"];
    private static readonly string[] Branches = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Mask, int Year), System.Collections.ObjectModel.ReadOnlyCollection<StatutoryDay>> ByWeekend = new();

    private static readonly LunarYearFacts?[] Cache = new LunarYearFacts?[VietnameseLunarCalendar.MaxYear - VietnameseLunarCalendar.MinYear + 1];

    /// <summary>The name of a holiday in Vietnamese.</summary>
    public static string Name(HolidayOccasion occasion) => occasion switch
    {
        HolidayOccasion.NewYear => "Tết Dương lịch",
        HolidayOccasion.LunarNewYear => "Tết Nguyên đán",
        HolidayOccasion.HungKings => "Giỗ Tổ Hùng Vương",
        HolidayOccasion.ReunificationDay => "Ngày Giải phóng miền Nam, thống nhất đất nước",
        HolidayOccasion.LabourDay => "Ngày Quốc tế Lao động",
        _ => "Quốc khánh",
    };

    /// <summary>The lunar year's name in the sexagenary cycle, e.g. "Bính Ngọ" for 2026.</summary>
    public static string CanChi(int lunarYear) =>
        $"{Stems[(((lunarYear - 4) % 10) + 10) % 10]} {Branches[(((lunarYear - 4) % 12) + 12) % 12]}";

    /// <summary>The day a holiday is anchored on in <paramref name="year"/> (Tết: lunar new year's day); null when it did not exist yet.</summary>
    public static DateOnly? Anchor(int year, HolidayOccasion occasion) => occasion switch
    {
        HolidayOccasion.NewYear => new DateOnly(year, 1, 1),
        HolidayOccasion.LunarNewYear => Facts(year).NewYear,
        HolidayOccasion.HungKings => year >= 2007 ? Facts(year).HungKings : null,
        HolidayOccasion.ReunificationDay => new DateOnly(year, 4, 30),
        HolidayOccasion.LabourDay => new DateOnly(year, 5, 1),
        _ => new DateOnly(year, 9, 2),
    };

    /// <summary>The statutory days off of <paramref name="year"/> for a calendar with the given weekly rest days, in date order.</summary>
    public static IReadOnlyList<StatutoryDay> For(int year, IReadOnlyCollection<DayOfWeek> weekend)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, VietnameseLunarCalendar.MinYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, VietnameseLunarCalendar.MaxYear);
        ArgumentNullException.ThrowIfNull(weekend);
        var mask = 0;
        foreach (var day in weekend)
        {
            mask |= 1 << (int)day;
        }

        return ByWeekend.GetOrAdd((mask, year), key => Compute(key.Year, weekend).AsReadOnly());
    }

    private static List<StatutoryDay> Compute(int year, IReadOnlyCollection<DayOfWeek> weekend)
    {
        var facts = Facts(year);
        var days = new List<StatutoryDay>
        {
            new(new DateOnly(year, 1, 1), "Tết Dương lịch", HolidayOccasion.NewYear, false),
        };

        var canChi = CanChi(year);
        days.Add(new(facts.NewYear.AddDays(-1), $"Tết Nguyên đán {canChi} ({facts.LastDayOfYear} tháng Chạp)", HolidayOccasion.LunarNewYear, false));
        var firstDays = year >= 2014 ? 4 : 3;
        for (var i = 0; i < firstDays; i++)
        {
            days.Add(new(facts.NewYear.AddDays(i), $"Tết Nguyên đán {canChi} (mùng {i + 1} tháng Giêng)", HolidayOccasion.LunarNewYear, false));
        }

        if (year >= 2007)
        {
            days.Add(new(facts.HungKings, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", HolidayOccasion.HungKings, false));
        }

        days.Add(new(new DateOnly(year, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)", HolidayOccasion.ReunificationDay, false));
        days.Add(new(new DateOnly(year, 5, 1), "Ngày Quốc tế Lao động (1/5)", HolidayOccasion.LabourDay, false));
        var nationalDay = new DateOnly(year, 9, 2);
        days.Add(new(nationalDay, "Quốc khánh (2/9)", HolidayOccasion.NationalDay, false));
        if (year >= 2021)
        {
            var adjacent = NationalDayAdjacent(nationalDay, weekend);
            days.Add(new(adjacent, $"Quốc khánh (ngày liền kề {adjacent.Day}/9)", HolidayOccasion.NationalDay, false));
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
            inLieu.Add(new StatutoryDay(candidate, reason, day.Occasion, true));
        }

        days.AddRange(inLieu);
        days.Sort((a, b) => a.Date.CompareTo(b.Date));
        return days;
    }

    private static DateOnly NationalDayAdjacent(DateOnly nationalDay, IReadOnlyCollection<DayOfWeek> weekend)
    {
        var before = nationalDay.AddDays(-1);
        var after = nationalDay.AddDays(1);
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

    private static LunarYearFacts Facts(int year)
    {
        var index = year - VietnameseLunarCalendar.MinYear;
        if (Cache[index] is { } cached)
        {
            return cached;
        }

        var newYear = VietnameseLunarCalendar.LunarNewYear(year);
        var lastDay = VietnameseLunarCalendar.FromSolar(newYear.AddDays(-1)).Day;
        var hung = VietnameseLunarCalendar.ToSolar(new LunarDate(year, 3, 10, false));
        var facts = new LunarYearFacts(newYear, lastDay, hung);
        Cache[index] = facts; // benign race: every thread computes the same immutable value
        return facts;
    }

    private sealed record LunarYearFacts(DateOnly NewYear, int LastDayOfYear, DateOnly HungKings);
}
