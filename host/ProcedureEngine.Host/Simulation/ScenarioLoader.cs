using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Parsing;
using ProcedureEngine.Dossiers.Scenarios;

namespace ProcedureEngine.Host.Simulation;

/// <summary>A scenario with everything it runs on, or the problems that stop it from running.</summary>
/// <param name="CalendarFiles">The calendar files named by calendar-change actions, by the path as written.</param>
public sealed record LoadedScenario(Scenario Scenario, ProcedureDefinition Definition, IWorkingCalendar Calendar, string DefaultDossierId, IReadOnlyDictionary<string, WorkingCalendar>? CalendarFiles = null);

/// <summary>
/// Reads a scenario file and what it names: the definition (a path relative to the scenario, or
/// `{code}` resolved in the nearest `definitions/` folder up from the scenario, or the current
/// directory's), the local overlay for its jurisdiction, and the calendar (the scenario's
/// `calendar:` path, else definitions/calendars/&lt;id&gt;.yaml, else the built-in Vietnamese rules).
/// </summary>
public static class ScenarioLoader
{
    public static (LoadedScenario? Loaded, IReadOnlyList<string> Problems) Load(string scenarioPath)
    {
        var problems = new List<string>();
        if (!File.Exists(scenarioPath))
        {
            return (null, [$"{scenarioPath}: error SC000: scenario file not found"]);
        }

        var parsed = ScenarioParser.Parse(File.ReadAllText(scenarioPath), scenarioPath);
        problems.AddRange(parsed.Diagnostics.Select(d => d.ToString()));
        if (parsed.HasErrors || parsed.Value is not { } scenario)
        {
            return (null, problems);
        }

        var baseDir = Path.GetDirectoryName(Path.GetFullPath(scenarioPath))!;
        var receiptDay = ReceiptDay(scenario);
        var definitionsRoot = FindDefinitionsRoot(baseDir);
        ProcedureDefinition? definition;
        if (scenario.DefinitionPath is { } relative)
        {
            var path = Path.Combine(baseDir, relative);
            definition = ReadDefinition(path, Display(scenarioPath, relative), problems);
            if (definition is null && !File.Exists(path))
            {
                problems.Add($"{scenarioPath}:{scenario.DefinitionLocation}: error SC010: definition file '{relative}' not found");
            }
        }
        else
        {
            definition = ResolveByCode(scenario, definitionsRoot, receiptDay, problems, scenarioPath);
        }

        if (definition is null)
        {
            return (null, problems);
        }

        if (scenario.Jurisdiction is { } jurisdiction && definitionsRoot is not null)
        {
            definition = ApplyOverlay(definition, Path.Combine(definitionsRoot, "local", jurisdiction), receiptDay, problems);
        }

        var calendar = LoadCalendar(scenario, scenarioPath, baseDir, definitionsRoot, definition, problems);
        if (calendar is null || problems.Any(p => p.Contains(": error ", StringComparison.Ordinal)))
        {
            return (null, problems);
        }

        var changes = new Dictionary<string, WorkingCalendar>(StringComparer.Ordinal);
        foreach (var action in scenario.Actions)
        {
            if (action.CalendarFile is not { } file || changes.ContainsKey(file))
            {
                continue;
            }

            var path = Path.Combine(baseDir, file);
            if (!File.Exists(path))
            {
                problems.Add($"{scenarioPath}:{action.Location}: error SC013: calendar file '{file}' not found");
                continue;
            }

            try
            {
                changes[file] = WorkingCalendar.Load(File.ReadAllText(path), Display(scenarioPath, file));
            }
            catch (CalendarFormatException ex)
            {
                problems.AddRange(ex.Errors.Select(e => e.ToString()));
            }
        }

        if (problems.Any(p => p.Contains(": error ", StringComparison.Ordinal)))
        {
            return (null, problems);
        }

        var id = Path.GetFileNameWithoutExtension(scenarioPath);
        return (new LoadedScenario(scenario, definition, calendar, id, changes), problems);
    }

    private static ProcedureDefinition? ReadDefinition(string path, string display, List<string> problems)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var result = DefinitionParser.ParseDefinition(File.ReadAllText(path), display);
        problems.AddRange(result.Diagnostics.Select(d => d.ToString()));
        return result.HasErrors ? null : result.Value;
    }

    private static ProcedureDefinition? ResolveByCode(Scenario scenario, string? root, DateOnly? receiptDay, List<string> problems, string scenarioPath)
    {
        if (root is null)
        {
            problems.Add($"{scenarioPath}:{scenario.DefinitionLocation}: error SC011: no 'definitions' folder found above the scenario or in the current directory to resolve code '{scenario.DefinitionCode}'");
            return null;
        }

        var candidates = new List<ProcedureDefinition>();
        foreach (var file in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("calendars", StringComparison.Ordinal) || relative.StartsWith("local", StringComparison.Ordinal) ||
                Path.GetFileName(file) is "fields.yaml" or "agencies.yaml")
            {
                continue;
            }

            var text = File.ReadAllText(file);
            if (!text.Contains(scenario.DefinitionCode!, StringComparison.Ordinal))
            {
                continue;
            }

            var result = DefinitionParser.ParseDefinition(text, file);
            if (result.Value is { } d && d.Code == scenario.DefinitionCode)
            {
                if (result.HasErrors)
                {
                    problems.AddRange(result.Diagnostics.Select(x => x.ToString()));
                    continue;
                }

                candidates.Add(d);
            }
        }

        var day = receiptDay ?? DateOnly.MaxValue;
        var match = candidates.Where(d => receiptDay is null || d.Effective.Contains(day)).OrderByDescending(d => d.Version).FirstOrDefault();
        if (match is null)
        {
            problems.Add($"{scenarioPath}:{scenario.DefinitionLocation}: error SC012: no version of procedure '{scenario.DefinitionCode}' in {root} is in effect on {receiptDay:yyyy-MM-dd}");
        }

        return match;
    }

    private static ProcedureDefinition ApplyOverlay(ProcedureDefinition definition, string folder, DateOnly? receiptDay, List<string> problems)
    {
        if (!Directory.Exists(folder))
        {
            return definition;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var result = DefinitionParser.ParseOverlay(File.ReadAllText(file), file);
            if (result.Value is { } overlay && overlay.ProcedureCode == definition.Code &&
                (receiptDay is null || overlay.Effective.Contains(receiptDay.Value)))
            {
                problems.AddRange(result.Diagnostics.Select(d => d.ToString()));
                if (!result.HasErrors)
                {
                    return overlay.ApplyTo(definition);
                }
            }
        }

        return definition;
    }

    private static IWorkingCalendar? LoadCalendar(Scenario scenario, string scenarioPath, string baseDir, string? definitionsRoot, ProcedureDefinition definition, List<string> problems)
    {
        string? path = null;
        string display;
        if (scenario.CalendarPath is { } relative)
        {
            path = Path.Combine(baseDir, relative);
            display = Display(scenarioPath, relative);
            if (!File.Exists(path))
            {
                problems.Add($"{scenarioPath}:{scenario.CalendarLocation}: error SC013: calendar file '{relative}' not found");
                return null;
            }
        }
        else
        {
            var candidate = definitionsRoot is null ? null : Path.Combine(definitionsRoot, "calendars", definition.Calendar + ".yaml");
            if (candidate is not null && File.Exists(candidate))
            {
                path = candidate;
            }
            else if (definition.Calendar == "vn")
            {
                return WorkingCalendar.Vietnam();
            }
            else
            {
                problems.Add($"{scenarioPath}:{scenario.DefinitionLocation}: error SC013: calendar '{definition.Calendar}' not found under definitions/calendars/");
                return null;
            }

            display = path;
        }

        try
        {
            return WorkingCalendar.Load(File.ReadAllText(path), display);
        }
        catch (CalendarFormatException ex)
        {
            problems.AddRange(ex.Errors.Select(e => e.ToString()));
            return null;
        }
    }

    /// <summary>The local day of the first receive / submit / refuse action (the version and overlay in effect then apply).</summary>
    private static DateOnly? ReceiptDay(Scenario scenario) =>
        scenario.Actions.FirstOrDefault(a => a.Do is ScenarioActions.Receive or ScenarioActions.Submit or ScenarioActions.Refuse) is { } a
            ? DateOnly.FromDateTime(a.At)
            : null;

    private static string? FindDefinitionsRoot(string baseDir)
    {
        for (var dir = new DirectoryInfo(baseDir); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "definitions");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        var cwd = Path.Combine(Directory.GetCurrentDirectory(), "definitions");
        return Directory.Exists(cwd) ? cwd : null;
    }

    private static string Display(string scenarioPath, string relative) =>
        Path.Combine(Path.GetDirectoryName(scenarioPath) ?? "", relative);
}
