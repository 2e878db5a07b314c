using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.EventStore;
using ProcedureEngine.Host.Web.Workspace;
using Xunit.Abstractions;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// The worklist at 100,000 open dossiers waiting on one agency: the first page (with the queue's badge counts), a page
/// deep in the queue by its cursor, and the searches, timed against the same requests at 1,000 dossiers in the same
/// run; then the time a browser takes from opening /workspace/ to showing the first page. The read model rows are
/// written directly (one header and one step row per dossier, as <see cref="WorklistProjection"/> writes them), so
/// the store holds the volume without receiving 100,000 dossiers one by one. Numbers go to the test output and to
/// artifacts/worklist-scale.json.
/// </summary>
public abstract class WorklistScaleTests<TFixture>(TFixture server, ITestOutputHelper output)
    where TFixture : ServerFixture
{
    private const string Agency = "so-tai-chinh";
    private const int Small = 1_000;
    private const int Large = 100_000;
    private const int Runs = 9;

    private static readonly string[] Families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
    private static readonly string[] Given = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Đức Huy", "Ngọc Lan", "Thành Long", "Thị Mai", "Hữu Nghĩa"];

    private TFixture Server { get; } = server;

    /// <summary>Writes the rows of dossiers [from, to) waiting at <see cref="Agency"/>, due from 10 days ago to 20 days ahead.</summary>
    private async Task FillAsync(int from, int to)
    {
        var store = Server.App.Services.GetRequiredService<IEventStore>();
        var sql = Server.App.Services.GetRequiredService<ReadModelSql>();
        var columns = WorklistProjection.Table.Columns.Select(c => c.Name).ToList();
        var now = ServerFixture.Start;
        await using var connection = await store.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // One statement of a few rows, sent again and again (SQLite binds named parameters by a linear look-up, so a
        // statement of thousands of parameters costs quadratically; PostgreSQL takes more rows per round trip). A new
        // command each time: Npgsql runs a command it has prepared with the parameter objects it was prepared with, so
        // a cleared and refilled parameter list would insert the first rows again (npgsql/npgsql#3850).
        var rowsPerStatement = store.Dialect == SqlDialect.Postgres ? 200 : 20;
        var text = new StringBuilder($"INSERT INTO {WorklistProjection.Table.Name} ({string.Join(", ", columns)}) VALUES ");
        for (var r = 0; r < rowsPerStatement; r++)
        {
            text.Append(r == 0 ? "(" : ", (").Append(string.Join(", ", columns.Select((_, c) => $"@p{r}_{c}"))).Append(')');
        }

        text.Append(" ON CONFLICT DO NOTHING");
        var statement = text.ToString();

        var rows = new List<object?[]>();
        async Task FlushAsync()
        {
            while (rows.Count < rowsPerStatement)
            {
                rows.Add(rows[^1]); // the last row again: the upsert key makes it a no-op
            }

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
#pragma warning disable CA2100 // parameterised; only placeholders are assembled
            command.CommandText = statement;
#pragma warning restore CA2100
            for (var r = 0; r < rowsPerStatement; r++)
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    command.With($"@p{r}_{c}", rows[r][c] ?? DBNull.Value);
                }
            }

            await command.ExecuteNonQueryAsync();
            rows.Clear();
        }

        for (var i = from; i < to; i++)
        {
            var id = $"scale-{i:D6}";
            var applicant = $"{Families[i % Families.Length]} {Given[i / Families.Length % Given.Length]} {i}";
            var received = now.AddMinutes(-(i % 40_000));
            var due = now.AddDays(-10).AddSeconds((long)i * 30 * 86_400 / Large);
            var code = $"000.00.07.H13-{received:yyMMdd}-{i % 10_000:D4}";
            foreach (var (reference, agency, dueAt) in new[] { ("", (string?)null, (DateTimeOffset?)null), ("step/check", Agency, due) })
            {
                var entry = new WorklistEntry(
                    id, reference, agency, dueAt, code, "1.013233", "Gia hạn giấy phép xây dựng", applicant, WorklistProjection.Fold(applicant),
                    i % 13 == 0 ? "awaitingSupplement" : "inProgress", received, received.AddDays(7), Warned: i % 10 == 0, "one-stop", Version: 5, ProcedureVersion: 1);
                rows.Add([.. WorklistProjection.Table.Values(entry).Select(v => v switch { DateTimeOffset t => sql.Time(t), bool b => sql.Bool(b), _ => v })]);
                if (rows.Count == rowsPerStatement)
                {
                    await FlushAsync();
                }
            }
        }

        if (rows.Count > 0)
        {
            await FlushAsync();
        }

        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The fastest of <see cref="Runs"/> timed GETs (after one warm-up), in milliseconds; the last answer. The fastest
    /// run is what the query costs; slower ones measure what else the shared machine was doing (a median still
    /// read 21 ms for a 3 ms page while a build ran beside the test).
    /// </summary>
    private async Task<(double Ms, JsonNode Page)> TimeAsync(string url)
    {
        var client = Server.Client("cb-stc-01");
        var page = await client.GetJsonAsync(url);
        var times = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            page = await client.GetJsonAsync(url);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return (times.Min(), page);
    }

    [Fact]
    public async Task The_first_page_of_a_100000_dossier_queue_comes_as_fast_as_at_1000_and_a_deep_page_by_cursor_as_fast_as_the_first()
    {
        Server.Clock.Now = ServerFixture.Start;
        await FillAsync(0, Small);
        var (smallFirst, smallPage) = await TimeAsync("/api/worklist?limit=50");
        var startCursor = WorklistQueries.Cursor((DateTimeOffset.MinValue.ToUniversalTime(), "", ""));
        var (smallNoCounts, _) = await TimeAsync("/api/worklist?limit=50&after=" + startCursor);
        smallPage["counts"]!["total"]!.GetValue<long>().ShouldBe(Small);

        var fill = Stopwatch.StartNew();
        await FillAsync(Small, Large);
        fill.Stop();
        var (largeFirst, largePage) = await TimeAsync("/api/worklist?limit=50");
        var counts = largePage["counts"]!;
        counts["total"]!.GetValue<long>().ShouldBe(Large);
        ((double)counts["overdue"]!.GetValue<long>()).ShouldBe(Large / 3.0, 1.0, "a third of the queue is past its due instant");
        var items = largePage["items"]!.AsArray();
        items.Count.ShouldBe(50);
        items[0]!["dossierId"]!.GetValue<string>().ShouldBe("scale-000000", "the earliest due first");

        // Page 1,000 of 2,000, by the cursor of the entry before it: no offset is counted through.
        var key = (ServerFixture.Start.AddDays(-10).AddSeconds(49_999L * 30 * 86_400 / Large).ToUniversalTime(), "scale-049999", "step/check");
        var (deep, deepPage) = await TimeAsync("/api/worklist?limit=50&after=" + WorklistQueries.Cursor(key));
        deepPage["items"]![0]!["dossierId"]!.GetValue<string>().ShouldBe("scale-050000");
        deepPage["counts"].ShouldBeNull("the counts come with the first page only");
        var (firstNoCounts, _) = await TimeAsync("/api/worklist?limit=50&after=" + startCursor);

        var (byCode, codePage) = await TimeAsync("/api/worklist?limit=50&after=" + startCursor + "&q=" + Uri.EscapeDataString("000.00.07.H13-260424-0042"));
        codePage["items"]!.AsArray().ShouldNotBeEmpty();
        var (byName, namePage) = await TimeAsync("/api/worklist?limit=50&after=" + startCursor + "&q=" + Uri.EscapeDataString("dang thu ha"));
        namePage["items"]!.AsArray().ShouldNotBeEmpty();

        // The browser: from opening the page (signed in) to the first page's rows on screen.
        var (playwright, browser) = await Browsers.LaunchAsync();
        double browserMs;
        try
        {
            var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(Server.BaseUrl + "/workspace/");
            await page.FillAsync("#token", "token-cb-stc-01");
            await page.ClickAsync("#sign-in");
            await page.Locator("#rows tr[data-dossier]").First.WaitForAsync();
            var watch = Stopwatch.StartNew();
            await page.ReloadAsync();
            await page.Locator("#rows tr[data-dossier]").Nth(49).WaitForAsync();
            browserMs = watch.Elapsed.TotalMilliseconds;
            (await page.TextContentAsync("#count-total")).ShouldBe("Tổng số: 100.000");
            await Browsers.ScreenshotAsync(page, "workspace-worklist-100000");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }

        var report = new JsonObject
        {
            ["store"] = Server.App.Services.GetRequiredService<IEventStore>().Backend,
            ["dossiers"] = Large,
            ["fillSeconds"] = Math.Round(fill.Elapsed.TotalSeconds, 1),
            ["firstPageMsAt1000"] = Math.Round(smallFirst, 1),
            ["firstPageMsAt100000"] = Math.Round(largeFirst, 1),
            ["ratioFirstPage100000To1000"] = Math.Round(largeFirst / smallFirst, 2),
            ["entriesOnlyMsAt1000"] = Math.Round(smallNoCounts, 1),
            ["entriesOnlyMsAt100000"] = Math.Round(firstNoCounts, 1),
            ["ratioEntriesOnly100000To1000"] = Math.Round(firstNoCounts / smallNoCounts, 2),
            ["page1000ByCursorMs"] = Math.Round(deep, 1),
            ["ratioDeepToFirstWithoutCounts"] = Math.Round(deep / firstNoCounts, 2),
            ["searchByCodeEntriesMs"] = Math.Round(byCode, 1),
            ["searchByNameEntriesMs"] = Math.Round(byName, 1),
            ["browserReloadToFirstPageMs"] = Math.Round(browserMs, 0),
        };
        output.WriteLine(report.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Directory.CreateDirectory(Browsers.ArtifactsRoot);
        await File.WriteAllTextAsync(Path.Combine(Browsers.ArtifactsRoot, $"worklist-scale-{report["store"]}.json"), report.ToJsonString());

        // Keyset paging: a page of entries costs the same at 1,000 and 100,000, and page 1,000 what page 1 does (an
        // offset would read 50,000 entries first); a code is found through its index, not by reading the queue.
        // Each bound allows 5 ms on top of the ratio: these are millisecond timings on a shared machine.
        firstNoCounts.ShouldBeLessThan(smallNoCounts * 3 + 5, report.ToJsonString());
        deep.ShouldBeLessThan(firstNoCounts * 3 + 5, report.ToJsonString());
        byCode.ShouldBeLessThan(smallNoCounts * 5 + 5, report.ToJsonString());
        // The badge counts of the whole queue (first page only) are the one part that grows with it: one pass over
        // a covering index, bounded here at a hundredfold for a hundredfold queue.
        largeFirst.ShouldBeLessThan(smallFirst * 100, report.ToJsonString());
    }
}

public sealed class SqliteWorklistScaleTests(SqliteServerFixture server, ITestOutputHelper output)
    : WorklistScaleTests<SqliteServerFixture>(server, output), IClassFixture<SqliteServerFixture>;

public sealed class PostgresWorklistScaleTests(PostgresServerFixture server, ITestOutputHelper output)
    : WorklistScaleTests<PostgresServerFixture>(server, output), IClassFixture<PostgresServerFixture>;
