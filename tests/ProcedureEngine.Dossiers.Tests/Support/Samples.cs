using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Definitions.Parsing;
using ProcedureEngine.Dossiers.Scenarios;

namespace ProcedureEngine.Dossiers.Tests.Support;

/// <summary>Loads the repository's samples/ (test-side file access; the host has its own loader).</summary>
internal static class Samples
{
    public static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    public static string Root { get; } = FindRoot();

    public static string SamplesDir => Path.Combine(Root, "samples");

    public static IWorkingCalendar Calendar { get; } =
        WorkingCalendar.Load(File.ReadAllText(Path.Combine(Root, "samples", "calendars", "vn-pinned.yaml")), "vn-pinned.yaml");

    public static ProcedureDefinition Definition(string file)
    {
        var path = Path.Combine(SamplesDir, "definitions", "construction", file);
        var result = DefinitionParser.ParseDefinition(File.ReadAllText(path), path);
        result.HasErrors.ShouldBeFalse(string.Join(Environment.NewLine, result.Diagnostics));
        return result.Value!;
    }

    public static ProcedureDefinition Permit { get; } = Definition("1.009792.yaml");

    public static ProcedureDefinition LienThong12 { get; } = Definition("9.000012.yaml");

    public static ScenarioRun Run(string scenarioFile)
    {
        var path = Path.Combine(SamplesDir, "scenarios", scenarioFile);
        var parsed = ScenarioParser.Parse(File.ReadAllText(path), path);
        parsed.HasErrors.ShouldBeFalse(string.Join(Environment.NewLine, parsed.Diagnostics));
        var scenario = parsed.Value!;
        var dir = Path.GetDirectoryName(path)!;
        var defPath = Path.GetFullPath(Path.Combine(dir, scenario.DefinitionPath!));
        var def = DefinitionParser.ParseDefinition(File.ReadAllText(defPath), defPath);
        def.HasErrors.ShouldBeFalse(string.Join(Environment.NewLine, def.Diagnostics));
        var calendar = WorkingCalendar.Load(File.ReadAllText(Path.Combine(dir, scenario.CalendarPath!)), scenario.CalendarPath!);
        return ScenarioRunner.Run(scenario, ScenarioRunner.CreateContext(scenario, def.Value!, calendar), Path.GetFileNameWithoutExtension(path));
    }

    public static DateTimeOffset At(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, Vn);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProcedureEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (ProcedureEngine.sln) not found");
    }
}
