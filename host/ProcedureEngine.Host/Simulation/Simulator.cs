using ProcedureEngine.Dossiers.Scenarios;

namespace ProcedureEngine.Host.Simulation;

/// <summary>The `simulate` verb's work, callable without a console (tests, other verbs).</summary>
public static class Simulator
{
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
