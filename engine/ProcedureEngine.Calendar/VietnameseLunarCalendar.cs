namespace ProcedureEngine.Calendar;

/// <summary>A date of the Vietnamese lunisolar calendar (âm lịch).</summary>
/// <param name="Year">The lunar year, numbered as the Gregorian year in which it mostly falls (Bính Ngọ = 2026).</param>
/// <param name="Month">1..12; month 12 is tháng Chạp, month 1 is tháng Giêng.</param>
/// <param name="Day">1..30.</param>
/// <param name="IsLeapMonth">True for the intercalary (nhuận) month that repeats <paramref name="Month"/>.</param>
public readonly record struct LunarDate(int Year, int Month, int Day, bool IsLeapMonth)
{
    public override string ToString() =>
        $"{Day:00}/{Month:00}{(IsLeapMonth ? " nhuận" : string.Empty)}/{Year} âm lịch";
}

/// <summary>
/// The Vietnamese lunisolar calendar computed by the astronomical method: a month starts on the
/// civil day (at UTC+7) of the true new moon; month 11 is the month containing the winter solstice;
/// in a year with 13 months, the leap month is the first one that contains no major solar term
/// (trung khí). Computing at UTC+7 instead of the Chinese UTC+8 is what makes Vietnamese Tết differ
/// from Chinese New Year in some years (1968, 1985, 2007, ...).
/// New moons use the truncated ELP/Meeus series (error well under a minute over 1900–2199), sun
/// longitude the low-precision solar theory (about 0.01°); both are pure functions of the day number.
/// Valid for Gregorian years 1900–2199. Pure and thread-safe.
/// </summary>
public static class VietnameseLunarCalendar
{
    public const int MinYear = 1900;
    public const int MaxYear = 2199;

    /// <summary>Vietnam's legal time: UTC+7 (hours).</summary>
    public const double VietnamUtcOffsetHours = 7.0;

    private const double SynodicMonth = 29.530588853;

    // Julian day of the new moon 1900-01-01 13:52 UT used as k = 0 by the series below.
    private const double NewMoonEpochJulianDay = 2415021.076998695;

    // Julian day number of DateOnly.DayNumber 0 (0001-01-01 proleptic Gregorian).
    private const int JulianDayOfDayNumberZero = 1721426;

    private const double Deg = Math.PI / 180.0;

    /// <summary>Tết: the first day of the lunar year that starts in Gregorian <paramref name="gregorianYear"/>.</summary>
    public static DateOnly LunarNewYear(int gregorianYear) => ToSolar(new LunarDate(gregorianYear, 1, 1, false));

    /// <summary>Tết computed for another time zone (e.g. 8 for the Chinese calendar); for comparisons only.</summary>
    public static DateOnly LunarNewYear(int gregorianYear, double utcOffsetHours) =>
        ToSolar(new LunarDate(gregorianYear, 1, 1, false), utcOffsetHours);

    /// <summary>The Gregorian date of a lunar date, at UTC+7.</summary>
    public static DateOnly ToSolar(LunarDate date) => ToSolar(date, VietnamUtcOffsetHours);

    /// <summary>The lunar date of a Gregorian date, at UTC+7.</summary>
    public static LunarDate FromSolar(DateOnly date) => FromSolar(date, VietnamUtcOffsetHours);

    /// <summary>The Gregorian date of a lunar date computed for a given UTC offset (hours).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Out of range, or a leap month the year does not have.</exception>
    public static DateOnly ToSolar(LunarDate date, double utcOffsetHours)
    {
        if (date.Year is < MinYear or > MaxYear)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"lunar year must be within {MinYear}–{MaxYear}");
        }

        if (date.Month is < 1 or > 12 || date.Day is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, "lunar month must be 1..12 and day 1..30");
        }

        // Months are counted from month 11 of the previous lunar year (the one holding the winter solstice).
        int month11;
        int nextMonth11;
        if (date.Month < 11)
        {
            month11 = Month11Start(date.Year - 1, utcOffsetHours);
            nextMonth11 = Month11Start(date.Year, utcOffsetHours);
        }
        else
        {
            month11 = Month11Start(date.Year, utcOffsetHours);
            nextMonth11 = Month11Start(date.Year + 1, utcOffsetHours);
        }

        var offset = date.Month - 11;
        if (offset < 0)
        {
            offset += 12;
        }

        if (nextMonth11 - month11 > 365)
        {
            var leapOffset = LeapMonthOffset(month11, utcOffsetHours);
            var leapMonth = leapOffset - 2;
            if (leapMonth < 0)
            {
                leapMonth += 12;
            }

            if (date.IsLeapMonth && date.Month != leapMonth)
            {
                throw new ArgumentOutOfRangeException(nameof(date), date, $"lunar year {date.Year} has no leap month {date.Month}");
            }

            if (date.IsLeapMonth || offset >= leapOffset)
            {
                offset++;
            }
        }
        else if (date.IsLeapMonth)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"lunar year {date.Year} has no leap month");
        }

        var k = (int)Math.Floor(0.5 + ((month11 - NewMoonEpochJulianDay) / SynodicMonth));
        var monthStart = NewMoonDay(k + offset, utcOffsetHours);
        var nextMonthStart = NewMoonDay(k + offset + 1, utcOffsetHours);
        if (date.Day > nextMonthStart - monthStart)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"that lunar month has only {nextMonthStart - monthStart} days");
        }

        return FromJulianDay(monthStart + date.Day - 1);
    }

    /// <summary>The lunar date of a Gregorian date computed for a given UTC offset (hours).</summary>
    public static LunarDate FromSolar(DateOnly date, double utcOffsetHours)
    {
        if (date.Year is < MinYear or > MaxYear)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"year must be within {MinYear}–{MaxYear}");
        }

        var day = ToJulianDay(date);
        var k = (int)Math.Floor((day - NewMoonEpochJulianDay) / SynodicMonth);
        var monthStart = NewMoonDay(k + 1, utcOffsetHours);
        if (monthStart > day)
        {
            monthStart = NewMoonDay(k, utcOffsetHours);
        }

        var month11 = Month11Start(date.Year, utcOffsetHours);
        var nextMonth11 = month11;
        int lunarYear;
        if (month11 >= monthStart)
        {
            lunarYear = date.Year;
            month11 = Month11Start(date.Year - 1, utcOffsetHours);
        }
        else
        {
            lunarYear = date.Year + 1;
            nextMonth11 = Month11Start(date.Year + 1, utcOffsetHours);
        }

        var lunarDay = day - monthStart + 1;
        var diff = (monthStart - month11) / 29;
        var isLeap = false;
        var lunarMonth = diff + 11;
        if (nextMonth11 - month11 > 365)
        {
            var leapOffset = LeapMonthOffset(month11, utcOffsetHours);
            if (diff >= leapOffset)
            {
                lunarMonth = diff + 10;
                isLeap = diff == leapOffset;
            }
        }

        if (lunarMonth > 12)
        {
            lunarMonth -= 12;
        }

        if (lunarMonth >= 11 && diff < 4)
        {
            lunarYear--;
        }

        return new LunarDate(lunarYear, lunarMonth, lunarDay, isLeap);
    }

    /// <summary>Number of days of the lunar month that contains <paramref name="date"/> (29 or 30), at UTC+7.</summary>
    public static int DaysInLunarMonthOf(DateOnly date)
    {
        var day = ToJulianDay(date);
        var k = (int)Math.Floor((day - NewMoonEpochJulianDay) / SynodicMonth);
        var start = NewMoonDay(k + 1, VietnamUtcOffsetHours);
        if (start > day)
        {
            k--;
            start = NewMoonDay(k + 1, VietnamUtcOffsetHours);
        }

        return NewMoonDay(k + 2, VietnamUtcOffsetHours) - start;
    }

    private static int ToJulianDay(DateOnly date) => date.DayNumber + JulianDayOfDayNumberZero;

    private static DateOnly FromJulianDay(int julianDay) => DateOnly.FromDayNumber(julianDay - JulianDayOfDayNumberZero);

    /// <summary>Julian day number (civil day in the given zone) of the k-th new moon after the 1900 epoch.</summary>
    private static int NewMoonDay(int k, double utcOffsetHours) =>
        (int)Math.Floor(NewMoon(k) + 0.5 + (utcOffsetHours / 24.0));

    /// <summary>
    /// Julian date (UT) of the k-th mean-lunation new moon after 1900-01-01, corrected by the principal
    /// periodic terms of the Sun's and Moon's anomalies and the Moon's argument of latitude, and by ΔT.
    /// </summary>
    private static double NewMoon(int k)
    {
        var t = k / 1236.85; // Julian centuries since 1900
        var t2 = t * t;
        var t3 = t2 * t;
        var meanNewMoon = 2415020.75933 + (29.53058868 * k) + (0.0001178 * t2) - (0.000000155 * t3)
            + (0.00033 * Math.Sin((166.56 + (132.87 * t) - (0.009173 * t2)) * Deg));
        var sunAnomaly = (359.2242 + (29.10535608 * k) - (0.0000333 * t2) - (0.00000347 * t3)) * Deg;
        var moonAnomaly = (306.0253 + (385.81691806 * k) + (0.0107306 * t2) + (0.00001236 * t3)) * Deg;
        var latitudeArgument = (21.2964 + (390.67050646 * k) - (0.0016528 * t2) - (0.00000239 * t3)) * Deg;

        var correction = ((0.1734 - (0.000393 * t)) * Math.Sin(sunAnomaly))
            + (0.0021 * Math.Sin(2 * sunAnomaly))
            - (0.4068 * Math.Sin(moonAnomaly))
            + (0.0161 * Math.Sin(2 * moonAnomaly))
            - (0.0004 * Math.Sin(3 * moonAnomaly))
            + (0.0104 * Math.Sin(2 * latitudeArgument))
            - (0.0051 * Math.Sin(sunAnomaly + moonAnomaly))
            - (0.0074 * Math.Sin(sunAnomaly - moonAnomaly))
            + (0.0004 * Math.Sin((2 * latitudeArgument) + sunAnomaly))
            - (0.0004 * Math.Sin((2 * latitudeArgument) - sunAnomaly))
            - (0.0006 * Math.Sin((2 * latitudeArgument) + moonAnomaly))
            + (0.0010 * Math.Sin((2 * latitudeArgument) - moonAnomaly))
            + (0.0005 * Math.Sin((2 * moonAnomaly) + sunAnomaly));

        // ΔT (TT − UT) in days, polynomial fits on either side of 1900.
        var deltaT = t < -11
            ? 0.001 + (0.000839 * t) + (0.0002261 * t2) - (0.00000845 * t3) - (0.000000081 * t * t3)
            : -0.000278 + (0.000265 * t) + (0.000262 * t2);

        return meanNewMoon + correction - deltaT;
    }

    /// <summary>Apparent ecliptic longitude of the Sun (radians, 0..2π) at a Julian date (UT).</summary>
    private static double SunLongitude(double julianDate)
    {
        var t = (julianDate - 2451545.0) / 36525.0; // Julian centuries since J2000.0
        var t2 = t * t;
        var meanAnomaly = (357.52910 + (35999.05030 * t) - (0.0001559 * t2) - (0.00000048 * t * t2)) * Deg;
        var meanLongitude = 280.46645 + (36000.76983 * t) + (0.0003032 * t2);
        var centre = ((1.914600 - (0.004817 * t) - (0.000014 * t2)) * Math.Sin(meanAnomaly))
            + ((0.019993 - (0.000101 * t)) * Math.Sin(2 * meanAnomaly))
            + (0.000290 * Math.Sin(3 * meanAnomaly));
        var longitude = (meanLongitude + centre) * Deg;
        longitude -= 2 * Math.PI * Math.Floor(longitude / (2 * Math.PI));
        return longitude;
    }

    /// <summary>
    /// Which 30° sector (0..11) the Sun is in at the start of civil day <paramref name="julianDay"/> in the zone:
    /// sector 9 starts at the winter solstice (270°); a month is leap when it contains no sector change.
    /// </summary>
    private static int SunSector(int julianDay, double utcOffsetHours) =>
        (int)Math.Floor(SunLongitude(julianDay - 0.5 - (utcOffsetHours / 24.0)) / Math.PI * 6);

    /// <summary>Julian day number of the first day of lunar month 11 (the month holding the winter solstice) of year <paramref name="year"/>.</summary>
    private static int Month11Start(int year, double utcOffsetHours)
    {
        var december31 = ToJulianDay(new DateOnly(year, 12, 31));
        var k = (int)Math.Floor((december31 - 2415021) / SynodicMonth);
        var newMoon = NewMoonDay(k, utcOffsetHours);
        if (SunSector(newMoon, utcOffsetHours) >= 9)
        {
            // The solstice had already passed when this month began: month 11 started one lunation earlier.
            newMoon = NewMoonDay(k - 1, utcOffsetHours);
        }

        return newMoon;
    }

    /// <summary>Offset (in months after month 11) of the leap month of a 13-month year starting at <paramref name="month11"/>.</summary>
    private static int LeapMonthOffset(int month11, double utcOffsetHours)
    {
        var k = (int)Math.Floor(((month11 - NewMoonEpochJulianDay) / SynodicMonth) + 0.5);
        var i = 1;
        var sector = SunSector(NewMoonDay(k + i, utcOffsetHours), utcOffsetHours);
        int last;
        do
        {
            last = sector;
            i++;
            sector = SunSector(NewMoonDay(k + i, utcOffsetHours), utcOffsetHours);
        }
        while (sector != last && i < 14);

        return i - 1;
    }
}
