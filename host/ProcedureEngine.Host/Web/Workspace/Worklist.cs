using System.Buffers.Text;

namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>One piece of waiting work: a dossier's step at an agency, or its result waiting to be returned.</summary>
public sealed record WorklistItem(string DossierId, string? Code, string? ProcedureCode, string? ProcedureName, string? Applicant,
    string Status, string StatusText, string Work, string WorkName, string? Agency, string AgencyName, DateTimeOffset? DueAt,
    DateTimeOffset? ReceivedAt, DateTimeOffset? AppointmentAt, IReadOnlyList<string> Badges, long Version);

/// <summary>How many entries of the queue carry each badge (the whole queue, not the page).</summary>
public sealed record WorklistCounts(long Total, long Overdue, long AtRisk, long AwaitingSupplement);

/// <summary>A page of the queue; <c>next</c> is the cursor of the following page (null at the end).</summary>
public sealed record WorklistPage(string? Agency, string AgencyName, IReadOnlyList<WorklistItem> Items, string? Next, WorklistCounts? Counts);

/// <summary>The filters of a worklist request, checked.</summary>
public sealed record WorklistFilter(string? Agency, string? Procedure, string? Field, string? Status, string? Badge,
    DateOnly? ReceivedFrom, DateOnly? ReceivedTo, string? Search, (DateTimeOffset Due, string Id, string Ref)? After, int Limit);

/// <summary>
/// The officer's worklist: what waits on an agency, in due order, with badges (quá hạn, sắp đến hạn, chờ bổ sung),
/// filters and search (code prefix, or the applicant's name without regard to accents). Pages are read by keyset on
/// (agency, due, dossier, work), so the thousandth page costs what the first does, whatever the size of the store.
/// </summary>
public sealed class WorklistQueries(ReadModelSql sql, CatalogNames names, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Badges = ["overdue", "atRisk", "awaitingSupplement"];

    public async Task<WorklistPage> PageAsync(WorklistFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var where = new List<string> { "ref <> ''", "due_at IS NOT NULL" };
        // An agency's queue is its own work plus, at a one-stop unit, the online submissions of the procedures it
        // receives (waiting on no agency until one accepts them): two index ranges, read apart and merged in due order.
        // Their parameters are also all the badge counts read.
        var queues = new List<string>();
        var queueParameters = new List<(string, object)> { ("@now", sql.Time(now)) };
        if (filter.Agency is not null)
        {
            queues.Add("agency = @agency");
            queueParameters.Add(("@agency", filter.Agency));
            if (names.ProceduresReceivedBy(filter.Agency) is { Count: > 0 } received)
            {
                queues.Add($"ref = '{WorklistEntry.Accept}' AND {ProcedureIn("@r", received, queueParameters)}");
            }
        }
        else
        {
            queues.Add("1 = 1");
        }

        var parameters = new List<(string, object)>(queueParameters);
        var unfiltered = where.Count;
        if (filter.Procedure is not null)
        {
            where.Add("procedure_code = @procedure");
            parameters.Add(("@procedure", filter.Procedure));
        }

        if (filter.Field is not null)
        {
            var codes = names.ProceduresOfField(filter.Field);
            where.Add(codes.Count == 0 ? "1 = 0" : ProcedureIn("@f", codes, parameters));
        }

        if (filter.Status is not null)
        {
            where.Add("status = @status");
            parameters.Add(("@status", filter.Status));
        }

        switch (filter.Badge)
        {
            case "overdue":
                where.Add("due_at < @now");
                break;
            case "atRisk":
                where.Add("warned = @true AND due_at >= @now");
                parameters.Add(("@true", sql.Bool(true)));
                break;
            case "awaitingSupplement":
                where.Add("status = 'awaitingSupplement'");
                break;
            default:
                break;
        }

        if (filter.ReceivedFrom is { } from)
        {
            where.Add("received_at >= @receivedFrom");
            parameters.Add(("@receivedFrom", sql.Time(LocalMidnight(from))));
        }

        if (filter.ReceivedTo is { } to)
        {
            where.Add("received_at < @receivedTo");
            parameters.Add(("@receivedTo", sql.Time(LocalMidnight(to.AddDays(1)))));
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var search = filter.Search.Trim();
            if (char.IsAsciiDigit(search[0]) && !search.Any(char.IsWhiteSpace))
            {
                // A dossier code (it starts with the receiving unit's number: "000.00.07.H13-…"; a name does not start
                // with a digit), matched from its start as codes are written: a range of the code index in byte
                // order, so it costs the same in a queue of 100 or 100,000.
                var code = search.ToUpperInvariant();
                var column = sql.Dialect == SqlDialect.Postgres ? "(dossier_code COLLATE \"C\")" : "dossier_code";
                where.Add($"{column} >= @codeFrom AND {column} < @codeTo");
                parameters.Add(("@codeFrom", code));
                parameters.Add(("@codeTo", code + '\uFFFF'));
            }
            else
            {
                // A name anywhere in the applicant's name, accents ignored.
                where.Add(@"applicant_folded LIKE @name ESCAPE '\'");
                parameters.Add(("@name", "%" + Like(WorklistProjection.Fold(search)) + "%"));
            }
        }

        if (filter.After is { } after)
        {
            where.Add("(due_at, dossier_id, ref) > (@afterDue, @afterId, @afterRef)");
            parameters.Add(("@afterDue", sql.Time(after.Due)));
            parameters.Add(("@afterId", after.Id));
            parameters.Add(("@afterRef", after.Ref));
        }

        var limit = (filter.Limit + 1).ToString(CultureInfo.InvariantCulture);
        var branches = queues.Select((queue, i) => $"""
            SELECT * FROM (SELECT dossier_id, ref, agency, due_at, dossier_code, procedure_code, procedure_name, applicant, status, received_at,
                   appointment_at, warned, version, procedure_version
            FROM {WorklistProjection.Table.Name}
            WHERE {queue} AND {string.Join(" AND ", where)}
            ORDER BY due_at, dossier_id, ref
            LIMIT {limit}) q{i.ToString(CultureInfo.InvariantCulture)}
            """);
        var rows = await sql.QueryAsync($"""
            {string.Join("\nUNION ALL\n", branches)}
            ORDER BY due_at, dossier_id, ref
            LIMIT {limit}
            """, parameters, r => (Item: Read(r, now), Cursor: (Due: ReadModelSql.ExactTime(r, 3)!.Value, Id: r.GetString(0), Ref: r.GetString(1))), ct).ConfigureAwait(false);

        var more = rows.Count > filter.Limit;
        var page = rows.Take(filter.Limit).ToList();
        var next = more ? Cursor(page[^1].Cursor) : null;

        WorklistCounts? counts = null;
        if (filter.After is null)
        {
            // The badges of the whole queue (agency only), on the first page.
            var whole = string.Join(" AND ", where.Take(unfiltered));
            var trueValue = sql.Bool(true);
            var parts = await sql.QueryAsync(string.Join("\nUNION ALL\n", queues.Select(queue => $"""
                SELECT count(*),
                       sum(CASE WHEN due_at < @now THEN 1 ELSE 0 END),
                       sum(CASE WHEN warned = @t AND due_at >= @now THEN 1 ELSE 0 END),
                       sum(CASE WHEN status = 'awaitingSupplement' THEN 1 ELSE 0 END)
                FROM {WorklistProjection.Table.Name} WHERE {queue} AND {whole}
                """)), queueParameters.Append(("@t", trueValue)),
                r => new WorklistCounts(ReadModelSql.Long(r, 0), ReadModelSql.Long(r, 1), ReadModelSql.Long(r, 2), ReadModelSql.Long(r, 3)), ct).ConfigureAwait(false);
            counts = parts.Aggregate((a, b) => new WorklistCounts(a.Total + b.Total, a.Overdue + b.Overdue, a.AtRisk + b.AtRisk, a.AwaitingSupplement + b.AwaitingSupplement));
        }

        return new WorklistPage(filter.Agency, filter.Agency is null ? "Tất cả cơ quan" : names.Agency(filter.Agency), [.. page.Select(p => p.Item)], next, counts);
    }

    private WorklistItem Read(System.Data.Common.DbDataReader r, DateTimeOffset now)
    {
        var work = r.GetString(1);
        var procedure = ReadModelSql.Text(r, 5);
        var version = r.IsDBNull(13) ? (long?)null : ReadModelSql.Long(r, 13);
        var due = ReadModelSql.Time(r, 3);
        var status = r.GetString(8);
        var badges = new List<string>();
        if (ReadModelSql.ExactTime(r, 3) is { } exact && exact < now)
        {
            badges.Add("overdue");
        }
        else if (ReadModelSql.Boolean(r, 11))
        {
            badges.Add("atRisk");
        }

        if (status == "awaitingSupplement")
        {
            badges.Add("awaitingSupplement");
        }

        var workName = work == "return"
            ? "Trả kết quả"
            : work == WorklistEntry.Accept ? "Tiếp nhận hồ sơ nộp trực tuyến"
            : work.StartsWith("step/", StringComparison.Ordinal) ? names.Step(procedure, version, work[5..]) : work;
        var agency = ReadModelSql.Text(r, 2);
        return new WorklistItem(r.GetString(0), ReadModelSql.Text(r, 4), procedure, ReadModelSql.Text(r, 6) ?? names.Procedure(procedure), ReadModelSql.Text(r, 7),
            status, DossierQueries.StatusText(status), work, workName, agency, names.Agency(agency), due,
            ReadModelSql.Time(r, 9), ReadModelSql.Time(r, 10), badges, ReadModelSql.Long(r, 12));
    }

    /// <summary>"procedure_code IN (@p0, @p1, …)" for <paramref name="codes"/>, each added to <paramref name="parameters"/>.</summary>
    private static string ProcedureIn(string prefix, IReadOnlyList<string> codes, List<(string, object)> parameters)
    {
        var placeholders = codes.Select((_, i) => prefix + i.ToString(CultureInfo.InvariantCulture)).ToList();
        parameters.AddRange(placeholders.Zip(codes, (name, code) => (name, (object)code)));
        return $"procedure_code IN ({string.Join(", ", placeholders)})";
    }

    private static DateTimeOffset LocalMidnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), ReadModelSql.VietnamOffset);

    private static string Like(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    /// <summary>The opaque cursor of the entry a page ends with: its exact due instant (UTC ticks), dossier and work.</summary>
    public static string Cursor((DateTimeOffset Due, string Id, string Ref) key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{key.Due.UtcTicks.ToString(CultureInfo.InvariantCulture)}\n{key.Id}\n{key.Ref}"));

    public static bool TryParseCursor(string text, out (DateTimeOffset Due, string Id, string Ref) key)
    {
        key = default;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('\n');
            if (parts.Length == 3 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                key = (new DateTimeOffset(ticks, TimeSpan.Zero), parts[1], parts[2]);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}

/// <summary>GET /api/worklist: the signed-in officer's queue (auditors and administrators choose the agency).</summary>
public static class WorklistEndpoints
{
    public const int DefaultPage = 50;

    public const int MaxPage = 500;

    private static readonly string[] Statuses = ["submitted", "received", "inProgress", "awaitingSupplement", "resultReady"];

    public static void MapWorklist(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/worklist", async (string? agency, string? procedure, string? field, string? status, string? badge,
                DateOnly? receivedFrom, DateOnly? receivedTo, string? q, string? after, int? limit,
                ClaimsPrincipal user, WorklistQueries queries, CancellationToken ct) =>
            {
                var own = user.IsInRole(nameof(UserRole.Officer)) ? user.Agency() : null;
                if (own is not null && agency is not null && agency != own)
                {
                    return Problems.Forbidden($"an officer of '{own}' sees only the worklist of its own agency, not '{agency}'",
                        $"Cán bộ của cơ quan '{own}' chỉ xem được danh sách việc của cơ quan mình.");
                }

                if (limit is < 1 or > MaxPage)
                {
                    return Problems.BadParameter("limit", $"limit is 1..{MaxPage} (default {DefaultPage})", $"Số dòng mỗi trang từ 1 đến {MaxPage}.");
                }

                if (status is not null && !Statuses.Contains(status))
                {
                    return Problems.BadParameter("status", $"status '{status}' is not one of {string.Join(", ", Statuses)}", "Trạng thái không hợp lệ.");
                }

                if (badge is not null && !WorklistQueries.Badges.Contains(badge))
                {
                    return Problems.BadParameter("badge", $"badge '{badge}' is not one of {string.Join(", ", WorklistQueries.Badges)}", "Nhãn lọc không hợp lệ.");
                }

                (DateTimeOffset, string, string)? cursor = null;
                if (after is not null)
                {
                    if (!WorklistQueries.TryParseCursor(after, out var parsed))
                    {
                        return Problems.BadParameter("after", "after must be the 'next' cursor of the previous page", "Con trỏ trang không hợp lệ.");
                    }

                    cursor = parsed;
                }

                if (receivedFrom is { } f && receivedTo is { } t && t < f)
                {
                    return Problems.BadParameter("receivedTo", "receivedTo is before receivedFrom", "Ngày kết thúc trước ngày bắt đầu.");
                }

                var filter = new WorklistFilter(own ?? agency, procedure, field, status, badge, receivedFrom, receivedTo, q, cursor, limit ?? DefaultPage);
                return Results.Json(await queries.PageAsync(filter, ct).ConfigureAwait(false));
            })
            .RequireAuthorization(Policies.Read)
            .WithTags("Workspace")
            .WithSummary("The worklist: what waits on the officer's agency, in due order, with badges, filters, search and keyset paging (`next` cursor)");
    }
}
