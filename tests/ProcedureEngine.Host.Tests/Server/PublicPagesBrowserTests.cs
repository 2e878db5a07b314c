using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>A server started as `serve --demo`: March 2026 and April up to the clock (24/4 09:00) seeded through the decider.</summary>
public sealed class DemoServerFixture : ServerFixture
{
    protected override bool Demo => true;

    protected override Task<(string Store, string? Connection)> StoreAsync() => Task.FromResult(("sqlite", (string?)null));

    /// <summary>Waits until every async read model (reports, dashboard facts) has applied the whole store: the seed and what the timers added.</summary>
    public async Task WaitForReadModelsAsync()
    {
        var store = App.Services.GetRequiredService<IEventStore>();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        foreach (var projection in DossierProjections.All().Where(p => p.Mode == ProjectionMode.Async))
        {
            while ((await store.ReadAllAsync(await store.GetCheckpointAsync(projection.Name), 1)).Events.Count > 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the read model {projection.Name} did not catch up in 2 minutes");
                }

                await Task.Delay(100);
            }
        }
    }
}

/// <summary>
/// The supervisor's dashboard and the citizen's tracking page in real Chromium against a demo-seeded server: the charts are
/// drawn from the seeded month and show the report API's numbers; a citizen on a 390-pixel phone finds a dossier by its
/// code and rates it once. Screenshots and page weights go under artifacts/.
/// </summary>
public sealed partial class PublicPagesBrowserTests(DemoServerFixture server) : IClassFixture<DemoServerFixture>, IAsyncLifetime
{
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        (playwright, browser) = await Browsers.LaunchAsync();
        await server.WaitForReadModelsAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    private static string Number(JsonNode? value, int digits = 1) =>
        Math.Round(value!.GetValue<decimal>(), digits).ToString(digits == 0 ? "#,##0" : "#,##0.#", Vietnamese);

    private static readonly CultureInfo Vietnamese = new("vi-VN");

    private async Task<IPage> DashboardAsync()
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/dashboard/");
        await Browsers.ShouldBeBuiltAsync(page);
        await page.FillAsync("#token", "token-kiem-soat-01");
        await page.ClickAsync("#sign-in");
        await page.Locator("body[data-loaded]").WaitForAsync();
        return page;
    }

    [Fact]
    public async Task The_dashboard_draws_the_seeded_month_and_shows_the_report_apis_numbers_with_names_and_formulas()
    {
        var page = await DashboardAsync();
        (await page.InputValueAsync("#to")).ShouldBe("2026-04-24", "the default period ends on the server's today");

        await page.FillAsync("#from", "2026-03-01");
        await page.FillAsync("#to", "2026-03-31");
        await page.ClickAsync("#show");
        await page.Locator("body[data-loaded='2026-03-01/2026-03-31']").WaitForAsync();
        await page.Locator("#chart-procedure svg").WaitForAsync();

        var auditor = server.Client("kiem-soat-01");
        const string march = "from=2026-03-01&to=2026-03-31";
        foreach (var (groupBy, holder, chart) in new[] { ("procedure", "#table-procedure", "#chart-procedure"), ("field", "#table-field", "#chart-field"), ("agency", "#table-agency", "#chart-agency") })
        {
            var report = await auditor.GetJsonAsync($"/api/reports/on-time?{march}&groupBy={groupBy}");
            var rows = report["rows"]!.AsArray();
            rows.Count.ShouldBeGreaterThan(0, $"the seeded March has finished work per {groupBy}");
            (await page.Locator($"{holder} tbody tr").CountAsync()).ShouldBe(rows.Count, groupBy);
            var chartText = await page.Locator($"{chart} svg").TextContentAsync() ?? "";
            foreach (var row in rows)
            {
                var cells = await page.Locator($"{holder} tr[data-key='{row!["group"]!.GetValue<string>()}'] td").AllTextContentsAsync();
                cells[0].ShouldNotBe(row["group"]!.GetValue<string>(), $"{groupBy} rows are named, not ids");
                var numbers = groupBy == "agency"
                    ? new[] { "finished", "onTime", "late" }
                    : new[] { "finished", "onTime", "late", "refused", "stopped" };
                cells.Skip(1).Take(numbers.Length).ShouldBe(numbers.Select(n => Number(row[n], 0)), $"{groupBy} {row["group"]}");
                cells[^1].ShouldBe($"{Number(row["onTimeRate"])} %");

                // The bar's label is the same rate.
                chartText.ShouldContain($"{Number(row["onTimeRate"])} %");
            }

            (await page.Locator($"{chart} svg path").CountAsync()).ShouldBeGreaterThan(rows.Count, $"the {groupBy} chart draws a bar per row");
        }

        // Names, not ids; the agency chart says it counts steps.
        (await page.TextContentAsync("#table-agency") ?? "").ShouldContain("Sở Xây dựng");
        (await page.TextContentAsync("#t-agency") ?? "").ShouldContain("bước");

        // The 766 indicators are the API's, each with its formula in a tooltip.
        var dashboard = await auditor.GetJsonAsync($"/api/dashboard?{march}");
        foreach (var indicator in dashboard["indicators"]!.AsArray())
        {
            var id = indicator!["id"]!.GetValue<string>();
            var value = indicator["value"] is null ? "—" : $"{Number(indicator["value"])} %";
            (await page.TextContentAsync($"#kpi-{id} .value")).ShouldBe(value, id);
            var tip = page.Locator($"#formula-{id}");
            (await tip.IsVisibleAsync()).ShouldBeFalse();
            await page.HoverAsync($"#kpi-{id} .tip button");
            await tip.WaitForAsync();
            (await tip.TextContentAsync()).ShouldBe(indicator["formula"]!.GetValue<string>());
        }

        await page.HoverAsync("h1");
        (await page.TextContentAsync("#kpi-apologies .value")).ShouldBe(Number(dashboard["apologies"], 0));
        dashboard["apologies"]!.GetValue<long>().ShouldBeGreaterThan(0, "the seeded month has late steps, hence apologies");
        (await page.Locator("#table-time tbody tr").CountAsync()).ShouldBe(dashboard["processingTime"]!.AsArray().Count);
        (await page.Locator("#chart-satisfaction svg path").CountAsync()).ShouldBeGreaterThan(0);
        await Browsers.ScreenshotAsync(page, "dashboard");

        // The exports are the server's, for the period on screen, with the session cookie.
        var csvUrl = await page.GetAttributeAsync("#export-csv", "href");
        csvUrl.ShouldBe("/api/dashboard/export?from=2026-03-01&to=2026-03-31&format=csv");
        var csv = await page.APIRequest.GetAsync(server.BaseUrl + csvUrl);
        csv.Status.ShouldBe(200);
        (await csv.TextAsync()).ShouldContain("Đúng hạn theo thủ tục");
        var xlsx = await page.APIRequest.GetAsync(server.BaseUrl + await page.GetAttributeAsync("#export-xlsx", "href"));
        xlsx.Headers["content-type"].ShouldStartWith("application/vnd.openxmlformats");

        // English on the switch, from the same data.
        await page.ClickAsync("#lang");
        await page.Locator("#t-agency", new() { HasText = "counted in steps" }).WaitForAsync();
        (await page.TextContentAsync("#kpi-progress .name") ?? "").ShouldContain("Progress");
        await page.ClickAsync("#lang");

        var violations = await Browsers.AxeAsync(page);
        violations.Where(v => v.Impact is "serious" or "critical").ShouldBeEmpty(string.Join("\n", violations.Select(v => $"{v.Impact} {v.Id}: {v.Nodes}")));
    }

    private async Task<IPage> PhoneAsync()
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        return await context.NewPageAsync();
    }

    private static async Task ShouldFitThePhoneAsync(IPage page)
    {
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "nothing wider than the phone");
        (await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.querySelector('#result dd')).fontSize)")).ShouldBeGreaterThanOrEqualTo(14);
    }

    /// <summary>A returned, not yet rated seeded dossier: its code and the rating link printed on its result slip.</summary>
    private async Task<(string Code, string RateLink)> ReturnedDossierAsync(int skip)
    {
        var auditor = server.Client("kiem-soat-01");
        var list = (await auditor.GetJsonAsync("/api/dossiers?status=returned&limit=200")).AsArray();
        var candidates = new List<(string Id, string Code)>();
        foreach (var item in list)
        {
            var code = item!["code"]!.GetValue<string>();
            if (!(await auditor.GetJsonAsync($"/api/track/{code}"))["evaluated"]!.GetValue<bool>())
            {
                candidates.Add((item["id"]!.GetValue<string>(), code));
            }
        }

        var (id, found) = candidates[skip];
        var slip = await server.Client("cb-motcua-01").GetStringAsync($"/api/dossiers/{id}/result-slip");
        var link = RateLink().Match(slip).Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        link.ShouldNotBeNullOrEmpty();
        return (found, link);
    }

    [Fact]
    public async Task A_citizen_on_a_390_pixel_phone_finds_a_dossier_by_its_code_and_rates_it_once()
    {
        var (code, rateLink) = await ReturnedDossierAsync(0);
        var page = await PhoneAsync();
        await page.GotoAsync(server.BaseUrl + "/track/");
        await page.Locator("#code").WaitForAsync();
        (await page.GetAttributeAsync("meta[name=viewport]", "content")).ShouldBe("width=device-width, initial-scale=1");

        await page.FillAsync("#code", code);
        await page.ClickAsync("#find");
        await page.Locator("#status", new() { HasText = "Đã trả kết quả" }).WaitForAsync();
        page.Url.ShouldEndWith($"/track/{code}");
        (await page.TextContentAsync("#procedure") ?? "").ShouldNotBeNullOrWhiteSpace();
        var track = await server.Client(null).GetJsonAsync($"/api/track/{code}");
        (await page.TextContentAsync("#procedure")).ShouldBe(track["procedureName"]!.GetValue<string>());
        (await page.TextContentAsync("#agency")).ShouldBe(track["receivingAgency"]!.GetValue<string>());
        var returnedAt = track["returnedAt"]!.GetValue<string>();
        (await page.TextContentAsync("#result dl") ?? "").ShouldContain($"Ngày trả kết quả{returnedAt[11..13]} giờ {returnedAt[14..16]}, ngày {returnedAt[8..10]}/{returnedAt[5..7]}/{returnedAt[..4]}");
        await ShouldFitThePhoneAsync(page);
        await Browsers.ScreenshotAsync(page, "track-returned-390");
        var violations = await Browsers.AxeAsync(page);
        violations.Where(v => v.Impact is "serious" or "critical").ShouldBeEmpty(string.Join("\n", violations.Select(v => $"{v.Impact} {v.Id}: {v.Nodes}")));

        // The QR code on the result slip opens the rating form; every criterion must be answered.
        var link = new Uri(rateLink).PathAndQuery;
        await page.GotoAsync(server.BaseUrl + link);
        await page.Locator("#rating-form").WaitForAsync();
        await page.ClickAsync("#send-rating");
        await page.Locator("#rating-error", new() { HasText = "Hãy chọn một mức" }).WaitForAsync();
        await page.ClickAsync("label[for=timeTaken-5]");
        await page.ClickAsync("label[for=contacts-4]");
        await page.ClickAsync("label[for=accuracy-4]");
        await page.ClickAsync("label[for=attitude-5]");
        await page.FillAsync("#comment", "Cán bộ hướng dẫn tận tình");
        await Browsers.ScreenshotAsync(page, "track-rating-390");
        violations = await Browsers.AxeAsync(page);
        violations.Where(v => v.Impact is "serious" or "critical").ShouldBeEmpty(string.Join("\n", violations.Select(v => $"{v.Impact} {v.Id}: {v.Nodes}")));
        await page.ClickAsync("#send-rating");
        await page.Locator("#rating-done", new() { HasText = "Cảm ơn" }).WaitForAsync();

        // Recorded as the dossier's evaluation event, with the four criteria.
        var id = (await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{code}"))["id"]!.GetValue<string>();
        var events = await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{id}/events");
        var evaluated = events["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "DossierEvaluated")!;
        evaluated["data"]!["criteria"]!["contacts"]!.GetValue<int>().ShouldBe(4);
        evaluated["data"]!["comment"]!.GetValue<string>().ShouldBe("Cán bộ hướng dẫn tận tình");

        // The link is one-time: opened again, it says so clearly and offers no form.
        await page.GotoAsync(server.BaseUrl + link);
        await page.Locator("#rating-closed", new() { HasText = "đã được đánh giá" }).WaitForAsync();
        (await page.Locator("#rating-form").CountAsync()).ShouldBe(0);
        await Browsers.ScreenshotAsync(page, "track-rated-again-390");
    }

    [Fact]
    public async Task The_tracking_page_gives_the_date_that_fits_an_open_dossier_and_a_404_page_for_an_unknown_code()
    {
        var auditor = server.Client("kiem-soat-01");
        var open = (await auditor.GetJsonAsync("/api/dossiers?status=inProgress&limit=50")).AsArray().First()!;
        var code = open["code"]!.GetValue<string>();
        var page = await PhoneAsync();
        var response = await page.GotoAsync($"{server.BaseUrl}/track/{code}");
        response!.Status.ShouldBe(200);
        await page.Locator("#status", new() { HasText = "Đang giải quyết" }).WaitForAsync();
        var track = await server.Client(null).GetJsonAsync($"/api/track/{code}");
        var label = track["apology"] is null ? "Ngày hẹn trả kết quả" : "Ngày hẹn mới";
        (await page.TextContentAsync("#result dl") ?? "").ShouldContain(label);
        var stage = await page.TextContentAsync("#stage") ?? "";
        stage.ShouldStartWith("Đang xử lý: ");
        stage.ShouldContain(track["currentSteps"]!.AsArray()[0]!["agencyName"]!.GetValue<string>());
        (await page.ContentAsync()).ShouldNotContain(open["applicant"]?.GetValue<string>() ?? "\u0000");
        await ShouldFitThePhoneAsync(page);
        await Browsers.ScreenshotAsync(page, "track-in-progress-390");

        var missing = await page.GotoAsync($"{server.BaseUrl}/track/000.00.07.H13-990101-9999");
        missing!.Status.ShouldBe((int)HttpStatusCode.NotFound);
        await page.Locator("#message", new() { HasText = "Không tìm thấy hồ sơ có mã 000.00.07.H13-990101-9999" }).WaitForAsync();
        await Browsers.ScreenshotAsync(page, "track-not-found-390");
        var violations = await Browsers.AxeAsync(page);
        violations.Where(v => v.Impact is "serious" or "critical").ShouldBeEmpty(string.Join("\n", violations.Select(v => $"{v.Impact} {v.Id}: {v.Nodes}")));
    }

    /// <summary>What each page costs a first visit (empty cache): requests and bytes, written to artifacts/page-weights.json.</summary>
    [Fact]
    public async Task Page_weights_are_measured_for_the_tracking_page_the_dashboard_and_the_designer()
    {
        var code = (await server.Client("kiem-soat-01").GetJsonAsync("/api/dossiers?status=inProgress&limit=1")).AsArray()[0]!["code"]!.GetValue<string>();
        var results = new JsonObject();
        foreach (var (name, url, ready, signIn) in new[]
                 {
                     ("track", $"/track/{code}", "#status", false),
                     ("dashboard", "/dashboard/", "#chart-procedure svg", true),
                     ("designer", "/designer/", "#procedures button", true),
                 })
        {
            // A new context (empty cache), signed in through the API as the sign-in form does, so only the page itself is measured.
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
            if (signIn)
            {
                var session = await context.APIRequest.PostAsync(server.BaseUrl + "/api/session", new APIRequestContextOptions
                {
                    DataObject = new { token = name == "designer" ? "token-admin" : "token-kiem-soat-01" },
                    Headers = new Dictionary<string, string> { ["X-PE-CSRF"] = "1" },
                });
                session.Ok.ShouldBeTrue(await session.TextAsync());
            }

            var measured = await context.NewPageAsync();
            var sizes = new List<(string Url, string Type, long Bytes)>();
            var pending = new List<Task>();
            // Playwright raises Response on its own thread: the list of body reads is shared with the test's thread.
            measured.Response += (_, response) => AddLocked(pending, Task.Run(async () =>
            {
                byte[] body;
                try
                {
                    body = response.Status is >= 300 and < 400 ? [] : await response.BodyAsync();
                }
                catch (PlaywrightException)
                {
                    body = [];
                }

                lock (sizes)
                {
                    sizes.Add((response.Url, response.Request.ResourceType, body.Length));
                }
            }));
            await measured.GotoAsync(server.BaseUrl + url);
            await measured.Locator(ready).First.WaitForAsync();
            await measured.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Task[] reads;
            lock (pending)
            {
                reads = [.. pending];
            }

            await Task.WhenAll(reads);
            // Responses may still arrive (a late font, a poll): count the snapshot taken once the reads ended.
            (string Url, string Type, long Bytes)[] seen;
            lock (sizes)
            {
                seen = [.. sizes];
            }

            var total = seen.Sum(s => s.Bytes);
            results[name] = new JsonObject
            {
                ["requests"] = seen.Length,
                ["bytes"] = total,
                ["script"] = seen.Where(s => s.Type == "script").Sum(s => s.Bytes),
                ["stylesheet"] = seen.Where(s => s.Type == "stylesheet").Sum(s => s.Bytes),
                ["font"] = seen.Where(s => s.Type == "font").Sum(s => s.Bytes),
                ["data"] = seen.Where(s => s.Type is "fetch" or "xhr").Sum(s => s.Bytes),
                ["document"] = seen.Where(s => s.Type == "document").Sum(s => s.Bytes),
            };
            total.ShouldBeGreaterThan(0);
            await context.DisposeAsync();
        }

        results["trackToDesignerRatio"] = Math.Round((double)results["track"]!["bytes"]!.GetValue<long>() / results["designer"]!["bytes"]!.GetValue<long>(), 3);
        Directory.CreateDirectory(Browsers.ArtifactsRoot);
        await File.WriteAllTextAsync(Path.Combine(Browsers.ArtifactsRoot, "page-weights.json"), results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine("page weights: " + results.ToJsonString());

        // The citizen's page, opened on a phone from a QR code, must stay a small fraction of the designer's.
        results["track"]!["bytes"]!.GetValue<long>().ShouldBeLessThan(results["designer"]!["bytes"]!.GetValue<long>() / 5);
    }

    private static void AddLocked(List<Task> tasks, Task task)
    {
        lock (tasks)
        {
            tasks.Add(task);
        }
    }

    [GeneratedRegex(@"(https?://[^<""\s]*/track/\?code=[^<""\s]+)")]
    private static partial Regex RateLink();
}
