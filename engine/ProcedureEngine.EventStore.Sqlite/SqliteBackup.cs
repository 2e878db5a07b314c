using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ProcedureEngine.EventStore.Sqlite;

/// <summary>What a backup or a restore copied: the store's size and the last event it holds.</summary>
public sealed record SqliteBackupReport(string File, long Streams, long Events, long LastGlobalPosition, long Bytes, TimeSpan Elapsed);

/// <summary>
/// Backup and restore of the embedded store with SQLite's online backup API (<c>sqlite3_backup_*</c>), never a copy of
/// the live file: the copy is one consistent snapshot (a read transaction on the source) while the server keeps
/// writing (WAL: readers do not block the writer). A backup is written next to its target as <c>.partial</c>, checked
/// (<c>PRAGMA integrity_check</c>, the store's tables) and only then renamed, so a file under the final name is complete.
/// </summary>
public static class SqliteBackup
{
    /// <summary>Copies the live store into <paramref name="target"/> (a new file; an existing one is refused).</summary>
    public static async Task<SqliteBackupReport> BackupAsync(SqliteEventStore store, string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var full = Path.GetFullPath(target);
        if (File.Exists(full))
        {
            throw new EventStoreException($"backup: {full} already exists; a backup never overwrites a file (choose a new name)");
        }

        if (!File.Exists(store.DataSource))
        {
            throw new EventStoreException($"backup: no SQLite store at {Path.GetFullPath(store.DataSource)}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        File.Delete(partial);
        var clock = Stopwatch.StartNew();
        await using (var source = (SqliteConnection)await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!HasStoreTables(source))
            {
                throw new EventStoreException($"backup: {store.DataSource} is not a ProcedureEngine store (no pe_events table); run `procedure-engine migrate` first");
            }

            using var destination = new SqliteConnection(Unpooled(partial));
            destination.Open();
            source.BackupDatabase(destination);

            // One self-contained file: no -wal beside it.
            Execute(destination, "PRAGMA journal_mode = DELETE");
        }

        var report = Check(partial, clock);
        File.Move(partial, full);
        return report with { File = full, Elapsed = clock.Elapsed };
    }

    /// <summary>
    /// Copies a backup into the store's file. The backup is checked first; a store that already holds events is
    /// refused unless <paramref name="replace"/> (stop the server on it first: the copy replaces its pages under it).
    /// </summary>
    public static async Task<SqliteBackupReport> RestoreAsync(string backup, SqliteEventStore store, bool replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var from = Path.GetFullPath(backup);
        if (!File.Exists(from))
        {
            throw new EventStoreException($"restore: no backup file at {from}");
        }

        var clock = Stopwatch.StartNew();
        var checkedBackup = Check(from, clock);
        if (File.Exists(store.DataSource))
        {
            await using var existing = (SqliteConnection)await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (HasStoreTables(existing) && Scalar(existing, "SELECT COUNT(*) FROM pe_events") is var events and > 0 && !replace)
            {
                throw new EventStoreException(
                    $"restore: {Path.GetFullPath(store.DataSource)} already holds {events} event(s); restore into a fresh store, or stop its server and pass --replace");
            }
        }

        await using (var target = (SqliteConnection)await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        using (var source = new SqliteConnection(Unpooled(from, SqliteOpenMode.ReadOnly)))
        {
            source.Open();
            source.BackupDatabase(target);
            Execute(target, "PRAGMA journal_mode = WAL");
        }

        SqliteConnection.ClearAllPools();
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return checkedBackup with { File = Path.GetFullPath(store.DataSource), Elapsed = clock.Elapsed };
    }

    /// <summary>Integrity and content of a backup file: refuses a damaged file or one that is not a store.</summary>
    public static SqliteBackupReport Check(string file, Stopwatch? clock = null)
    {
        using var connection = new SqliteConnection(Unpooled(file, SqliteOpenMode.ReadOnly));
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            var problems = new List<string>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    problems.Add(reader.GetString(0));
                }
            }

            if (problems is not ["ok"])
            {
                throw new EventStoreException($"{file}: the SQLite integrity check failed: {string.Join("; ", problems.Take(5))}");
            }

            if (!HasStoreTables(connection))
            {
                throw new EventStoreException($"{file}: not a ProcedureEngine store (no pe_events table)");
            }

            return new SqliteBackupReport(
                file,
                Scalar(connection, "SELECT COUNT(*) FROM pe_streams"),
                Scalar(connection, "SELECT COUNT(*) FROM pe_events"),
                Scalar(connection, "SELECT COALESCE(MAX(global_position), 0) FROM pe_events"),
                new FileInfo(file).Length,
                clock?.Elapsed ?? TimeSpan.Zero);
        }
        catch (SqliteException e)
        {
            throw new EventStoreException($"{file}: not a readable SQLite database: {e.Message}", e);
        }
        finally
        {
            connection.Close();
        }
    }

    private static string Unpooled(string file, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate) =>
        new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false }.ConnectionString;

    private static bool HasStoreTables(SqliteConnection connection) =>
        Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('pe_events', 'pe_streams')") == 2;

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
