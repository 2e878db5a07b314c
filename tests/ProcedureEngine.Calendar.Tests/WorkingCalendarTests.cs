using ProcedureEngine.Calendar;
using static ProcedureEngine.Calendar.Tests.Calendars;

namespace ProcedureEngine.Calendar.Tests;

public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Vn = VnFile;

    [Fact]
    public void New_Year_2026_gives_Friday_2_January_off_and_Saturday_10_January_is_worked()
    {
        Vn.IsWorkingDay(new DateOnly(2026, 1, 1)).ShouldBeFalse();
        Vn.IsWorkingDay(new DateOnly(2026, 1, 2)).ShouldBeFalse();
        Vn.IsWorkingDay(new DateOnly(2026, 1, 5)).ShouldBeTrue();
        Vn.IsWorkingDay(new DateOnly(2026, 1, 10)).ShouldBeTrue();
        Vn.IsWorkingDay(new DateOnly(2026, 1, 11)).ShouldBeFalse();

        // A dossier received on Friday 9 January is due the next day: the make-up Saturday counts.
        Vn.Add(At("2026-01-09 09:00"), Duration.WorkingDays(1)).ShouldBe(At("2026-01-10 09:00"));
        Vn.MakeUpWorkingDays(2026).Select(d => d.Date).ShouldBe([new DateOnly(2026, 1, 10)]);
    }

    [Fact]
    public void A_limit_spanning_the_year_end_skips_the_New_Year_days_off()
    {
        // Wednesday 31 Dec 2025 09:00 + 2 working days: 1-2 Jan off, 3-4 Jan weekend -> Tuesday 6 Jan 09:00.
        Vn.Add(At("2025-12-31 09:00"), Duration.WorkingDays(2)).ShouldBe(At("2026-01-06 09:00"));
        Vn.Add(At("2025-12-30 16:00"), Duration.WorkingDays(1)).ShouldBe(At("2025-12-31 16:00"));
        Vn.WorkingTimeBetween(At("2025-12-31 16:00"), At("2026-01-05 08:30")).ShouldBe(TimeSpan.FromHours(2));
    }

    [Fact]
    public void Tet_2026_closes_offices_from_Saturday_14_to_Sunday_22_February()
    {
        for (var d = new DateOnly(2026, 2, 14); d <= new DateOnly(2026, 2, 22); d = d.AddDays(1))
        {
            Vn.IsWorkingDay(d).ShouldBeFalse(d.ToString("O"));
        }

        Vn.IsWorkingDay(new DateOnly(2026, 2, 13)).ShouldBeTrue();
        Vn.IsWorkingDay(new DateOnly(2026, 2, 23)).ShouldBeTrue();
        Vn.Add(At("2026-02-13 10:00"), Duration.WorkingDays(1)).ShouldBe(At("2026-02-23 10:00"));
        Vn.Add(At("2026-02-12 08:00"), Duration.WorkingDays(5)).ShouldBe(At("2026-02-26 08:00"));
    }

    [Fact]
    public void The_statutory_rule_alone_gives_the_same_Tet_2026_as_the_decision()
    {
        var rules = WorkingCalendar.Vietnam();
        rules.NonWorkingDays(2026).Where(d => d.Date.Month == 2).Select(d => d.Date.Day).ShouldBe([16, 17, 18, 19, 20]);
        rules.NonWorkingDays(2026)[1].Reason.ShouldBe("Tết Nguyên đán Bính Ngọ (29 tháng Chạp)");
    }

    [Fact]
    public void The_30_April_bridge_of_2025_swaps_Friday_2_May_with_Saturday_26_April()
    {
        Vn.IsWorkingDay(new DateOnly(2025, 4, 26)).ShouldBeTrue();
        Vn.IsWorkingDay(new DateOnly(2025, 5, 2)).ShouldBeFalse();
        var friday = At("2025-04-25 14:00");
        Vn.Add(friday, Duration.WorkingDays(1)).ShouldBe(At("2025-04-26 14:00"));
        Vn.Add(friday, Duration.WorkingDays(3)).ShouldBe(At("2025-04-29 14:00"));
        Vn.Add(friday, Duration.WorkingDays(4)).ShouldBe(At("2025-05-05 14:00"));
    }

    [Fact]
    public void The_30_April_bridge_of_2024_runs_from_27_April_to_1_May_with_Saturday_4_May_worked()
    {
        Vn.Add(At("2024-04-26 09:00"), Duration.WorkingDays(1)).ShouldBe(At("2024-05-02 09:00"));
        Vn.Add(At("2024-05-03 09:00"), Duration.WorkingDays(1)).ShouldBe(At("2024-05-04 09:00"));
        Vn.NonWorkingDays(2024).Where(d => d.Date.Month is 4 or 5).Select(d => d.Date.ToString("MM-dd"))
            .ShouldBe(["04-18", "04-29", "04-30", "05-01"]);
    }

    [Fact]
    public void Half_a_working_day_is_3_hours_45_minutes_of_office_time_across_the_lunch_break()
    {
        Vn.Add(At("2026-03-02 07:30"), Duration.WorkingDays(0.5m)).ShouldBe(At("2026-03-02 11:15"));
        Vn.Add(At("2026-03-02 08:00"), Duration.WorkingDays(0.5m)).ShouldBe(At("2026-03-02 13:45"));
        Vn.Add(At("2026-03-02 13:30"), Duration.WorkingDays(0.5m)).ShouldBe(At("2026-03-03 07:45"));
        Vn.Add(At("2026-03-02 09:00"), Duration.WorkingDays(2.5m)).ShouldBe(At("2026-03-04 14:45"));
    }

    [Fact]
    public void A_deadline_landing_at_the_end_of_office_hours_stays_at_17_00()
    {
        Vn.Add(At("2026-03-02 07:30"), Duration.WorkingDays(1)).ShouldBe(At("2026-03-02 17:00"));
        Vn.Add(At("2026-03-02 07:30"), Duration.WorkingHours(4)).ShouldBe(At("2026-03-02 11:30"));
    }

    [Fact]
    public void Receipt_at_16_59_counts_at_once_and_at_17_01_counts_from_the_next_morning()
    {
        Vn.CountingStart(At("2026-03-02 16:59")).ShouldBe(At("2026-03-02 16:59"));
        Vn.Add(At("2026-03-02 16:59"), Duration.WorkingHours(4)).ShouldBe(At("2026-03-03 11:29"));
        Vn.CountingStart(At("2026-03-02 17:01")).ShouldBe(At("2026-03-03 07:30"));
        Vn.Add(At("2026-03-02 17:01"), Duration.WorkingHours(4)).ShouldBe(At("2026-03-03 11:30"));
        Vn.Add(At("2026-03-02 17:01"), Duration.WorkingDays(1)).ShouldBe(At("2026-03-03 17:00"));
    }

    [Fact]
    public void Receipt_on_Sunday_or_at_lunch_counts_from_the_next_office_period()
    {
        Vn.CountingStart(At("2026-03-08 10:00")).ShouldBe(At("2026-03-09 07:30"));
        Vn.Add(At("2026-03-08 10:00"), Duration.WorkingDays(1)).ShouldBe(At("2026-03-09 17:00"));
        Vn.CountingStart(At("2026-03-09 12:15")).ShouldBe(At("2026-03-09 13:30"));
        Vn.CountingStart(At("2026-03-09 06:00")).ShouldBe(At("2026-03-09 07:30"));
    }

    [Fact]
    public void Instants_in_another_offset_are_read_in_Vietnam_time()
    {
        var utc = new DateTimeOffset(2026, 3, 2, 9, 59, 0, TimeSpan.Zero); // 16:59 in Hà Nội
        Vn.CountingStart(utc).ShouldBe(At("2026-03-02 16:59"));
        Vn.Add(utc, Duration.WorkingHours(1)).Offset.ShouldBe(TimeSpan.FromHours(7));
    }

    [Fact]
    public void Calendar_days_ending_on_a_holiday_end_at_the_close_of_the_next_working_day()
    {
        // Received Friday 10 April 2026: counting starts on the 11th; day 20 is Thursday 30 April (holiday),
        // 1 May is a holiday, 2-3 May the weekend: due Monday 4 May at 17:00.
        Vn.Add(At("2026-04-10 09:00"), Duration.CalendarDays(20)).ShouldBe(At("2026-05-04 17:00"));

        // Day 5 falls on a Saturday: due the following Monday at 17:00.
        Vn.Add(At("2026-03-02 09:00"), Duration.CalendarDays(5)).ShouldBe(At("2026-03-09 17:00"));

        // Day 3 is a working day: due at the end of that day.
        Vn.Add(At("2026-03-02 09:00"), Duration.CalendarDays(3)).ShouldBe(At("2026-03-05 17:00"));
    }

    [Fact]
    public void Calendar_days_count_weekends_and_holidays_inside_the_period()
    {
        // 20 days from Friday 30 January 2026 end on Thursday 19 February, in Tết: due Monday 23 February.
        Vn.Add(At("2026-01-30 10:00"), Duration.CalendarDays(20)).ShouldBe(At("2026-02-23 17:00"));
    }

    [Fact]
    public void Working_time_between_instants_reports_early_or_late_in_office_hours()
    {
        Vn.WorkingTimeBetween(At("2026-03-06 16:00"), At("2026-03-09 08:30")).ShouldBe(TimeSpan.FromHours(2));
        Vn.WorkingTimeBetween(At("2026-03-09 08:30"), At("2026-03-06 16:00")).ShouldBe(TimeSpan.FromHours(-2));
        Vn.WorkingTimeBetween(At("2026-03-09 11:00"), At("2026-03-09 14:00")).ShouldBe(TimeSpan.FromMinutes(60));
        Vn.WorkingTimeBetween(At("2026-02-13 17:00"), At("2026-02-23 07:30")).ShouldBe(TimeSpan.Zero);
        Vn.WorkingTimeBetween(At("2026-03-02 07:30"), At("2026-03-07 12:00")).ShouldBe(5 * Vn.WorkingDayLength);
    }

    [Fact]
    public void Office_time_of_any_length_can_be_added_for_resumed_clocks()
    {
        // 1 h 17 min left when the clock stopped, resumed Friday 16:30: 30 min on Friday, 47 min on Monday.
        Vn.AddWorkingTime(At("2026-03-06 16:30"), TimeSpan.FromMinutes(77)).ShouldBe(At("2026-03-09 08:17"));
        Vn.AddWorkingTime(At("2026-03-09 11:00"), TimeSpan.FromMinutes(45)).ShouldBe(At("2026-03-09 13:45"));
        Should.Throw<ArgumentOutOfRangeException>(() => Vn.AddWorkingTime(At("2026-03-09 11:00"), TimeSpan.FromMinutes(-1)));
    }

    [Fact]
    public void Working_day_is_seven_and_a_half_hours_of_office_time()
    {
        Vn.WorkingDayLength.ShouldBe(TimeSpan.FromHours(7.5));
        Vn.UtcOffset.ShouldBe(TimeSpan.FromHours(7));
        Vn.Id.ShouldBe("vn");
    }

    [Fact]
    public void A_late_receipt_cutoff_moves_receipts_at_or_after_it_to_the_next_working_day()
    {
        var spec = CalendarSpec.Vietnam with { LateReceiptCutoff = new TimeOnly(15, 0) };
        var calendar = new WorkingCalendar(spec);
        calendar.CountingStart(At("2026-03-06 14:59")).ShouldBe(At("2026-03-06 14:59"));
        calendar.CountingStart(At("2026-03-06 15:00")).ShouldBe(At("2026-03-09 07:30"));
        calendar.Add(At("2026-03-06 15:30"), Duration.WorkingDays(1)).ShouldBe(At("2026-03-09 17:00"));
    }

    [Fact]
    public void The_year_2026_non_working_days_are_listed_with_reasons()
    {
        var days = Vn.NonWorkingDays(2026).Select(d => d.Date.ToString("yyyy-MM-dd")).ToList();
        days.ShouldBe([
            "2026-01-01", "2026-01-02",
            "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
            "2026-04-27", "2026-04-30", "2026-05-01",
            "2026-09-01", "2026-09-02",
        ]);
        Vn.NonWorkingDays(2026).Single(d => d.Date == new DateOnly(2026, 4, 27)).Reason
            .ShouldBe("Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch) trùng ngày nghỉ hằng tuần 26/04");
        Vn.NonWorkingReason(new DateOnly(2026, 3, 8)).ShouldBe("Ngày nghỉ hằng tuần (Chủ nhật)");
        Vn.NonWorkingReason(new DateOnly(2026, 3, 9)).ShouldBeNull();
    }

    [Fact]
    public void Year_2024_and_2025_decisions_match_the_announcements()
    {
        Vn.NonWorkingDays(2024).Select(d => d.Date.ToString("MM-dd")).ShouldBe([
            "01-01", "02-08", "02-09", "02-12", "02-13", "02-14", "04-18", "04-29", "04-30", "05-01", "09-02", "09-03",
        ]);
        Vn.NonWorkingDays(2025).Select(d => d.Date.ToString("MM-dd")).ShouldBe([
            "01-01", "01-27", "01-28", "01-29", "01-30", "01-31", "04-07", "04-30", "05-01", "05-02", "09-01", "09-02",
        ]);
    }

    [Theory]
    [InlineData(2021, "09-02", "09-03")] // Thursday: 3/9 joins the weekend
    [InlineData(2022, "09-01", "09-02")] // Friday: 1/9
    [InlineData(2023, "09-01", "09-04")] // Saturday: 1/9 and Monday 4/9 in lieu (as announced for 2023)
    [InlineData(2024, "09-02", "09-03")] // Monday: 3/9
    [InlineData(2025, "09-01", "09-02")] // Tuesday: 1/9
    public void National_Day_takes_the_adjacent_day_that_joins_the_weekend(int year, string first, string second)
    {
        WorkingCalendar.Vietnam().NonWorkingDays(year).Where(d => d.Date.Month is 8 or 9).Select(d => d.Date.ToString("MM-dd"))
            .ShouldBe([first, second]);
    }

    [Fact]
    public void A_holiday_on_a_weekend_is_made_up_on_the_next_working_day()
    {
        // 1 January 2022 was a Saturday: Monday 3 January off in lieu. 30/4 and 1/5 2022: Saturday and Sunday.
        var rules = WorkingCalendar.Vietnam();
        rules.IsWorkingDay(new DateOnly(2022, 1, 3)).ShouldBeFalse();
        rules.IsWorkingDay(new DateOnly(2022, 5, 2)).ShouldBeFalse();
        rules.IsWorkingDay(new DateOnly(2022, 5, 3)).ShouldBeFalse();
        rules.IsWorkingDay(new DateOnly(2022, 5, 4)).ShouldBeTrue();
    }

    [Fact]
    public void Before_2021_National_Day_was_a_single_day_and_before_2007_Hung_Kings_day_was_not_a_holiday()
    {
        var rules = WorkingCalendar.Vietnam();
        rules.NonWorkingDays(2019).Count(d => d.Date.Month == 9).ShouldBe(1);
        rules.NonWorkingDays(2006).ShouldNotContain(d => d.Reason.Contains("Hùng Vương"));
        rules.NonWorkingDays(2007).ShouldContain(d => d.Reason.Contains("Hùng Vương"));
    }

    [Fact]
    public void A_year_decision_on_National_Day_replaces_the_computed_adjacent_day()
    {
        const string yaml = """
            id: test
            zone: Asia/Ho_Chi_Minh
            weekend: [saturday, sunday]
            officeHours: ["07:30-11:30", "13:30-17:00"]
            years:
              2026:
                daysOff: [2026-09-02, { date: 2026-09-03, reason: "Quốc khánh (ngày liền kề 3/9)" }]
            """;
        var calendar = WorkingCalendar.Load(yaml, "test.yaml");
        calendar.IsWorkingDay(new DateOnly(2026, 9, 1)).ShouldBeTrue();
        calendar.IsWorkingDay(new DateOnly(2026, 9, 3)).ShouldBeFalse();
        calendar.NonWorkingDays(2026).Where(d => d.Date.Month == 9).Select(d => d.Reason)
            .ShouldBe(["Quốc khánh (2/9)", "Quốc khánh (ngày liền kề 3/9)"]);

        // Holidays the decision does not mention keep their computed days.
        calendar.IsWorkingDay(new DateOnly(2026, 4, 27)).ShouldBeFalse();
    }

    [Fact]
    public void A_calendar_without_statutory_rules_has_only_its_listed_days_off()
    {
        const string yaml = """
            id: fixed
            statutoryHolidays: false
            years:
              2026:
                daysOff: [2026-04-30]
            """;
        var calendar = WorkingCalendar.Load(yaml, "fixed.yaml");
        calendar.NonWorkingDays(2026).ShouldBe([new NonWorkingDay(new DateOnly(2026, 4, 30), "Ngày nghỉ theo quyết định năm 2026")]);
        calendar.IsWorkingDay(new DateOnly(2026, 5, 1)).ShouldBeTrue();
    }

    [Fact]
    public void Instants_outside_1900_to_2199_are_refused_with_the_range()
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => Vn.CountingStart(new DateTimeOffset(2300, 1, 1, 8, 0, 0, TimeSpan.FromHours(7))));
        ex.Message.ShouldContain("1900-01-01");
        Should.Throw<ArgumentOutOfRangeException>(() => Vn.NonWorkingDays(1899));
    }

    [Fact]
    public void Every_year_1900_to_2199_has_between_9_and_14_holiday_days_off()
    {
        var rules = WorkingCalendar.Vietnam();
        for (var year = 2021; year <= 2199; year++)
        {
            rules.NonWorkingDays(year).Count.ShouldBeInRange(11, 14, $"year {year}");
        }

        for (var year = 1900; year <= 2020; year++)
        {
            rules.NonWorkingDays(year).Count.ShouldBeInRange(8, 14, $"year {year}");
        }
    }
}
