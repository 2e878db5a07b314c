using System.CommandLine;
using ProcedureEngine.EventStore.Sqlite;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine backup --to FILE` and `procedure-engine restore --from FILE [--replace]` for the embedded SQLite
/// store, through SQLite's online backup API (safe while `serve` runs and writes). PostgreSQL is backed up with its own
/// tools (pg_basebackup + WAL archiving, docs/deploy.md). After a restore, `verify --seal` with the last seal says which
/// sealed history is there and what is missing. Exit 0 done, 1 refused or failed, 2 bad usage.
/// </summary>
internal static class BackupVerb
{
    private const string PostgresAdvice = "PostgreSQL is backed up with pg_basebackup and WAL archiving, restored to a point in time (docs/deploy.md, section Backups)";

    public static Command CreateBackup()
    {
        var options = new StoreOptions();
        var to = new Option<FileInfo>("--to") { Description = "The backup file to write (must not exist)", Required = true };
        var command = new Command("backup", "Back up the embedded SQLite store with the online backup API (safe while the server runs)");
        command.Options.Add(to);
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync("backup", options, parse, async store =>
        {
            var report = await SqliteBackup.BackupAsync(store, parse.GetValue(to)!.FullName, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"backed up {Describe(report)} to {report.File}");
        }));
        return command;
    }

    public static Command CreateRestore()
    {
        var options = new StoreOptions();
        var from = new Option<FileInfo>("--from") { Description = "A file written by `procedure-engine backup`", Required = true };
        var replace = new Option<bool>("--replace") { Description = "Overwrite a store that already holds events (stop its server first)" };
        var command = new Command("restore", "Restore the embedded SQLite store from a backup (then run `verify --seal` with the last seal)");
        command.Options.Add(from);
        command.Options.Add(replace);
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync("restore", options, parse, async store =>
        {
            var report = await SqliteBackup.RestoreAsync(parse.GetValue(from)!.FullName, store, parse.GetValue(replace), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"restored {Describe(report)} into {report.File}");
            Console.WriteLine("next: procedure-engine verify --seal <the last seal> (which sealed history is back, what is missing)");
        }));
        return command;
    }

    /// <summary>Runs a backup or restore on the embedded store: 2 for a PostgreSQL store, 1 with the store's reason when refused.</summary>
    private static async Task<int> RunAsync(string verb, StoreOptions options, ParseResult parse, Func<SqliteEventStore, Task> run)
    {
        if (parse.GetValue(options.Store) != "sqlite")
        {
            Console.Error.WriteLine($"{verb}: {PostgresAdvice}");
            return 2;
        }

        try
        {
            await using var store = (SqliteEventStore)options.Open(parse);
            await run(store).ConfigureAwait(false);
            return 0;
        }
        catch (EventStoreException e)
        {
            Console.Error.WriteLine(e.Message.StartsWith(verb + ":", StringComparison.Ordinal) ? e.Message : $"{verb}: {e.Message}");
            return 1;
        }
    }

    private static string Describe(SqliteBackupReport r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Streams} stream(s), {r.Events} event(s) up to global position {r.LastGlobalPosition} ({r.Bytes / 1024.0:0.#} KiB, {r.Elapsed.TotalMilliseconds:0} ms; integrity check ok)");
}
