using System.CommandLine;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine projections rebuild|catch-up [--store ... --connection ...]`: rebuilds every read model from the
/// events (in one transaction; appends wait meanwhile), or runs the async projections up to the head.
/// </summary>
internal static class ProjectionsVerb
{
    public static Command Create() =>
        new("projections", "Maintain the read models (dossier summary, open deadlines, tracking book, on-time report)")
        {
            StoreVerb("rebuild", "Empty every read model and replay all events into it; checkpoints end at the head", async (store, ct) =>
            {
                var report = await store.RebuildProjectionsAsync(DossierProjectionsOf(store), cancellationToken: ct).ConfigureAwait(false);
                return $"rebuilt {report.Projections} read models from {report.Events} events in {report.Elapsed.TotalSeconds:0.00} s";
            }),
            StoreVerb("catch-up", "Apply the events the async read models have not seen yet", async (store, ct) =>
            {
                var applied = await new ProjectionDaemon(store, DossierProjectionsOf(store)).CatchUpAsync(ct).ConfigureAwait(false);
                return $"applied {applied} events to the async read models";
            }),
        };

    /// <summary>A `projections` subcommand on a store: runs <paramref name="run"/> and prints what it says, with the store it ran on.</summary>
    private static Command StoreVerb(string name, string description, Func<IEventStore, CancellationToken, Task<string>> run)
    {
        var options = new StoreOptions();
        var command = new Command(name, description);
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync("projections " + name, options, parse, async store =>
        {
            Console.WriteLine($"{await run(store, cancellationToken).ConfigureAwait(false)} ({StoreOptions.Describe(store)})");
            return 0;
        }));
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
