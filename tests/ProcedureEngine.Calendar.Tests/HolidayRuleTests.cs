using ProcedureEngine.Calendar;
using static ProcedureEngine.Calendar.Tests.Calendars;

namespace ProcedureEngine.Calendar.Tests;

public sealed class HolidayRuleTests
{
    private const string Header = """
        id: vn
        zone: Asia/Ho_Chi_Minh
        weekend: [saturday, sunday]
        officeHours: ["07:30-11:30", "13:30-17:00"]

        """;

    private static string VnWith(string extraRule)
    {
        var text = File.ReadAllText(FindRepositoryFile("definitions/calendars/vn.yaml"));
        var at = text.IndexOf("  # Ngày Văn hóa Việt Nam", StringComparison.Ordinal);
        at.ShouldBeGreaterThan(0);
        return text[..at] + extraRule + "\n" + text[at..];
    }

    [Fact]
    public void The_rules_written_in_vn_yaml_give_the_same_days_as_the_built_in_labour_code_for_every_year()
    {
        var file = VnFile.Spec with { Years = new Dictionary<int, YearDecision>() };
        file.Holidays.ShouldNotBeNull();
        file.Holidays!.Count.ShouldBe(HolidayRules.VietnamLabourCode.Count);
        var fromFile = new WorkingCalendar(file);
        var builtIn = WorkingCalendar.Vietnam();
        for (var year = WorkingCalendar.MinYear; year <= WorkingCalendar.MaxYear; year++)
        {
            fromFile.NonWorkingDays(year).ShouldBe(builtIn.NonWorkingDays(year), $"year {year}");
        }
    }

    [Fact]
    public void A_new_holiday_rule_with_a_from_date_applies_from_that_date_and_not_before()
    {
        var calendar = WorkingCalendar.Load(VnWith("""
              - { id: van-hoa-viet-nam, name: "Ngày Văn hóa Việt Nam", solar: 11-24, from: 2027-01-01,
                  law: "Bộ luật Lao động (sửa đổi), Điều 112 khoản 1" }
            """), "vn.yaml");

        calendar.IsWorkingDay(new DateOnly(2026, 11, 24)).ShouldBeTrue();
        calendar.IsWorkingDay(new DateOnly(2027, 11, 24)).ShouldBeFalse();
        calendar.NonWorkingReason(new DateOnly(2027, 11, 24)).ShouldBe("Ngày Văn hóa Việt Nam (24/11)");

        // 24/11/2029 is a Saturday: the day in lieu is Monday 26/11 (Art. 111.3).
        calendar.IsWorkingDay(new DateOnly(2029, 11, 26)).ShouldBeFalse();
        calendar.NonWorkingReason(new DateOnly(2029, 11, 26)).ShouldBe("Nghỉ bù Ngày Văn hóa Việt Nam (24/11) trùng ngày nghỉ hằng tuần 24/11");

        // Working-day arithmetic follows: Monday 23/11/2026 + 1 day is Tuesday; in 2027 Tuesday 23/11 + 1 skips Wednesday 24/11.
        calendar.Add(At("2026-11-23 09:00"), Duration.WorkingDays(1)).ShouldBe(At("2026-11-24 09:00"));
        calendar.Add(At("2027-11-23 09:00"), Duration.WorkingDays(1)).ShouldBe(At("2027-11-25 09:00"));
    }

    [Fact]
    public void Tet_gives_four_days_under_the_1994_code_and_five_from_the_2012_code_in_force_1_May_2013()
    {
        DayOfWeek[] weekend = [DayOfWeek.Saturday, DayOfWeek.Sunday];
        StatutoryHolidays.For(2013, weekend).Count(d => d.HolidayId == "tet-nguyen-dan" && !d.InLieu).ShouldBe(4);
        StatutoryHolidays.For(2014, weekend).Count(d => d.HolidayId == "tet-nguyen-dan" && !d.InLieu).ShouldBe(5);
        StatutoryHolidays.For(2014, weekend).First(d => d.HolidayId == "tet-nguyen-dan").Reason.ShouldBe("Tết Nguyên đán Giáp Ngọ (30 tháng Chạp)");
        HolidayRules.VietnamLabourCode.ShouldAllBe(r => r.Law.Length > 0);
    }

    [Fact]
    public void An_administrator_can_end_a_holiday_rule_with_until()
    {
        var text = Header + """
            holidays:
              - { id: test-day, name: "Ngày thử", solar: 03-03, until: 2026-12-31, law: "Quyết định thử" }
            """;
        var calendar = WorkingCalendar.Load(text, "c.yaml");
        calendar.IsWorkingDay(new DateOnly(2026, 3, 3)).ShouldBeFalse();
        calendar.IsWorkingDay(new DateOnly(2027, 3, 3)).ShouldBeTrue();

        // The file's list replaces the labour code's: 30/4 is a working day in this test calendar.
        calendar.IsWorkingDay(new DateOnly(2026, 4, 30)).ShouldBeTrue();
    }

    [Fact]
    public void A_lunar_holiday_rule_is_computed_on_the_lunar_calendar()
    {
        var text = Header + """
            holidays:
              - { id: vu-lan, name: "Lễ Vu Lan", lunar: 07-15, law: "Quyết định thử" }
            """;
        var calendar = WorkingCalendar.Load(text, "c.yaml");
        var day = VietnameseLunarCalendar.ToSolar(new LunarDate(2026, 7, 15, false));
        calendar.NonWorkingReason(day).ShouldBe(calendar.IsWorkingDay(day) ? null : "Lễ Vu Lan (15/7 âm lịch)");
        if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
        {
            calendar.IsWorkingDay(day).ShouldBeFalse();
        }
    }

    [Fact]
    public void Bad_holiday_rules_are_reported_with_line_column_and_code()
    {
        var text = Header + """
            holidays:
              - { id: a, name: "A", solar: 02-30, law: "x" }
              - { id: b, name: "B", solar: 11-24 }
              - { id: c, name: "C", lunar: 3-10, law: "x" }
              - { id: d, name: "D", solar: 05-05, law: "x", from: 2027-01-01, until: 2026-01-01 }
              - { id: e, name: "E", solar: 06-06, law: "x", days: 0, colour: red }
              - { id: f, name: "F", solar: 07-07, law: "x", from: 2020-01-01 }
              - { id: f, name: "F", solar: 07-08, law: "x", from: 2025-01-01 }
              - { id: g, name: "G", law: "x" }
            """;
        var errors = CalendarSpec.Parse(text, "c.yaml").Errors;
        errors.Select(e => e.ToString()).ShouldBe([
            "c.yaml:6:32: error PE904: '02-30' is not a solar month and day",
            "c.yaml:7:5: error PE903: missing required key 'law'",
            "c.yaml:8:32: error PE904: '3-10' is not a month and day; expected MM-DD such as 11-24",
            "c.yaml:9:74: error PE905: until 2026-01-01 is before from 2027-01-01",
            "c.yaml:10:58: error PE902: unknown key 'colour' in holiday rule; allowed: id, name, solar, lunar, before, days, adjacentDay, law, from, until, label",
            "c.yaml:10:55: error PE904: days must be a whole number 1–15, not '0'",
            "c.yaml:12:11: error PE905: holiday 'f' has two versions in force at the same time; give them disjoint from/until",
            "c.yaml:13:5: error PE903: missing required key 'solar' or 'lunar' (the holiday's date as MM-DD)",
        ]);
    }

    [Fact]
    public void Version_and_decision_are_read_for_the_re_planning_record()
    {
        var spec = CalendarSpec.Parse(Header + "version: 3\ndecision: \"Thông báo số 1/TB-BNV\"\n", "c.yaml").Spec!;
        spec.Version.ShouldBe(3);
        spec.Decision.ShouldBe("Thông báo số 1/TB-BNV");
        CalendarSpec.Parse(Header + "version: zero\n", "c.yaml").Errors.Single().ToString()
            .ShouldBe("c.yaml:5:10: error PE904: version must be a whole number from 1, not 'zero'");
    }
}

public sealed class CalendarDiffTests
{
    private static WorkingCalendar Cal(string years) => WorkingCalendar.Load($"""
        id: vn
        version: 2
        zone: Asia/Ho_Chi_Minh
        years:
        {years}
        """, "vn.yaml");

    [Fact]
    public void A_day_off_and_a_swap_are_the_days_that_change()
    {
        var old = WorkingCalendar.Vietnam();
        var @new = Cal("""
              2026:
                daysOff: [{ date: 2026-11-24, reason: "Ngày Văn hóa Việt Nam" }, 2026-11-27]
                workingDays: [2026-11-28]
            """);
        var diff = CalendarDiff.Compare(old, @new, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        diff.Days.Select(d => d.ToString()).ShouldBe([
            "2026-11-24 làm việc → nghỉ: Ngày Văn hóa Việt Nam",
            "2026-11-27 làm việc → nghỉ: Ngày nghỉ theo quyết định năm 2026",
            "2026-11-28 nghỉ → làm việc (trước: Ngày nghỉ hằng tuần (thứ Bảy))",
        ]);
        diff.NewVersion.ShouldBe(2);
        diff.SettingChanges.ShouldBeEmpty();
        diff.Touches(Calendars.At("2026-11-20 09:00"), Calendars.At("2026-11-23 17:00"), TimeSpan.FromHours(7)).ShouldBeFalse();
        diff.Touches(Calendars.At("2026-11-20 09:00"), Calendars.At("2026-11-24 08:00"), TimeSpan.FromHours(7)).ShouldBeTrue();
        diff.Touches(Calendars.At("2026-11-28 09:00"), Calendars.At("2026-12-24 08:00"), TimeSpan.FromHours(7)).ShouldBeTrue();
        diff.Touches(Calendars.At("2026-11-29 09:00"), Calendars.At("2026-12-24 08:00"), TimeSpan.FromHours(7)).ShouldBeFalse();
    }

    [Fact]
    public void The_same_calendar_twice_has_no_difference_and_office_hours_change_every_window()
    {
        CalendarDiff.Compare(WorkingCalendar.Vietnam(), WorkingCalendar.Vietnam()).IsEmpty.ShouldBeTrue();
        var longer = WorkingCalendar.Load("id: vn\nofficeHours: [\"07:00-11:30\", \"13:30-17:00\"]\n", "vn.yaml");
        var diff = CalendarDiff.Compare(WorkingCalendar.Vietnam(), longer);
        diff.Days.ShouldBeEmpty();
        diff.SettingChanges.ShouldBe(["officeHours: 07:30-11:30, 13:30-17:00 → 07:00-11:30, 13:30-17:00"]);
        diff.Touches(Calendars.At("2026-11-29 09:00"), Calendars.At("2026-11-29 10:00"), TimeSpan.FromHours(7)).ShouldBeTrue();
    }
}
