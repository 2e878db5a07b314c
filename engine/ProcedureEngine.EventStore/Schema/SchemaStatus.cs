using System.Data.Common;

namespace ProcedureEngine.EventStore.Schema;

/// <summary>Which of the migrations this build expects are not (yet) recorded in a store's <c>pe_schema_version</c>.</summary>
public static class SchemaStatus
{
    /// <summary>
    /// The migrations of the store itself and of <paramref name="projections"/> that the database has not applied, as
    /// "component vN" labels; throws what the driver throws when the database cannot be reached.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(IEventStore store, IEnumerable<IProjection> projections, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var applied = new HashSet<(string, long)>();
        await using (var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = store.Dialect == SqlDialect.Sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'pe_schema_version'"
                : "SELECT to_regclass('pe_schema_version')::text";
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string)
            {
                command.CommandText = "SELECT component, version FROM pe_schema_version";
                await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add((reader.GetString(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        return [.. Core.RelationalEventStore.AllMigrations(store.Dialect, projections)
            .Where(m => !applied.Contains((m.Component, m.Version)))
            .Select(m => $"{m.Component} v{m.Version}")];
    }
}
