using System.CommandLine;
using ProcedureEngine.Dossiers.Scenarios;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine simulate SCENARIO.yaml [--json] [--store sqlite|postgres --connection "..."]`: runs one dossier
/// through its definition on a virtual clock. Exit 0 when it ran (even with rejected commands), 1 when the scenario,
/// definition or calendar is invalid (diagnostics printed as path:line:col) or the store refused the events.
/// With --store or --connection the dossier's events are appended to that store (see <see cref="SimulationStore"/>)
/// and its id is printed, so `replay --dossier ID` finds it.
/// </summary>
internal static class SimulateVerb
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "Scenario file (YAML)" };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON document" };
        var store = new StoreOptions();
        var command = new Command("simulate", "Run a dossier scenario on a virtual clock and print its events, letters and final state")
        {
            scenario,
            json,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(scenario)!;
            var asJson = parse.GetValue(json);
            // Only an option given on the command line stores the run: --store has a default value, so its result is
            // never null (a default-only result is implicit); a simulation run in a live deployment's folder must not
            // put back-dated dossiers into ./data/procedure-engine.db.
            if (parse.GetResult(store.Store) is not { Implicit: false } && parse.GetResult(store.Connection) is not { Implicit: false })
            {
                return Simulator.Execute(path, asJson, Console.Out, Console.Error);
            }

            var (run, loaded, problems) = Simulator.Simulate(path);
            foreach (var problem in problems)
            {
                Console.Error.WriteLine(problem);
            }

            if (run is null || loaded is null)
            {
                return 1;
            }

            try
            {
                await using var opened = store.Open(parse);
                await opened.MigrateAsync(cancellationToken).ConfigureAwait(false);
                SimulationStore.Stored stored;
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        stored = await SimulationStore.AppendAsync(opened, run, path, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    catch (UniqueConstraintException) when (attempt < 100)
                    {
                        // Another dossier in the store already has this code (same agency and day): take the next
                        // number, as the counter would. The run is pure, so it is simply run again.
                        var context = ScenarioRunner.CreateContext(loaded.Scenario, loaded.Definition, loaded.Calendar)
                            .WithSequence(loaded.Scenario.Dossier.Sequence + attempt);
                        run = ScenarioRunner.Run(loaded.Scenario, context, loaded.DefaultDossierId, loaded.CalendarFiles);
                    }
                }

                Console.Out.WriteLine(asJson ? SimulationOutput.ToJsonText(run, loaded.Calendar) : SimulationOutput.ToText(run, loaded));
                var line = stored.AlreadyStored
                    ? $"dossier {stored.DossierId} was already stored by this scenario ({stored.Events} events, nothing appended) in {StoreOptions.Describe(opened)}"
                    : $"stored dossier {stored.DossierId} ({stored.Events} events) in {StoreOptions.Describe(opened)}; replay: procedure-engine replay --dossier {stored.DossierId}";

                // With --json stdout stays one JSON document (its dossier.id is the stream id).
                (asJson ? Console.Error : Console.Out).WriteLine(line);
                return 0;
            }
            catch (ConcurrencyException ex)
            {
                Console.Error.WriteLine($"simulate: dossier {ex.StreamId} already exists in the store with other events (version {ex.ActualVersion}); give the scenario another dossier id");
                return 1;
            }
            catch (Exception ex) when (ex is EventStoreException or ArgumentException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
            {
                Console.Error.WriteLine($"simulate: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
