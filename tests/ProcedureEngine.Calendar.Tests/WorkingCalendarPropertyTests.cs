using FsCheck;
using FsCheck.Fluent;
using ProcedureEngine.Calendar;

namespace ProcedureEngine.Calendar.Tests;

/// <summary>Generated instants (2018–2035, any minute) and durations, checked against the laws of the arithmetic.</summary>
public sealed class WorkingCalendarPropertyTests
{
    private static readonly WorkingCalendar Vn = Calendars.VnFile;
    private static readonly WorkingCalendar WithCutoff = new(Calendars.VnFile.Spec with { LateReceiptCutoff = new TimeOnly(15, 0) });

    private static readonly WorkingCalendar ThreePeriodsSundayOnly = new(CalendarSpec.Vietnam with
    {
        Weekend = [DayOfWeek.Sunday],
        OfficeHours =
        [
            new OfficePeriod(new TimeOnly(8, 0), new TimeOnly(12, 0)),
            new OfficePeriod(new TimeOnly(13, 0), new TimeOnly(15, 30)),
            new OfficePeriod(new TimeOnly(16, 0), new TimeOnly(18, 0)),
        ],
        LateReceiptCutoff = new TimeOnly(17, 0),
    });

    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(2000);

    private static Arbitrary<DateTimeOffset> Instants { get; } =
        Gen.Choose(0, 18 * 365 * 24 * 60)
            .Select(minutes => new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.FromHours(7)).AddMinutes(minutes))
            .ToArbitrary();

    private static Arbitrary<Duration> WorkingDurations { get; } =
        Gen.OneOf(
                Gen.Choose(0, 120).Select(h => new Duration(h, DurationUnit.WorkingDays)),
                Gen.Choose(0, 200).Select(h => new Duration(h, DurationUnit.WorkingHours)))
            .ToArbitrary();

    private static Arbitrary<Duration> AnyDurations { get; } =
        Gen.OneOf(WorkingDurations.Generator, Gen.Choose(0, 90).Select(Duration.CalendarDays)).ToArbitrary();

    [Fact]
    public void The_due_instant_is_inside_office_hours_of_a_working_day_and_not_before_the_receipt()
    {
        Check.One(Runs, Prop.ForAll(Instants, WorkingDurations, (start, duration) =>
        {
            var due = Vn.Add(start, duration);
            return due >= start && Vn.IsOfficeTime(due);
        }));
    }

    [Fact]
    public void Calendar_day_periods_end_at_the_close_of_a_working_day()
    {
        Check.One(Runs, Prop.ForAll(Instants, Gen.Choose(0, 90).ToArbitrary(), (start, days) =>
        {
            var due = Vn.Add(start, Duration.CalendarDays(days));
            var local = DateOnly.FromDateTime(due.DateTime);
            return due.TimeOfDay == new TimeSpan(17, 0, 0) && Vn.IsWorkingDay(local) && due > start;
        }));
    }

    [Fact]
    public void The_due_instant_grows_with_the_amount()
    {
        Check.One(Runs, Prop.ForAll(Instants, AnyDurations, (start, duration) =>
        {
            var longer = duration with { Halves = duration.Halves + (duration.Unit == DurationUnit.CalendarDays ? 2 : 1) };
            var a = Vn.Add(start, duration);
            var b = Vn.Add(start, longer);
            return duration.Unit == DurationUnit.CalendarDays ? a <= b : a < b;
        }));
    }

    [Fact]
    public void Adding_A_then_B_equals_adding_A_plus_B()
    {
        Check.One(Runs, Prop.ForAll(Instants, WorkingDurations, WorkingDurations, (start, a, b) =>
        {
            var bSameUnit = b with { Unit = a.Unit };
            var stepwise = Vn.Add(Vn.Add(start, a), bSameUnit);
            var together = Vn.Add(start, a with { Halves = a.Halves + bSameUnit.Halves });
            return stepwise == together;
        }));
    }

    [Fact]
    public void Working_days_and_working_hours_are_the_same_office_time()
    {
        // 2 working days = 15 working hours; mixing units step by step lands on the same instant.
        Check.One(Runs, Prop.ForAll(Instants, Gen.Choose(0, 40).ToArbitrary(), Gen.Choose(0, 30).ToArbitrary(), (start, days, hours) =>
        {
            var viaDays = Vn.Add(Vn.Add(start, Duration.WorkingDays(2 * days)), Duration.WorkingHours(hours));
            var viaHours = Vn.Add(start, Duration.WorkingHours((15 * days) + hours));
            return viaDays == viaHours;
        }));
    }

    [Fact]
    public void The_working_time_between_receipt_and_due_is_the_duration()
    {
        Check.One(Runs, Prop.ForAll(Instants, WorkingDurations, (start, duration) =>
        {
            var expected = duration.Unit == DurationUnit.WorkingDays
                ? Vn.WorkingDayLength * (duration.Halves / 2.0)
                : TimeSpan.FromMinutes(30 * duration.Halves);
            return Vn.WorkingTimeBetween(Vn.CountingStart(start), Vn.Add(start, duration)) == expected;
        }));
    }

    [Fact]
    public void The_table_arithmetic_agrees_with_a_day_by_day_walk()
    {
        Check.One(Runs, Prop.ForAll(Instants, AnyDurations, (start, duration) =>
            Vn.Add(start, duration) == NaiveWorkingTime.Add(Vn, start, duration) &&
            WithCutoff.Add(start, duration) == NaiveWorkingTime.Add(WithCutoff, start, duration)));
    }

    [Fact]
    public void Another_week_and_three_office_periods_also_agree_with_the_day_by_day_walk()
    {
        Check.One(Runs, Prop.ForAll(Instants, AnyDurations, (start, duration) =>
            ThreePeriodsSundayOnly.Add(start, duration) == NaiveWorkingTime.Add(ThreePeriodsSundayOnly, start, duration)));
    }

    [Fact]
    public void Adding_any_span_of_office_time_agrees_with_the_day_by_day_walk_and_with_working_time_between()
    {
        // Spans in seconds up to 20 working days: not only whole half hours.
        Check.One(Runs, Prop.ForAll(Instants, Gen.Choose(0, 20 * 27000).ToArbitrary(), (start, seconds) =>
        {
            var span = TimeSpan.FromSeconds(seconds);
            var due = Vn.AddWorkingTime(start, span);
            return due == NaiveWorkingTime.AddOfficeTime(Vn, start, span) &&
                Vn.WorkingTimeBetween(Vn.CountingStart(start), due) == span &&
                (seconds % 1800 != 0 || due == Vn.Add(start, Duration.WorkingHours(seconds / 3600m)));
        }));
    }

    [Fact]
    public void Working_time_between_is_antisymmetric_and_additive()
    {
        Check.One(Runs, Prop.ForAll(Instants, Instants, Instants, (a, b, c) =>
            Vn.WorkingTimeBetween(a, b) == -Vn.WorkingTimeBetween(b, a) &&
            Vn.WorkingTimeBetween(a, b) + Vn.WorkingTimeBetween(b, c) == Vn.WorkingTimeBetween(a, c)));
    }

    [Fact]
    public void Counting_starts_at_an_office_instant_no_earlier_than_the_receipt()
    {
        Check.One(Runs, Prop.ForAll(Instants, start =>
        {
            var counting = Vn.CountingStart(start);
            return counting >= start && Vn.IsOfficeTime(counting) && Vn.WorkingTimeBetween(start, counting) == TimeSpan.Zero;
        }));
    }
}
