using System.CommandLine;
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
        command.SetAction(parse => Simulator.Execute(parse.GetValue(scenario)!, parse.GetValue(json), Console.Out, Console.Error));
        return command;
    }
}
