using System.CommandLine;

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
            CreateDiff(),
            CreatePublish(),
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return Run(parse.GetValue(year), parse.GetValue(file), parse.GetValue(makeUp), output, error);
        });
        return command;
    }

    private static Command CreateDiff()
    {
        var oldFile = new Argument<string>("old") { Description = "the calendar file in force (e.g. from git show HEAD:definitions/calendars/vn.yaml)" };
        var newFile = new Argument<string>("new") { Description = "the new calendar file" };
        var from = new Option<DateOnly?>("--from") { Description = "first day to compare (default: the calendar's range, 1900-01-01)" };
        var until = new Option<DateOnly?>("--until") { Description = "last day to compare (default: 2199-12-31)" };
        var command = new Command("diff", "The days whose status differs between two versions of a calendar (and changed office hours, zone or cut-off)")
        {
            oldFile,
            newFile,
            from,
            until,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var old = Load(parse.GetValue(oldFile)!, error);
            var @new = Load(parse.GetValue(newFile)!, error);
            if (old is null || @new is null)
            {
                return 1;
            }

            var diff = CalendarDiff.Compare(old, @new, parse.GetValue(from), parse.GetValue(until));
            WriteDiff(diff, output);
            return 0;
        });
        return command;
    }

    private static Command CreatePublish()
    {
        var file = new Argument<string>("file") { Description = "the new calendar file (its 'version' above the published one)" };
        var definitions = new Option<string>("--definitions") { Description = "The procedure catalogue folder", DefaultValueFactory = _ => "definitions" };
        var data = new Option<string>("--data") { Description = "Folder for drafts and users.yaml", DefaultValueFactory = _ => "data" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the days and the dossiers it would re-plan; write nothing" };
        var at = new Option<DateTimeOffset?>("--at") { Description = "publication instant (default: now), e.g. 2026-11-12T10:00+07:00" };
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var store = new StoreOptions();
        var command = new Command("publish", "Publish a calendar version into the catalogue and re-plan the open dossiers whose remaining windows it touches")
        {
            file, definitions, data, dryRun, at, json,
        };
        store.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(file)!;
            if (ReadText(path, error) is not { } yaml)
            {
                return 1;
            }

            ProcedureEngine.EventStore.IEventStore opened;
            Web.Definitions.DefinitionRegistry registry;
            try
            {
                registry = new Web.Definitions.DefinitionRegistry(parse.GetValue(definitions)!, parse.GetValue(data)!);
                opened = store.Open(parse);
            }
            catch (Exception ex) when (ex is ProcedureEngine.EventStore.EventStoreException or ArgumentException or DirectoryNotFoundException or CalendarFormatException)
            {
                error.WriteLine($"calendar publish: {ex.Message}");
                return 1;
            }

            await using (opened.ConfigureAwait(false))
            {
                await opened.MigrateAsync(ct).ConfigureAwait(false);
                var service = new Web.Dossiers.DossierService(new ProcedureEngine.Dossiers.Persistence.DossierEventStore(opened), registry, TimeProvider.System);
                var replanner = new Web.Calendars.CalendarReplanner(service, registry);
                Web.Calendars.CalendarPublication result;
                try
                {
                    result = await replanner.PublishAsync(yaml, parse.GetValue(at) ?? DateTimeOffset.UtcNow, parse.GetValue(dryRun), ct, path).ConfigureAwait(false);
                }
                catch (Web.Calendars.CalendarRejectedException e)
                {
                    foreach (var problem in e.Problems)
                    {
                        error.WriteLine(problem);
                    }

                    return 1;
                }

                if (parse.GetValue(json))
                {
                    output.WriteLine(Web.Calendars.CalendarEndpoints.ToJson(result).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                    return 0;
                }

                WriteDiff(result.Diff, output);
                foreach (var (id, code, change) in result.Dossiers)
                {
                    var offset = TimeSpan.FromHours(7);
                    string L(DateTimeOffset t) => t.ToOffset(offset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
                    var steps = string.Concat(change.StepDues.Select(d => $"; {d.StepId} {L(change.PreviousStepDues.First(p => p.StepId == d.StepId).DueAt)} → {L(d.DueAt)}"));
                    output.WriteLine($"{code ?? id}: hẹn trả {L(change.PreviousAppointmentAt)} → {L(change.AppointmentAt)}{steps}");
                }

                var verb = result.Published ? "đã lập lại kế hoạch" : "sẽ lập lại kế hoạch (chạy thử, chưa ghi gì)";
                output.WriteLine($"# {result.Dossiers.Count} hồ sơ {verb} trong {result.Candidates} hồ sơ có thời hạn sau thời điểm công bố; {result.AppointmentsMoved} hồ sơ đổi ngày hẹn ({result.Elapsed.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} s)");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Prints a diff: a header, the setting changes, one line a day, a count.</summary>
    internal static void WriteDiff(CalendarDiff diff, TextWriter output)
    {
        output.WriteLine($"# lịch {diff.CalendarId}: phiên bản {diff.OldVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} → {diff.NewVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
        foreach (var setting in diff.SettingChanges)
        {
            output.WriteLine($"# {setting} (mọi thời hạn còn lại đều thay đổi)");
        }

        foreach (var day in diff.Days)
        {
            output.WriteLine(day.ToString());
        }

        output.WriteLine($"# {diff.Days.Count} ngày thay đổi");
    }

    /// <summary>A calendar file's text, or null after saying on <paramref name="error"/> why it could not be read.</summary>
    private static string? ReadText(string path, TextWriter error)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{path}: không đọc được tệp lịch: {ex.Message}");
            return null;
        }
    }

    /// <summary>Reads and validates a calendar file; problems go to <paramref name="error"/> (path:line:column: error CODE: message).</summary>
    internal static WorkingCalendar? Load(string path, TextWriter error)
    {
        if (ReadText(path, error) is not { } text)
        {
            return null;
        }

        var parsed = CalendarSpec.Parse(text, path);
        if (parsed.HasErrors || parsed.Spec is null)
        {
            foreach (var problem in parsed.Errors)
            {
                error.WriteLine(problem);
            }

            return null;
        }

        try
        {
            return new WorkingCalendar(parsed.Spec);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"{path}:1:1: error PE905: {ex.Message}");
            return null;
        }
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
        else if (Load(path ?? DefaultPath, error) is { } loaded)
        {
            calendar = loaded;
        }
        else
        {
            return 1;
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
