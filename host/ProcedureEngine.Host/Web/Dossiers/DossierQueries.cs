using ProcedureEngine.Host.Web.Workspace;
using static ProcedureEngine.Host.Web.Workspace.ReadModelSql;

namespace ProcedureEngine.Host.Web.Dossiers;

public sealed record DossierListItem(string Id, string? Code, string? ProcedureCode, string? ProcedureName, string Status,
    DateTimeOffset? ReceivedAt, DateTimeOffset? AppointmentAt, bool Overdue, string? CurrentAgency, string? ActiveSteps, long Version);

/// <summary>
/// One group of the on-time report. <c>Finished</c> is every unit that ended in the period: <c>OnTime</c> + <c>Late</c> (results
/// returned, or steps completed, by their due instant or after it; a result returned after an apology (form 04: the agency
/// at fault set a new appointment) is late, whatever the new appointment) + <c>Refused</c> (refused at the counter or by a step) +
/// <c>Stopped</c> (withdrawn by the applicant, or closed when requested documents never came). <c>OnTimeRate</c> is
/// <c>OnTime ÷ (OnTime + Late)</c> in percent: a refusal or a withdrawal is neither on time nor late.
/// </summary>
public sealed record OnTimeRow(string Group, int Finished, int OnTime, int Late, int Refused, int Stopped, decimal OnTimeRate);

/// <summary>The report; <c>Counts</c> says what a row counts: <c>steps</c> (groupBy=agency: each completed step at its agency) or <c>dossiers</c>.</summary>
public sealed record OnTimeReport(string GroupBy, string Counts, DateOnly? From, DateOnly? To, IReadOnlyList<OnTimeRow> Rows);

/// <summary>Queries over the read models the event store keeps (dossier summary inline, reports async).</summary>
public sealed class DossierQueries(IEventStore store, DefinitionRegistry registry)
{
    private readonly ReadModelSql reads = new(store);

    /// <summary>Dossiers by receipt time (then id), filtered; one page of at most <paramref name="limit"/> from <paramref name="offset"/>.</summary>
    public async Task<IReadOnlyList<DossierListItem>> ListAsync(bool? overdue, string? agency, string? status, int limit, int offset, CancellationToken ct)
    {
        var sql = $"SELECT dossier_id, dossier_code, procedure_code, procedure_name, status, received_at, appointment_at, overdue, current_agency, active_steps, version FROM {DossierSummaryProjection.Table.Name} WHERE 1 = 1";
        var parameters = new List<(string, object)>();
        if (overdue is { } o)
        {
            sql += " AND overdue = @overdue";
            parameters.Add(("@overdue", reads.Bool(o)));
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
        return await reads.QueryAsync(sql, parameters, r => new DossierListItem(
            r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3), r.GetString(4), Time(r, 5), Time(r, 6), Boolean(r, 7), Text(r, 8), Text(r, 9), r.GetInt64(10)), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// On-time share of finished work: per agency from each step's hand-over (the agency whose step it is; the rows count
    /// steps), per procedure and per field from whole dossiers (the rows count dossiers, including those refused at the
    /// counter, under their procedure). Dates are local days (UTC+7), both ends included.
    /// </summary>
    public async Task<OnTimeReport> OnTimeAsync(DateOnly? from, DateOnly? to, string groupBy, CancellationToken ct)
    {
        var steps = groupBy == "agency";
        var (table, groupColumn, timeColumn, outcomeColumn, faultColumn) = steps
            ? (OnTimeReportProjection.Steps.Name, "agency", "completed_at", "NULL", "NULL")
            : (OnTimeReportProjection.Outcomes.Name, "procedure_code", "finished_at", "outcome", "agency_at_fault");
        var sql = $"SELECT {groupColumn}, on_time, {outcomeColumn}, {faultColumn} FROM {table} WHERE {timeColumn} IS NOT NULL";
        var parameters = new List<(string, object)>();
        if (from is { } f)
        {
            sql += $" AND {timeColumn} >= @from";
            parameters.Add(("@from", reads.Time(new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), VietnamOffset))));
        }

        if (to is { } t)
        {
            sql += $" AND {timeColumn} < @to";
            parameters.Add(("@to", reads.Time(new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), VietnamOffset))));
        }

        // Late: past the due instant, or (a dossier) returned after the apology letter of an agency at fault.
        var rows = await reads.QueryAsync(sql, parameters, r => (Group: Text(r, 0) ?? "", OnTime: !r.IsDBNull(1) && Boolean(r, 1) && r.IsDBNull(3), Outcome: steps ? "completed" : Text(r, 2)), ct).ConfigureAwait(false);
        var grouped = rows.GroupBy(r => groupBy == "field" ? FieldOf(r.Group) : r.Group)
            .Select(g =>
            {
                var refused = g.Count(x => x.Outcome == "refused");
                var stopped = g.Count(x => x.Outcome is "withdrawn" or "closed");
                var onTime = g.Count(x => x.Outcome is "returned" or "completed" && x.OnTime);
                var late = g.Count(x => x.Outcome is "returned" or "completed" && !x.OnTime);
                return new OnTimeRow(g.Key, g.Count(), onTime, late, refused, stopped, onTime + late == 0 ? 0 : Math.Round(100m * onTime / (onTime + late), 1));
            })
            .OrderBy(r => r.Group, StringComparer.Ordinal)
            .ToList();
        return new OnTimeReport(groupBy, steps ? "steps" : "dossiers", from, to, grouped);
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
}
