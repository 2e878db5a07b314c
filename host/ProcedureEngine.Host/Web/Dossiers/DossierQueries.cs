using System.Data.Common;
using System.Globalization;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.EventStore;
using ProcedureEngine.Host.Web.Definitions;

namespace ProcedureEngine.Host.Web.Dossiers;

public sealed record DossierListItem(string Id, string? Code, string? ProcedureCode, string? ProcedureName, string Status,
    DateTimeOffset? ReceivedAt, DateTimeOffset? AppointmentAt, bool Overdue, string? CurrentAgency, string? ActiveSteps, long Version);

/// <summary>What the public tracking page shows: no name, no address, no documents.</summary>
public sealed record TrackInfo(string DossierCode, string Status, string StatusText, DateTimeOffset? AppointmentAt, bool Overdue);

public sealed record OnTimeRow(string Group, int Finished, int OnTime, int Late, decimal OnTimeRate);

public sealed record OnTimeReport(string GroupBy, DateOnly? From, DateOnly? To, IReadOnlyList<OnTimeRow> Rows);

/// <summary>Queries over the read models the event store keeps (dossier summary inline, reports async).</summary>
public sealed class DossierQueries(IEventStore store, DefinitionRegistry registry)
{
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    /// <summary>Dossiers by receipt time (then id), filtered; one page of at most <paramref name="limit"/> from <paramref name="offset"/>.</summary>
    public async Task<IReadOnlyList<DossierListItem>> ListAsync(bool? overdue, string? agency, string? status, int limit, int offset, CancellationToken ct)
    {
        var sql = $"SELECT dossier_id, dossier_code, procedure_code, procedure_name, status, received_at, appointment_at, overdue, current_agency, active_steps, version FROM {DossierSummaryProjection.Table.Name} WHERE 1 = 1";
        var parameters = new List<(string, object)>();
        if (overdue is { } o)
        {
            sql += " AND overdue = @overdue";
            parameters.Add(("@overdue", Bool(o)));
        }

        if (agency is not null)
        {
            sql += " AND current_agency = @agency";
            parameters.Add(("@agency", agency));
        }

        if (status is not null)
        {
            sql += " AND status = @status";
            parameters.Add(("@status", status));
        }

        sql += " ORDER BY received_at, dossier_id LIMIT @limit OFFSET @offset";
        parameters.Add(("@limit", limit));
        parameters.Add(("@offset", offset));
        return await QueryAsync(sql, parameters, r => new DossierListItem(
            r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3), r.GetString(4), Time(r, 5), Time(r, 6), Boolean(r, 7), Text(r, 8), Text(r, 9), r.GetInt64(10)), ct).ConfigureAwait(false);
    }

    public async Task<TrackInfo?> TrackAsync(string dossierCode, CancellationToken ct)
    {
        var rows = await QueryAsync($"SELECT dossier_code, status, appointment_at, overdue FROM {DossierSummaryProjection.Table.Name} WHERE dossier_code = @code",
            [("@code", dossierCode)], r => new TrackInfo(r.GetString(0), r.GetString(1), StatusText(r.GetString(1)), Time(r, 2), Boolean(r, 3)), ct).ConfigureAwait(false);
        return rows.Count == 1 ? rows[0] : null;
    }

    /// <summary>
    /// On-time share of finished work: per agency from each step's hand-over (the agency whose step it is),
    /// per procedure and per field from whole dossiers. Dates are local days (UTC+7), both ends included.
    /// </summary>
    public async Task<OnTimeReport> OnTimeAsync(DateOnly? from, DateOnly? to, string groupBy, CancellationToken ct)
    {
        var (table, groupColumn, timeColumn) = groupBy == "agency"
            ? (OnTimeReportProjection.Steps.Name, "agency", "completed_at")
            : (OnTimeReportProjection.Outcomes.Name, "procedure_code", "finished_at");
        var sql = $"SELECT {groupColumn}, on_time FROM {table} WHERE {timeColumn} IS NOT NULL";
        var parameters = new List<(string, object)>();
        if (from is { } f)
        {
            sql += $" AND {timeColumn} >= @from";
            parameters.Add(("@from", TimeParameter(new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), VietnamOffset))));
        }

        if (to is { } t)
        {
            sql += $" AND {timeColumn} < @to";
            parameters.Add(("@to", TimeParameter(new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), VietnamOffset))));
        }

        var rows = await QueryAsync(sql, parameters, r => (Group: Text(r, 0) ?? "", OnTime: !r.IsDBNull(1) && Boolean(r, 1)), ct).ConfigureAwait(false);
        var grouped = rows.GroupBy(r => groupBy == "field" ? FieldOf(r.Group) : r.Group)
            .Select(g =>
            {
                var total = g.Count();
                var onTime = g.Count(x => x.OnTime);
                return new OnTimeRow(g.Key, total, onTime, total - onTime, total == 0 ? 0 : Math.Round(100m * onTime / total, 1));
            })
            .OrderBy(r => r.Group, StringComparer.Ordinal)
            .ToList();
        return new OnTimeReport(groupBy, from, to, grouped);
    }

    private string FieldOf(string procedureCode) =>
        (registry.Catalog.Versions(procedureCode) is { Count: > 0 } versions ? versions[^1].Field : null) ?? "(unknown)";

    /// <summary>Vietnamese wording of a status for the public page.</summary>
    public static string StatusText(string status) => status switch
    {
        "submitted" => "Đã nộp trực tuyến, chờ tiếp nhận",
        "received" => "Đã tiếp nhận",
        "inProgress" => "Đang giải quyết",
        "awaitingSupplement" => "Chờ bổ sung hồ sơ",
        "resultReady" => "Đã có kết quả, chờ trả",
        "returned" => "Đã trả kết quả",
        "refused" => "Từ chối tiếp nhận",
        "withdrawn" => "Đã rút hồ sơ",
        "closed" => "Đã dừng giải quyết",
        _ => status,
    };

    private object Bool(bool value) => store.Dialect == SqlDialect.Postgres ? value : value ? 1L : 0L;

    private object TimeParameter(DateTimeOffset value) =>
        store.Dialect == SqlDialect.Postgres ? value.ToUniversalTime() : RowTable.FormatSqliteTime(value);

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static bool Boolean(DbDataReader r, int i) => r.GetValue(i) switch
    {
        bool b => b,
        long l => l != 0,
        int n => n != 0,
        _ => false,
    };

    /// <summary>A stored instant in Vietnam's offset, to the second (as every other time the API prints).</summary>
    private static DateTimeOffset? Time(DbDataReader r, int i) => (r.IsDBNull(i) ? null : r.GetValue(i) switch
    {
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)).ToOffset(VietnamOffset),
        DateTimeOffset o => o.ToOffset(VietnamOffset),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToOffset(VietnamOffset),
        _ => (DateTimeOffset?)null,
    }) is { } t ? t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond)) : null;

    private async Task<List<T>> QueryAsync<T>(string sql, IEnumerable<(string Name, object Value)> parameters, Func<DbDataReader, T> read, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            DossierService.AddParameter(command, name, value);
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
