using ProcedureEngine.EventStore;
using System.CommandLine;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine projections rebuild|catch-up [--store ... --connection ...]`: rebuilds every read model from the
/// events (in one transaction; appends wait meanwhile), or runs the async projections up to the head.
/// </summary>
internal static class ProjectionsVerb
{
    public static Command Create()
    {
        var command = new Command("projections", "Maintain the read models (dossier summary, open deadlines, tracking book, on-time report)");
        command.Subcommands.Add(Rebuild());
        command.Subcommands.Add(CatchUp());
        return command;
    }

    private static Command Rebuild()
    {
        var options = new StoreOptions();
        var command = new Command("rebuild", "Empty every read model and replay all events into it; checkpoints end at the head");
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) => await RunAsync("projections rebuild", options, parse, async store =>
        {
            var projections = DossierProjectionsOf(store);
            var report = await store.RebuildProjectionsAsync(projections, cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"rebuilt {report.Projections} read models from {report.Events} events in {report.Elapsed.TotalSeconds:0.00} s ({StoreOptions.Describe(store)})");
            return 0;
        }).ConfigureAwait(false));
        return command;
    }

    private static Command CatchUp()
    {
        var options = new StoreOptions();
        var command = new Command("catch-up", "Apply the events the async read models have not seen yet");
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) => await RunAsync("projections catch-up", options, parse, async store =>
        {
            var applied = await new ProjectionDaemon(store, DossierProjectionsOf(store)).CatchUpAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"applied {applied} events to the async read models ({StoreOptions.Describe(store)})");
            return 0;
        }).ConfigureAwait(false));
        return command;
    }

    private static IReadOnlyList<IProjection> DossierProjectionsOf(IEventStore store) => Dossiers.Persistence.DossierProjections.All();

    /// <summary>Opens the store (migrated first unless <paramref name="migrateFirst"/> is false), runs a store verb, and reports a store or connection error as `verb: reason`, exit 1.</summary>
    internal static async Task<int> RunAsync(string verb, StoreOptions options, ParseResult parse, Func<IEventStore, Task<int>> action, bool migrateFirst = true)
    {
        try
        {
            await using var store = options.Open(parse);
            if (migrateFirst)
            {
                await store.MigrateAsync().ConfigureAwait(false);
            }

            return await action(store).ConfigureAwait(false);
        }
        catch (EventStoreException ex)
        {
            Console.Error.WriteLine($"{verb}: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or ArgumentException)
        {
            Console.Error.WriteLine($"{verb}: {ex.Message}");
            return 1;
        }
    }
}
