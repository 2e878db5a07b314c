using ProcedureEngine.Dossiers.Scenarios;
using ProcedureEngine.Letters.Composition;
using ProcedureEngine.Letters.Rendering;

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

        output.WriteLine(json ? SimulationOutput.ToJsonText(run, loaded.Calendar, LetterTexts(run, loaded)) : SimulationOutput.ToText(run, loaded));
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
        return (ScenarioRunner.Run(loaded.Scenario, context, loaded.DefaultDossierId, loaded.CalendarFiles), loaded, problems);
    }

    /// <summary>Plain-text rendering of each letter by the legal-form renderer (ProcedureEngine.Letters).</summary>
    public static Func<LetterRef, string?> LetterTexts(ScenarioRun run, LoadedScenario loaded)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(loaded);
        var events = run.Events.Select(e => e.Event).ToList();
        var options = new LetterOptions { Definition = loaded.Definition, Calendar = loaded.Calendar };
        return letter => DossierLetters.ForEvent(events, letter.EventSeq, options) is { } data ? LetterRenderer.Default.RenderText(data) : null;
    }
}
