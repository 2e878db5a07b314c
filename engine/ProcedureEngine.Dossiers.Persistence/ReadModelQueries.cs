using System.Data.Common;
using System.Globalization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>An open deadline as the timers see it, with the procedure version of its dossier (null when the summary has none).</summary>
public sealed record DueDeadline(string DossierId, DateTimeOffset DueAt, string? ProcedureCode, long? ProcedureVersion);

/// <summary>
/// The queries the live engine runs on the inline read models (next to the tables they read): the highest
/// dossier code of a day (code allocation) and the open deadlines within a window (the timers).
/// </summary>
public static class ReadModelQueries
{
    /// <summary>
    /// The highest dossier code starting with <paramref name="prefix"/> ("agency-yyMMdd-"), or null. A range on the
    /// code index in byte order ("C": a LIKE in a Vietnamese or English locale could not use the index and would read
    /// every dossier ever received), longest first: the ten-thousandth dossier of a day has five digits. O(log n).
    /// </summary>
    public static async Task<string?> HighestCodeAsync(IEventStore store, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var code = store.Dialect == SqlDialect.Postgres ? "dossier_code COLLATE \"C\"" : "dossier_code";
        command.CommandText = $"""
            SELECT dossier_code FROM {DossierSummaryProjection.Table.Name}
            WHERE {code} >= @from AND {code} < @to
            ORDER BY length(dossier_code) DESC, {code} DESC
            LIMIT 1
            """;
        AddParameter(command, "@from", prefix);
        AddParameter(command, "@to", prefix + "~");
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>The number after <paramref name="prefix"/> in <paramref name="code"/>, or 0 when there is none.</summary>
    public static int SequenceOf(string? code, string prefix) =>
        code is not null && code.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(code.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>Every open deadline due at or before <paramref name="until"/>, by dossier id, with its dossier's procedure version.</summary>
    public static Task<IReadOnlyList<DueDeadline>> DueAsync(IEventStore store, DateTimeOffset until, CancellationToken cancellationToken) =>
        DeadlinesAsync(store, "<=", until, cancellationToken);

    /// <summary>The id of the dossier received under <paramref name="code"/>, or null.</summary>
    public static async Task<string?> DossierIdOfCodeAsync(IEventStore store, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT dossier_id FROM {DossierSummaryProjection.Table.Name} WHERE dossier_code = @code";
        AddParameter(command, "@code", code);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>
    /// Every open deadline due at or after <paramref name="from"/> (what a calendar change may move), by dossier id, with
    /// its dossier's procedure version. Read in one pass on the due-instant index.
    /// </summary>
    public static Task<IReadOnlyList<DueDeadline>> OpenFromAsync(IEventStore store, DateTimeOffset from, CancellationToken cancellationToken) =>
        DeadlinesAsync(store, ">=", from, cancellationToken);

    /// <summary>Open deadlines whose due instant compares to <paramref name="at"/> as <paramref name="comparison"/> says, by dossier id, with the procedure version.</summary>
    private static async Task<IReadOnlyList<DueDeadline>> DeadlinesAsync(IEventStore store, string comparison, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var dialect = store.Dialect;
        var rows = new List<DueDeadline>();
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT d.dossier_id, d.due_at, s.procedure_code, s.procedure_version
            FROM {OpenDeadlinesProjection.Table.Name} d LEFT JOIN {DossierSummaryProjection.Table.Name} s ON s.dossier_id = d.dossier_id
            WHERE d.due_at {comparison} @at ORDER BY d.dossier_id
            """;
        AddParameter(command, "@at", dialect == SqlDialect.Postgres ? at.ToUniversalTime() : RowTable.FormatSqliteTime(at));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new DueDeadline(reader.GetString(0), RowTable.ReadTime(reader, 1, dialect),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        }

        return rows;
    }

    /// <summary>Adds a named parameter to a command of either backend.</summary>
    public static void AddParameter(DbCommand command, string name, object value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
