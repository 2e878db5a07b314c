using ProcedureEngine.Calendar;

namespace ProcedureEngine.Calendar.Tests;

public sealed class CalendarFileParserTests
{
    [Fact]
    public void The_repository_vn_calendar_parses_without_errors()
    {
        var path = Calendars.FindRepositoryFile("definitions/calendars/vn.yaml");
        var result = CalendarSpec.Parse(File.ReadAllText(path), "definitions/calendars/vn.yaml");
        result.Errors.ShouldBeEmpty();
        result.Spec!.Id.ShouldBe("vn");
        result.Spec.OfficeHours.Select(p => p.ToString()).ShouldBe(["07:30-11:30", "13:30-17:00"]);
        result.Spec.Years.Keys.Order().ShouldBe([2024, 2025, 2026]);
    }

    [Fact]
    public void An_unknown_key_is_an_error_with_its_line_and_column()
    {
        const string yaml = "id: vn\nzone: Asia/Ho_Chi_Minh\nweekends: [saturday]\n";
        var result = CalendarSpec.Parse(yaml, "calendars/vn.yaml");
        result.Spec.ShouldBeNull();
        result.Errors.Select(e => e.ToString()).ShouldBe([
            "calendars/vn.yaml:3:1: error PE902: unknown key 'weekends' in calendar; allowed: id, version, decision, zone, weekend, officeHours, lateReceiptCutoff, statutoryHolidays, holidays, years",
        ]);
    }

    [Fact]
    public void Every_problem_in_a_file_is_reported_in_one_run()
    {
        const string yaml = """
            id: vn
            zone: Europe/Paris
            weekend: [saturday, funday]
            officeHours: ["07:30-11:30", "11:00-17:00"]
            lateReceiptCutoff: "3pm"
            years:
              2026:
                daysOff: [2026-02-30, 2025-12-31]
                workingDays: [{ date: 2026-01-10, note: x }]
                extra: []
            """;
        var errors = CalendarSpec.Parse(yaml, "c.yaml").Errors;
        errors.Select(e => (e.Line, e.Code)).ShouldBe([
            (2, "PE904"), (3, "PE904"), (4, "PE904"), (5, "PE904"), (10, "PE902"), (8, "PE904"), (8, "PE905"), (9, "PE902"),
        ], ignoreOrder: true);
        errors.ShouldContain(e => e.Message.Contains("Europe/Paris"));
        errors.ShouldContain(e => e.Message.Contains("'funday' is not a day of the week"));
        errors.ShouldContain(e => e.Message.Contains("'2026-02-30' is not a date"));
        errors.ShouldContain(e => e.Message.Contains("2025-12-31 is listed under year 2026"));
    }

    [Fact]
    public void A_day_listed_both_off_and_worked_is_an_error()
    {
        const string yaml = "id: vn\nyears:\n  2026:\n    daysOff: [2026-01-02]\n    workingDays: [2026-01-02]\n";
        var errors = CalendarSpec.Parse(yaml, "c.yaml").Errors;
        errors.Single().ToString().ShouldBe("c.yaml:5:19: error PE905: 2026-01-02 is listed both as a day off and as a working day");
    }

    [Fact]
    public void Broken_YAML_is_reported_with_its_location_not_a_stack_trace()
    {
        var errors = CalendarSpec.Parse("id: vn\nweekend: [saturday\n", "c.yaml").Errors;
        errors.Single().Code.ShouldBe("PE901");
        errors.Single().Line.ShouldBeGreaterThan(1);
    }

    [Fact]
    public void A_missing_id_is_reported()
    {
        CalendarSpec.Parse("zone: Asia/Ho_Chi_Minh\n", "c.yaml").Errors.Single().Code.ShouldBe("PE903");
    }

    [Fact]
    public void Load_throws_a_format_exception_that_lists_every_problem()
    {
        var ex = Should.Throw<CalendarFormatException>(() => WorkingCalendar.Load("id: vn\nzone: Mars/Olympus\n", "mars.yaml"));
        ex.Errors.Count.ShouldBe(1);
        ex.Message.ShouldStartWith("mars.yaml:2:7: error PE904:");
    }

    [Fact]
    public void Defaults_are_the_Vietnamese_civil_service_week_and_office_hours()
    {
        var spec = CalendarSpec.Parse("id: province-x\n", "x.yaml").Spec!;
        spec.Weekend.ShouldBe([DayOfWeek.Saturday, DayOfWeek.Sunday]);
        spec.OfficeHours.ShouldBe(CalendarSpec.Vietnam.OfficeHours);
        spec.LateReceiptCutoff.ShouldBeNull();
        spec.Zone.ShouldBe("Asia/Ho_Chi_Minh");
    }

    [Fact]
    public void A_cutoff_and_a_custom_week_are_read()
    {
        var spec = CalendarSpec.Parse("id: x\nweekend: [sunday]\nofficeHours: [\"08:00-12:00\"]\nlateReceiptCutoff: \"11:00\"\nzone: UTC+07:00\n", "x.yaml").Spec!;
        spec.Weekend.ShouldBe([DayOfWeek.Sunday]);
        spec.LateReceiptCutoff.ShouldBe(new TimeOnly(11, 0));
        new WorkingCalendar(spec).WorkingDayLength.ShouldBe(TimeSpan.FromHours(4));
    }
}
