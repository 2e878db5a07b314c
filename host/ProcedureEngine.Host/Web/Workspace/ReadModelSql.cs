using System.Data.Common;

namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>Reads of the read-model tables on either backend: parameters and values as each dialect stores them.</summary>
public sealed class ReadModelSql(IEventStore store)
{
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public SqlDialect Dialect => store.Dialect;

    public object Bool(bool value) => store.Dialect == SqlDialect.Postgres ? value : value ? 1L : 0L;

    public object Time(DateTimeOffset value) =>
        store.Dialect == SqlDialect.Postgres ? value.ToUniversalTime() : RowTable.FormatSqliteTime(value);

    public static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static long Long(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    public static bool Boolean(DbDataReader r, int i) => !r.IsDBNull(i) && r.GetValue(i) switch
    {
        bool b => b,
        long l => l != 0,
        int n => n != 0,
        _ => false,
    };

    /// <summary>A stored instant in Vietnam's offset, to the second (as every other time the API prints).</summary>
    public static DateTimeOffset? Time(DbDataReader r, int i) => (r.IsDBNull(i) ? null : r.GetValue(i) switch
    {
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)).ToOffset(VietnamOffset),
        DateTimeOffset o => o.ToOffset(VietnamOffset),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToOffset(VietnamOffset),
        _ => (DateTimeOffset?)null,
    }) is { } t ? t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond)) : null;

    /// <summary>The exact stored instant (no rounding): what a keyset cursor must carry.</summary>
    public static DateTimeOffset? ExactTime(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetValue(i) switch
    {
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        DateTimeOffset o => o.ToUniversalTime(),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime(),
        _ => null,
    };

    public async Task<List<T>> QueryAsync<T>(string sql, IEnumerable<(string Name, object Value)> parameters, Func<DbDataReader, T> read, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // fixed SQL text assembled from known clauses; values go through parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            result.Add(read(reader));
        }

        return result;
    }
}
