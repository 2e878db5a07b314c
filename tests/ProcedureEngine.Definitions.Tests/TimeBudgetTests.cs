using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Validation;

namespace ProcedureEngine.Definitions.Tests;

public class TimeBudgetTests
{
    private static decimal Hours(decimal workingDays) => workingDays * TimeBudget.HoursPerWorkingDay;

    [Fact]
    public void Seven_working_days_overrun_ten_calendar_days_for_a_dossier_received_on_a_Friday_evening()
    {
        var m = TimeBudget.Against(Duration.CalendarDays(10), 0, Hours(7));
        m.Exceeds.ShouldBeTrue();
        m.Total.ShouldBe(11);
        m.WorstReceiptDay.ShouldBe(DayOfWeek.Friday);
    }

    [Fact]
    public void Six_working_days_fit_ten_calendar_days_whatever_the_day_of_receipt()
    {
        var m = TimeBudget.Against(Duration.CalendarDays(10), 0, Hours(6));
        m.Exceeds.ShouldBeFalse();
        m.Approximate.ShouldBeTrue();
    }

    [Fact]
    public void A_calendar_period_ending_on_a_weekend_runs_to_the_next_working_day()
    {
        // 21 working days from a Friday evening end on the fifth Monday (day 31); the 30th day is a Sunday,
        // so the 30-day period runs to that Monday too: it fits even though 21 + 2·5 > 30.
        TimeBudget.Against(Duration.CalendarDays(30), 0, Hours(21)).Exceeds.ShouldBeFalse();
        TimeBudget.Against(Duration.CalendarDays(30), 0, Hours(23)).Exceeds.ShouldBeTrue();
    }

    [Fact]
    public void Working_hours_and_working_days_compare_exactly_at_seven_and_a_half_hours_a_day()
    {
        TimeBudget.NoLongerThan(Duration.WorkingHours(7.5m), Duration.WorkingDays(1)).ShouldBe(true);
        TimeBudget.NoLongerThan(Duration.WorkingHours(8), Duration.WorkingDays(1)).ShouldBe(false);
        TimeBudget.NoLongerThan(Duration.CalendarDays(5), Duration.WorkingDays(5)).ShouldBeNull();
        var m = TimeBudget.Against(Duration.WorkingDays(15), 0, Hours(10) + 8);
        m.Total.ShouldBe(10m + (8m / 7.5m));
        m.Approximate.ShouldBeFalse();
    }

    [Fact]
    public void Calendar_day_steps_count_as_working_days_against_a_working_limit_and_are_flagged()
    {
        var m = TimeBudget.Against(Duration.WorkingDays(10), 3, Hours(7.5m));
        m.Total.ShouldBe(10.5m);
        m.Exceeds.ShouldBeTrue();
        m.Approximate.ShouldBeTrue();
    }
}
