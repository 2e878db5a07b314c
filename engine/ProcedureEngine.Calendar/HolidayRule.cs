using System.Collections.ObjectModel;
using System.Globalization;

namespace ProcedureEngine.Calendar;

/// <summary>Which calendar a holiday rule's anchor date is written in.</summary>
public enum HolidayDateKind
{
    /// <summary>A Gregorian month and day (e.g. 30/4).</summary>
    Solar,

    /// <summary>A lunar month and day, computed at UTC+7 (e.g. 10/3 âm lịch).</summary>
    Lunar,
}

/// <summary>
/// One statutory holiday rule, as written under <c>holidays:</c> in a calendar file: the law that sets it, the
/// days it gives and the period it is in force. Versions of one holiday share an <see cref="Id"/> and cover
/// disjoint periods (Tết: 4 days until 30/4/2013, 5 days from 1/5/2013). A rule applies to a year when that
/// year's anchor day (the solar or lunar date) falls within <see cref="From"/>–<see cref="Until"/>.
/// </summary>
/// <param name="Id">Stable id of the holiday (letters, digits, '-'), e.g. <c>tet-nguyen-dan</c>.</param>
/// <param name="Name">The holiday's name in Vietnamese, printed in the reasons.</param>
/// <param name="DateKind">Solar or lunar anchor.</param>
/// <param name="Month">Anchor month (1–12).</param>
/// <param name="Day">Anchor day (1–31 solar, 1–30 lunar).</param>
/// <param name="DaysBefore">Days off just before the anchor (Tết: 1, the last day of the lunar year).</param>
/// <param name="Days">Days off from the anchor on, anchor included (at least 1).</param>
/// <param name="AdjacentDay">Plus one day next to the anchor (2/9 from 2021): the day after when the day before is a
/// rest day; else the day before when the day after is one; else the day after when the day after that is one; else the day before.</param>
/// <param name="Law">The legal text that sets the rule (article and clause), e.g. "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm a".</param>
/// <param name="From">First anchor day the rule governs (inclusive); null: always.</param>
/// <param name="Until">Last anchor day the rule governs (inclusive); null: still in force.</param>
/// <param name="Label">The reason printed for a single-day holiday instead of "Name (d/M)"; null: computed.</param>
public sealed record HolidayRule(
    string Id,
    string Name,
    HolidayDateKind DateKind,
    int Month,
    int Day,
    string Law,
    int DaysBefore = 0,
    int Days = 1,
    bool AdjacentDay = false,
    DateOnly? From = null,
    DateOnly? Until = null,
    string? Label = null)
{
    /// <summary>The anchor day in <paramref name="year"/> (for a lunar rule: in the lunar year that starts in it), or null when it does not exist that year.</summary>
    public DateOnly? AnchorIn(int year)
    {
        if (DateKind == HolidayDateKind.Solar)
        {
            return Day <= DateTime.DaysInMonth(year, Month) ? new DateOnly(year, Month, Day) : null;
        }

        var firstOfMonth = VietnameseLunarCalendar.ToSolar(new LunarDate(year, Month, 1, false));
        var length = VietnameseLunarCalendar.DaysInLunarMonthOf(firstOfMonth);
        return Day <= length ? firstOfMonth.AddDays(Day - 1) : null;
    }

    /// <summary>True when the rule governs a holiday anchored on <paramref name="anchor"/>.</summary>
    public bool InForceOn(DateOnly anchor) => (From is null || anchor >= From.Value) && (Until is null || anchor <= Until.Value);

    /// <summary>The rule as one line for diffs and logs, e.g. "tet-nguyen-dan: 1/1 âm lịch −1 +5 ngày (từ 2013-05-01)".</summary>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Id}: {Day}/{Month}{(DateKind == HolidayDateKind.Lunar ? " âm lịch" : string.Empty)}");
        if (DaysBefore > 0 || Days > 1)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {DaysBefore + Days} ngày");
        }

        if (AdjacentDay)
        {
            text += " + 1 ngày liền kề";
        }

        if (From is { } f)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", từ {f:yyyy-MM-dd}");
        }

        if (Until is { } u)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", đến {u:yyyy-MM-dd}");
        }

        return text + $" ({Law})";
    }
}

/// <summary>The statutory holiday rules the engine uses when a calendar file does not list its own.</summary>
public static class HolidayRules
{
    /// <summary>
    /// Vietnam's public holidays by labour code: Bộ luật Lao động 1994 (Điều 73, amended by Luật 84/2007/QH11 for
    /// Giỗ Tổ Hùng Vương), Bộ luật Lao động 2012 (Luật 10/2012/QH13, Điều 115, in force 1/5/2013) and Bộ luật Lao
    /// động 2019 (Luật 45/2019/QH14, Điều 112, in force 1/1/2021). The same list is written out in
    /// <c>definitions/calendars/vn.yaml</c>, where an administrator adds a new one (24/11) with no code change.
    /// </summary>
    public static ReadOnlyCollection<HolidayRule> VietnamLabourCode { get; } = Array.AsReadOnly<HolidayRule>(
    [
        new("tet-duong-lich", "Tết Dương lịch", HolidayDateKind.Solar, 1, 1,
            "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm a (trước đó: BLLĐ 2012 Điều 115, BLLĐ 1994 Điều 73)",
            Label: "Tết Dương lịch"),
        new("tet-nguyen-dan", "Tết Nguyên đán", HolidayDateKind.Lunar, 1, 1,
            "Bộ luật Lao động 1994, Điều 73: 04 ngày Tết Âm lịch",
            DaysBefore: 1, Days: 3, Until: new DateOnly(2013, 4, 30)),
        new("tet-nguyen-dan", "Tết Nguyên đán", HolidayDateKind.Lunar, 1, 1,
            "Bộ luật Lao động 2012, Điều 115 khoản 1 điểm b; Bộ luật Lao động 2019, Điều 112 khoản 1 điểm b: 05 ngày Tết Âm lịch",
            DaysBefore: 1, Days: 4, From: new DateOnly(2013, 5, 1)),
        new("gio-to-hung-vuong", "Giỗ Tổ Hùng Vương", HolidayDateKind.Lunar, 3, 10,
            "Luật số 84/2007/QH11 sửa đổi Điều 73 Bộ luật Lao động; Bộ luật Lao động 2019, Điều 112 khoản 1 điểm đ",
            From: new DateOnly(2007, 4, 2)),
        new("giai-phong-mien-nam", "Ngày Giải phóng miền Nam, thống nhất đất nước", HolidayDateKind.Solar, 4, 30,
            "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm c"),
        new("quoc-te-lao-dong", "Ngày Quốc tế Lao động", HolidayDateKind.Solar, 5, 1,
            "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm d"),
        new("quoc-khanh", "Quốc khánh", HolidayDateKind.Solar, 9, 2,
            "Bộ luật Lao động 2012, Điều 115 khoản 1 điểm đ: 01 ngày",
            Until: new DateOnly(2020, 12, 31)),
        new("quoc-khanh", "Quốc khánh", HolidayDateKind.Solar, 9, 2,
            "Bộ luật Lao động 2019, Điều 112 khoản 1 điểm e: 02 ngày (ngày 02/9 và 01 ngày liền kề trước hoặc sau)",
            AdjacentDay: true, From: new DateOnly(2021, 1, 1)),
    ]);

    /// <summary>The problems of a rule list (empty when valid): overlapping versions of one holiday, impossible dates, counts.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<HolidayRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new List<string>();
        for (var i = 0; i < rules.Count; i++)
        {
            if (RuleProblem(rules[i]) is { } p)
            {
                problems.Add($"holiday '{rules[i].Id}': {p}");
            }

            for (var j = 0; j < i; j++)
            {
                if (Overlap(rules[j], rules[i]))
                {
                    problems.Add($"holiday '{rules[i].Id}': two versions are in force at the same time; give them disjoint from/until");
                }
            }
        }

        return problems;
    }

    /// <summary>What is wrong with one rule alone, or null.</summary>
    public static string? RuleProblem(HolidayRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (string.IsNullOrWhiteSpace(rule.Id) || !rule.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return $"id '{rule.Id}' must be letters, digits, '-' or '_'";
        }

        if (string.IsNullOrWhiteSpace(rule.Name))
        {
            return "the name is empty";
        }

        if (string.IsNullOrWhiteSpace(rule.Law))
        {
            return "the law that sets the holiday is missing";
        }

        if (rule.Month is < 1 or > 12)
        {
            return $"month {rule.Month} is not 1–12";
        }

        var maxDay = rule.DateKind == HolidayDateKind.Lunar ? 30 : DateTime.DaysInMonth(2024, rule.Month);
        if (rule.Day < 1 || rule.Day > maxDay)
        {
            return $"day {rule.Day} does not exist in month {rule.Month}{(rule.DateKind == HolidayDateKind.Lunar ? " (lunar)" : string.Empty)}";
        }

        if (rule.Days < 1 || rule.Days > 15 || rule.DaysBefore < 0 || rule.DaysBefore > 15)
        {
            return "days must be 1–15 and before 0–15";
        }

        if (rule.From is { } f && rule.Until is { } u && u < f)
        {
            return $"until {u:yyyy-MM-dd} is before from {f:yyyy-MM-dd}";
        }

        return null;
    }

    private static bool Overlap(HolidayRule a, HolidayRule b) =>
        a.Id == b.Id &&
        (a.From ?? DateOnly.MinValue) <= (b.Until ?? DateOnly.MaxValue) &&
        (b.From ?? DateOnly.MinValue) <= (a.Until ?? DateOnly.MaxValue);
}
