using System.CommandLine;
using ProcedureEngine.EventStore.Postgres;
using ProcedureEngine.Scheduling;

namespace ProcedureEngine.Host.Cli;

/// <summary>`procedure-engine migrate [--store ... --connection ...]`: creates or upgrades the schema, idempotently.</summary>
internal static class MigrateVerb
{
    public static Command Create()
    {
        var options = new StoreOptions();
        var command = new Command("migrate", "Create or upgrade the database schema (event store, read models, scheduler tables); safe to run again");
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) => await ProjectionsVerb.RunAsync("migrate", options, parse, async store =>
        {
            var report = await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            foreach (var applied in report.Applied)
            {
                Console.WriteLine($"applied  {applied}");
            }

            if (store is PostgresEventStore pg)
            {
                // The clustered scheduler's job store lives beside the events (its script is idempotent).
                await using var connection = await pg.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await QuartzSchema.MigrateAsync((Npgsql.NpgsqlConnection)connection, cancellationToken).ConfigureAwait(false);
                Console.WriteLine("ensured  scheduler tables (Quartz clustered job store)");
            }

            Console.WriteLine($"{StoreOptions.Describe(store)}: schema up to date ({report.Applied.Count} applied, {report.AlreadyApplied.Count} already there)");
            return 0;
        }, migrateFirst: false).ConfigureAwait(false));
        return command;
    }
}
