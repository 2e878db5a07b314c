using System.CommandLine;
using ProcedureEngine.Calendar;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine calendar YEAR [--calendar FILE] [--make-up]`: prints the year's non-working days other than
/// weekly rest days (one a line: ISO date, then the reason), for administrators to check against the official
/// announcement. `--make-up` prints the weekend days worked in exchange instead. Default calendar:
/// definitions/calendars/vn.yaml under the current directory, or the statutory rules when that file is absent.
/// </summary>
internal static class CalendarVerb
{
    private const string DefaultPath = "definitions/calendars/vn.yaml";

    public static Command Create()
    {
        var year = new Argument<int>("year") { Description = $"Gregorian year ({WorkingCalendar.MinYear}–{WorkingCalendar.MaxYear})" };
        var file = new Option<string?>("--calendar") { Description = $"calendar file (default: {DefaultPath}, or the statutory rules if absent)" };
        var makeUp = new Option<bool>("--make-up") { Description = "print the weekend days worked in exchange (ngày làm bù) instead" };
        var command = new Command("calendar", "Print a year's non-working days other than weekends, with reasons")
        {
            year,
            file,
            makeUp,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return Run(parse.GetValue(year), parse.GetValue(file), parse.GetValue(makeUp), output, error);
        });
        return command;
    }

    private static int Run(int year, string? path, bool makeUp, TextWriter output, TextWriter error)
    {
        if (year is < WorkingCalendar.MinYear or > WorkingCalendar.MaxYear)
        {
            error.WriteLine($"năm {year} nằm ngoài phạm vi lịch ({WorkingCalendar.MinYear}–{WorkingCalendar.MaxYear})");
            return 2;
        }

        WorkingCalendar calendar;
        if (path is null && !File.Exists(DefaultPath))
        {
            error.WriteLine($"# {DefaultPath} không có trong thư mục hiện tại: dùng các ngày nghỉ theo luật, không có quyết định hằng năm");
            calendar = WorkingCalendar.Vietnam();
        }
        else
        {
            path ??= DefaultPath;
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"{path}: không đọc được tệp lịch: {ex.Message}");
                return 1;
            }

            var parsed = CalendarSpec.Parse(text, path);
            if (parsed.HasErrors || parsed.Spec is null)
            {
                foreach (var problem in parsed.Errors)
                {
                    error.WriteLine(problem);
                }

                return 1;
            }

            calendar = new WorkingCalendar(parsed.Spec);
        }

        if (makeUp)
        {
            foreach (var day in calendar.MakeUpWorkingDays(year))
            {
                output.WriteLine($"{day.Date:yyyy-MM-dd} {day.Reason}");
            }
        }
        else
        {
            foreach (var day in calendar.NonWorkingDays(year))
            {
                output.WriteLine($"{day.Date:yyyy-MM-dd} {day.Reason}");
            }
        }

        return 0;
    }
}
