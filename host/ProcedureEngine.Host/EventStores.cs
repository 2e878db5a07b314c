using ProcedureEngine.EventStore.Postgres;
using ProcedureEngine.EventStore.Sqlite;

namespace ProcedureEngine.Host;

/// <summary>
/// Opens a store from the CLI/host options: <c>--store sqlite|postgres --connection "..."</c>. It lives in the host,
/// the one place that references both dialects (the store's core carries no driver).
/// </summary>
public static class EventStores
{
    /// <summary>The embedded default: a SQLite file under ./data/.</summary>
    public const string DefaultSqlitePath = "data/procedure-engine.db";

    /// <summary>
    /// Opens a store. <paramref name="store"/> is "sqlite" (default) or "postgres"; <paramref name="connection"/> is a
    /// SQLite file path / connection string or an Npgsql connection string (required for postgres). A PostgreSQL
    /// connection string may name the schema with "Search Path=..." (default public).
    /// </summary>
    public static IEventStore Open(string? store, string? connection, IEnumerable<IProjection>? projections = null)
    {
        switch ((store ?? "sqlite").Trim().ToLowerInvariant())
        {
            case "sqlite":
                return SqliteEventStore.Open(string.IsNullOrWhiteSpace(connection) ? DefaultSqlitePath : connection, projections);
            case "postgres" or "postgresql":
                if (string.IsNullOrWhiteSpace(connection))
                {
                    throw new EventStoreException("--store postgres needs --connection \"Host=...;Database=...;Username=...\" (or ConnectionStrings__Events)");
                }

                var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
                var schema = string.IsNullOrWhiteSpace(builder.SearchPath) ? "public" : builder.SearchPath;
                return PostgresEventStore.Open(connection, schema, projections);
            default:
                throw new EventStoreException($"unknown store '{store}': use sqlite or postgres");
        }
    }
}
