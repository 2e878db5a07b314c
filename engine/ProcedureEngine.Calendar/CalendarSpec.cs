using System.Globalization;

namespace ProcedureEngine.Calendar;

/// <summary>One office period of a working day, e.g. 07:30–11:30.</summary>
public readonly record struct OfficePeriod(TimeOnly Start, TimeOnly End)
{
    public TimeSpan Length => End - Start;

    public override string ToString() =>
        $"{Start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{End.ToString("HH:mm", CultureInfo.InvariantCulture)}";
}

/// <summary>A day named by a year's official decision, with the reason to show (optional).</summary>
public readonly record struct DecidedDay(DateOnly Date, string? Reason);

/// <summary>
/// One year's official decisions: extra days off (holiday arrangements, swaps) and make-up working
/// days (weekend days worked in exchange). They win over the computed statutory days (see <see cref="StatutoryHolidays"/>).
/// </summary>
public sealed record YearDecision(IReadOnlyList<DecidedDay> DaysOff, IReadOnlyList<DecidedDay> WorkingDays)
{
    public static YearDecision Empty { get; } = new([], []);
}

/// <summary>
/// A working calendar as written in <c>definitions/calendars/&lt;id&gt;.yaml</c> (see definition-format.md).
/// Build one with <see cref="Parse"/> (YAML) or directly; <see cref="WorkingCalendar"/> does the arithmetic.
/// </summary>
/// <param name="Id">Calendar id, e.g. <c>vn</c>.</param>
/// <param name="Zone">IANA zone id; only fixed-offset zones are accepted (see <see cref="CalendarZones"/>).</param>
/// <param name="Weekend">Weekly rest days.</param>
/// <param name="OfficeHours">Office periods of a working day, ascending and non-overlapping.</param>
/// <param name="LateReceiptCutoff">Receipts at or after this time count from the next working day; null = off.</param>
/// <param name="Years">Official decisions by Gregorian year.</param>
/// <param name="StatutoryRules">Whether Vietnam's statutory holidays are computed (true for <c>vn</c>);
/// false for a calendar whose non-working days are only those listed in <paramref name="Years"/>.</param>
/// <param name="Holidays">The statutory holiday rules (the file's <c>holidays:</c>); null: <see cref="HolidayRules.VietnamLabourCode"/>.</param>
/// <param name="Version">The calendar's version (the file's <c>version:</c>), cited by re-planned dossiers; null: unnumbered.</param>
/// <param name="Decision">The decision the version publishes (the file's <c>decision:</c>), e.g. "Thông báo số 6150/TB-BNV"; cited by re-planned dossiers.</param>
public sealed record CalendarSpec(
    string Id,
    string Zone,
    IReadOnlyList<DayOfWeek> Weekend,
    IReadOnlyList<OfficePeriod> OfficeHours,
    TimeOnly? LateReceiptCutoff,
    IReadOnlyDictionary<int, YearDecision> Years,
    bool StatutoryRules = true,
    IReadOnlyList<HolidayRule>? Holidays = null,
    int? Version = null,
    string? Decision = null)
{
    /// <summary>The holiday rules in effect: none when <see cref="StatutoryRules"/> is false, else the file's or the labour code's.</summary>
    public IReadOnlyList<HolidayRule> EffectiveHolidays => !StatutoryRules ? [] : Holidays ?? HolidayRules.VietnamLabourCode;

    /// <summary>Vietnam's civil-service calendar with the statutory rules and no explicit year decisions.</summary>
    public static CalendarSpec Vietnam { get; } = new(
        "vn",
        CalendarZones.Vietnam,
        [DayOfWeek.Saturday, DayOfWeek.Sunday],
        [new OfficePeriod(new TimeOnly(7, 30), new TimeOnly(11, 30)), new OfficePeriod(new TimeOnly(13, 30), new TimeOnly(17, 0))],
        null,
        new Dictionary<int, YearDecision>());

    /// <summary>Parses a calendar file; every problem is reported with its line and column (unknown keys included).</summary>
    public static CalendarParseResult Parse(string yamlText, string path) => CalendarFileParser.Parse(yamlText, path);

    /// <summary>The decision recorded for <paramref name="year"/>, or an empty one.</summary>
    public YearDecision DecisionFor(int year) => Years.TryGetValue(year, out var d) ? d : YearDecision.Empty;

    /// <summary>Checks the invariants the arithmetic relies on; returns the problems (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id))
        {
            problems.Add("calendar id is empty");
        }

        if (!CalendarZones.TryGetOffset(Zone, out _))
        {
            problems.Add($"unknown or non-fixed time zone '{Zone}'; supported: {string.Join(", ", CalendarZones.Known)} or UTC+hh:mm");
        }

        if (Weekend.Distinct().Count() != Weekend.Count)
        {
            problems.Add("weekend lists a day twice");
        }

        if (Weekend.Distinct().Count() >= 7)
        {
            problems.Add("weekend covers the whole week: there would be no working day");
        }

        if (OfficeHours.Count == 0)
        {
            problems.Add("officeHours is empty: a working day needs at least one office period");
        }

        for (var i = 0; i < OfficeHours.Count; i++)
        {
            var p = OfficeHours[i];
            if (p.End <= p.Start)
            {
                problems.Add($"office period {p} ends before it starts");
            }

            if (i > 0 && p.Start < OfficeHours[i - 1].End)
            {
                problems.Add($"office period {p} overlaps or precedes {OfficeHours[i - 1]}; list periods in order");
            }
        }

        problems.AddRange(HolidayRules.Problems(EffectiveHolidays));

        foreach (var (year, decision) in Years)
        {
            foreach (var d in decision.DaysOff.Concat(decision.WorkingDays))
            {
                if (d.Date.Year != year)
                {
                    problems.Add($"{d.Date:yyyy-MM-dd} is listed under year {year}");
                }
            }

            var both = decision.DaysOff.Select(d => d.Date).Intersect(decision.WorkingDays.Select(d => d.Date)).ToList();
            problems.AddRange(both.Select(d => $"{d:yyyy-MM-dd} is listed both as a day off and as a working day"));
        }

        return problems;
    }
}

/// <summary>The fixed-offset zones a calendar may name. Resolved without reading the system's time-zone database.</summary>
public static class CalendarZones
{
    public const string Vietnam = "Asia/Ho_Chi_Minh";

    private static readonly Dictionary<string, TimeSpan> Offsets = new(StringComparer.Ordinal)
    {
        // Vietnam has kept UTC+7 without daylight saving since 1975 (the calendar applies it to every year).
        [Vietnam] = TimeSpan.FromHours(7),
        ["Asia/Saigon"] = TimeSpan.FromHours(7),
        ["Asia/Bangkok"] = TimeSpan.FromHours(7),
        ["Asia/Phnom_Penh"] = TimeSpan.FromHours(7),
        ["Asia/Vientiane"] = TimeSpan.FromHours(7),
        ["Asia/Jakarta"] = TimeSpan.FromHours(7),
        ["UTC"] = TimeSpan.Zero,
        ["Etc/UTC"] = TimeSpan.Zero,
    };

    public static IEnumerable<string> Known => Offsets.Keys;

    /// <summary>Resolves a known zone id or an explicit <c>UTC+hh:mm</c> / <c>UTC-hh:mm</c>.</summary>
    public static bool TryGetOffset(string? zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(zone))
        {
            return false;
        }

        if (Offsets.TryGetValue(zone, out offset))
        {
            return true;
        }

        if (zone.Length == 9 && zone.StartsWith("UTC", StringComparison.Ordinal) && zone[3] is '+' or '-' &&
            TimeSpan.TryParseExact(zone[4..], @"hh\:mm", CultureInfo.InvariantCulture, out var t) && t <= TimeSpan.FromHours(14))
        {
            offset = zone[3] == '-' ? -t : t;
            return true;
        }

        return false;
    }
}
