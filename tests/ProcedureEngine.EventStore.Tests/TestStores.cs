using Npgsql;
using ProcedureEngine.EventStore.Postgres;
using ProcedureEngine.EventStore.Sqlite;

namespace ProcedureEngine.EventStore.Tests;

/// <summary>Creates fresh, migrated stores: a temp SQLite file, or a fresh schema on PE_TEST_POSTGRES.</summary>
public static class TestStores
{
    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("PE_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("PE_TEST_POSTGRES is not set: PostgreSQL tests need a server (source scripts/postgres.sh && pe_pg_start, or run ./test.sh). They never skip.");

    public static async Task<IEventStore> SqliteAsync(IEnumerable<IProjection>? projections = null)
    {
        var path = Path.Combine(Path.GetTempPath(), "pe-es-tests", $"{Guid.NewGuid():N}.db");
        var store = SqliteEventStore.Open(path, projections);
        await store.MigrateAsync();
        return store;
    }

    public static string NewSchema() => "es_" + Guid.NewGuid().ToString("N")[..16];

    public static async Task<IEventStore> PostgresAsync(IEnumerable<IProjection>? projections = null, string? schema = null)
    {
        var store = PostgresEventStore.Open(PostgresConnectionString, schema ?? NewSchema(), projections);
        await store.MigrateAsync();
        return store;
    }

    /// <summary>Runs raw SQL on the store's database, as an attacker or a careless DBA would.</summary>
    public static async Task<int> ExecuteAsync(IEventStore store, string sql)
    {
        await using var connection = await store.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(IEventStore store, string sql)
    {
        await using var connection = await store.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Runs the daemon until it has applied <paramref name="expected"/> events. On PostgreSQL the global order is read
    /// only below the oldest running transaction, so while other tests' transactions are in flight the events arrive
    /// a little later (a test that holds a transaction open on purpose, a loaded machine): never skipped, never twice.
    /// </summary>
    public static async Task<long> CatchUpAsync(ProjectionDaemon daemon, long expected)
    {
        long total = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (total < expected && DateTime.UtcNow < deadline)
        {
            total += await daemon.CatchUpAsync();
            if (total < expected)
            {
                await Task.Delay(20);
            }
        }

        return total;
    }

    /// <summary>Reads the global order page by page until <paramref name="expected"/> events were seen (see <see cref="CatchUpAsync"/>).</summary>
    public static async Task<List<StoredEvent>> ReadAllAsync(IEventStore store, int expected, int pageSize)
    {
        var seen = new List<StoredEvent>();
        var checkpoint = GlobalCheckpoint.Start;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (seen.Count < expected && DateTime.UtcNow < deadline)
        {
            var page = await store.ReadAllAsync(checkpoint, pageSize);
            if (page.Events.Count == 0)
            {
                await Task.Delay(20);
                continue;
            }

            page.Next.ShouldBeGreaterThan(checkpoint);
            seen.AddRange(page.Events);
            checkpoint = page.Next;
        }

        return seen;
    }

    public static bool IsPostgresError(Exception ex) => ex is NpgsqlException;
}
