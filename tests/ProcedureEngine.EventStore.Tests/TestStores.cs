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

    public static bool IsPostgresError(Exception ex) => ex is NpgsqlException;
}
