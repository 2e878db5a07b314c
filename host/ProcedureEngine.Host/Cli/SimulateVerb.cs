using System.CommandLine;
using ProcedureEngine.Dossiers.Scenarios;
using ProcedureEngine.Host.Simulation;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine simulate SCENARIO.yaml [--json]`: runs one dossier through its definition on a
/// virtual clock. Exit 0 when it ran (even with rejected commands), 1 when the scenario, definition
/// or calendar is invalid (diagnostics printed as path:line:col).
/// </summary>
internal static class SimulateVerb
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "Scenario file (YAML)" };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON document" };
        var command = new Command("simulate", "Run a dossier scenario on a virtual clock and print its events, letters and final state")
        {
            scenario,
            json,
        };
        command.SetAction(parse => Execute(parse.GetValue(scenario)!, parse.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    public static int Execute(string scenarioPath, bool json, TextWriter output, TextWriter error)
    {
        var (run, loaded, problems) = Simulate(scenarioPath);
        foreach (var p in problems)
        {
            error.WriteLine(p);
        }

        if (run is null || loaded is null)
        {
            return 1;
        }

        output.WriteLine(json ? SimulationOutput.ToJsonText(run, loaded.Calendar) : SimulationOutput.ToText(run, loaded));
        return 0;
    }

    /// <summary>Loads and runs a scenario; the run carries every (event, metadata) it produced for a store to append.</summary>
    public static (ScenarioRun? Run, LoadedScenario? Loaded, IReadOnlyList<string> Problems) Simulate(string scenarioPath)
    {
        var (loaded, problems) = ScenarioLoader.Load(scenarioPath);
        if (loaded is null)
        {
            return (null, null, problems);
        }

        var context = ScenarioRunner.CreateContext(loaded.Scenario, loaded.Definition, loaded.Calendar);
        return (ScenarioRunner.Run(loaded.Scenario, context, loaded.DefaultDossierId), loaded, problems);
    }
}
