namespace ProcedureEngine.Host.Web.Workspace;

public sealed record CountRow(string Key, string Name, long Count);

public sealed record AgencyLoad(string Agency, string Name, long Waiting, long Overdue, long AtRisk);

public sealed record OnTimeNamedRow(string Group, string Name, int Finished, int OnTime, int Late, int Refused, int Stopped, decimal OnTimeRate);

public sealed record ProcessingTimeRow(string Procedure, string Name, long Returned, decimal AverageWorkingDays, decimal AverageLegalWorkingDays, decimal Ratio);

public sealed record Satisfaction(long Ratings, decimal? Average, decimal? TimeTaken, decimal? Contacts, decimal? Accuracy, decimal? Attitude);

/// <summary>A Decision 766 indicator: its value in percent, what it counts, and the formula (shown as a tooltip).</summary>
public sealed record Indicator(string Id, string Name, decimal? Value, long Numerator, long Denominator, string Formula);

public sealed record DashboardData(DateOnly From, DateOnly To, IReadOnlyList<CountRow> OpenByStatus, IReadOnlyList<AgencyLoad> OpenByAgency,
    IReadOnlyList<WorklistItem> Overdue, IReadOnlyList<WorklistItem> AtRisk,
    IReadOnlyList<OnTimeNamedRow> OnTimeByAgency, IReadOnlyList<OnTimeNamedRow> OnTimeByField, IReadOnlyList<OnTimeNamedRow> OnTimeByProcedure,
    IReadOnlyList<CountRow> ApologiesByAgency, long Apologies, IReadOnlyList<ProcessingTimeRow> ProcessingTime, Satisfaction Satisfaction,
    IReadOnlyList<Indicator> Indicators)
{
    /// <summary>What the rows of <c>OnTimeByAgency</c> count: steps (each completed step at its agency); the field and procedure rows count dossiers.</summary>
    public string OnTimeByAgencyCounts => "steps";
}

/// <summary>
/// The supervisors' dashboard over a period (local days, both ends included): open work by status and agency, overdue
/// and at-risk lists, on-time rates exactly as the report API gives them (with names), apologies, processing time
/// against the legal limit, satisfaction, and the Decision 766 indicators the engine can compute.
/// </summary>
public sealed class DashboardQueries(ReadModelSql sql, CatalogNames names, DossierQueries reports, WorklistQueries worklist, DefinitionRegistry registry, TimeProvider clock)
{
    private static readonly string[] OpenStatuses = ["submitted", "received", "inProgress", "awaitingSupplement", "resultReady"];

    public async Task<DashboardData> BuildAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var start = sql.Time(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), ReadModelSql.VietnamOffset));
        var end = sql.Time(new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), ReadModelSql.VietnamOffset));

        var byStatus = await sql.QueryAsync($"SELECT status, count(*) FROM {DossierSummaryProjection.Table.Name} WHERE status IN ({string.Join(", ", OpenStatuses.Select(s => $"'{s}'"))}) GROUP BY status",
            [], r => new CountRow(r.GetString(0), DossierQueries.StatusText(r.GetString(0)), ReadModelSql.Long(r, 1)), ct).ConfigureAwait(false);
        var byAgency = await sql.QueryAsync($"""
            SELECT agency, count(*), sum(CASE WHEN due_at < @now THEN 1 ELSE 0 END), sum(CASE WHEN warned = @t AND due_at >= @now THEN 1 ELSE 0 END)
            FROM {WorklistProjection.Table.Name} WHERE ref <> '' AND agency IS NOT NULL GROUP BY agency ORDER BY agency
            """, [("@now", sql.Time(now)), ("@t", sql.Bool(true))],
            r => new AgencyLoad(r.GetString(0), names.Agency(r.GetString(0)), ReadModelSql.Long(r, 1), ReadModelSql.Long(r, 2), ReadModelSql.Long(r, 3)), ct).ConfigureAwait(false);

        var overdue = await worklist.PageAsync(new WorklistFilter(null, null, null, null, "overdue", null, null, null, null, 20), ct).ConfigureAwait(false);
        var atRisk = await worklist.PageAsync(new WorklistFilter(null, null, null, null, "atRisk", null, null, null, null, 20), ct).ConfigureAwait(false);

        async Task<IReadOnlyList<OnTimeNamedRow>> OnTime(string groupBy, Func<string, string> name) =>
            [.. (await reports.OnTimeAsync(from, to, groupBy, ct).ConfigureAwait(false)).Rows
                .Select(r => new OnTimeNamedRow(r.Group, name(r.Group), r.Finished, r.OnTime, r.Late, r.Refused, r.Stopped, r.OnTimeRate))];
        var onTimeByAgency = await OnTime("agency", names.Agency).ConfigureAwait(false);
        var onTimeByField = await OnTime("field", names.Field).ConfigureAwait(false);
        var onTimeByProcedure = await OnTime("procedure", names.Procedure).ConfigureAwait(false);

        var facts = DossierFactsProjection.Table.Name;
        var period = new List<(string, object)> { ("@start", start), ("@end", end) };
        var apologies = await sql.QueryAsync($"SELECT apology_agency, count(*) FROM {facts} WHERE apology_at >= @start AND apology_at < @end GROUP BY apology_agency ORDER BY apology_agency",
            period, r => new CountRow(ReadModelSql.Text(r, 0) ?? "", names.Agency(ReadModelSql.Text(r, 0)), ReadModelSql.Long(r, 1)), ct).ConfigureAwait(false);

        var returned = await sql.QueryAsync($"SELECT procedure_code, procedure_version, received_at, legal_appointment_at, returned_at FROM {facts} WHERE returned_at >= @start AND returned_at < @end",
            period, r => (Code: ReadModelSql.Text(r, 0) ?? "", Version: r.IsDBNull(1) ? 0 : (int)ReadModelSql.Long(r, 1), Received: ReadModelSql.ExactTime(r, 2), Legal: ReadModelSql.ExactTime(r, 3), Returned: ReadModelSql.ExactTime(r, 4)), ct).ConfigureAwait(false);
        var processing = returned.Where(r => r.Received is not null && r.Legal is not null && r.Returned is not null)
            .GroupBy(r => r.Code)
            .Select(g =>
            {
                var definition = registry.Catalog.Find(g.Key, g.First().Version) ?? (registry.Catalog.Versions(g.Key) is { Count: > 0 } v ? v[^1] : null);
                var calendar = definition is null ? ProcedureEngine.Calendar.WorkingCalendar.Vietnam() : registry.CalendarFor(definition);
                decimal Days(DateTimeOffset a, DateTimeOffset b) => (decimal)(calendar.WorkingTimeBetween(a, b) / calendar.WorkingDayLength);
                var actual = g.Average(r => Days(r.Received!.Value, r.Returned!.Value));
                var legal = g.Average(r => Days(r.Received!.Value, r.Legal!.Value));
                return new ProcessingTimeRow(g.Key, names.Procedure(g.Key), g.Count(), Math.Round(actual, 1), Math.Round(legal, 1), legal == 0 ? 0 : Math.Round(actual / legal, 2));
            })
            .OrderBy(r => r.Procedure, StringComparer.Ordinal)
            .ToList();

        var satisfaction = (await sql.QueryAsync($"SELECT count(*), avg(score), avg(time_taken), avg(contacts), avg(accuracy), avg(attitude) FROM {facts} WHERE evaluated_at >= @start AND evaluated_at < @end",
            period, r => new Satisfaction(ReadModelSql.Long(r, 0), Avg(r, 1), Avg(r, 2), Avg(r, 3), Avg(r, 4), Avg(r, 5)), ct).ConfigureAwait(false))[0];

        var channels = await sql.QueryAsync($"SELECT channel, count(*) FROM {facts} WHERE received_at >= @start AND received_at < @end GROUP BY channel",
            period, r => (Channel: ReadModelSql.Text(r, 0) ?? "", Count: ReadModelSql.Long(r, 1)), ct).ConfigureAwait(false);
        var received = channels.Sum(c => c.Count);
        var online = channels.Where(c => c.Channel == "online").Sum(c => c.Count);
        var onTime = onTimeByProcedure.Sum(r => (long)r.OnTime);
        var finished = onTime + onTimeByProcedure.Sum(r => (long)r.Late);
        var positive = (await sql.QueryAsync($"SELECT count(*) FROM {facts} WHERE evaluated_at >= @start AND evaluated_at < @end AND score >= 4",
            period, r => ReadModelSql.Long(r, 0), ct).ConfigureAwait(false))[0];
        IReadOnlyList<Indicator> indicators =
        [
            new("progress", "Tiến độ giải quyết (hồ sơ đúng hạn)", Percent(onTime, finished), onTime, finished,
                "Số hồ sơ trả kết quả đúng hạn ÷ tổng số hồ sơ đã trả kết quả trong kỳ × 100% (trả sau ngày hẹn, hoặc sau khi cơ quan có lỗi đã gửi thư xin lỗi hẹn lại, là trễ hạn; hồ sơ bị từ chối, rút hoặc dừng giải quyết không tính là đúng hạn hay trễ hạn)"),
            new("online", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", Percent(online, received), online, received,
                "Số hồ sơ tiếp nhận qua kênh trực tuyến ÷ tổng số hồ sơ tiếp nhận trong kỳ × 100%"),
            new("satisfaction", "Mức độ hài lòng", Percent(positive, satisfaction.Ratings), positive, satisfaction.Ratings,
                "Số đánh giá hài lòng (4 hoặc 5 điểm) ÷ tổng số đánh giá trong kỳ × 100% (tiêu chí: thời gian, số lần liên hệ, thông tin công khai, thái độ cán bộ)"),
        ];

        return new DashboardData(from, to, byStatus, byAgency, overdue.Items, atRisk.Items, onTimeByAgency, onTimeByField, onTimeByProcedure,
            apologies, apologies.Sum(a => a.Count), processing, satisfaction, indicators);
    }

    private static decimal? Avg(System.Data.Common.DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : Math.Round(Convert.ToDecimal(r.GetValue(i), CultureInfo.InvariantCulture), 2);

    private static decimal? Percent(long part, long whole) => whole == 0 ? null : Math.Round(100m * part / whole, 1);
}
