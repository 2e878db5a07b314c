using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>The supervisors' dashboard and its exports, the counter's preview, and the applicant's rating from the result slip.</summary>
public abstract partial class DashboardApiTests<TFixture>(TFixture server)
    where TFixture : ServerFixture
{
    protected TFixture Server { get; } = server;

    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    private async Task<(string Id, string Code)> ReceiveAsync(string applicant, DateTimeOffset at)
    {
        Server.Clock.Now = at;
        var (response, json) = await Server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", new
        {
            procedure = new { code = "1.013233" },
            applicant = new { name = applicant },
            documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, json?.ToJsonString());
        return (json!["id"]!.GetValue<string>(), json["code"]!.GetValue<string>());
    }

    /// <summary>Receives, has both steps done by the department and the result returned: on time unless <paramref name="returnAt"/> is past the appointment.</summary>
    private async Task<(string Id, string Code)> FinishAsync(string applicant, DateTimeOffset receivedAt, DateTimeOffset returnAt)
    {
        var (id, code) = await ReceiveAsync(applicant, receivedAt);
        var department = Server.Client("cb-sxd-01");
        Server.Clock.Now = receivedAt.AddHours(2);
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Server.Clock.Now = receivedAt.AddHours(3);
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "sign" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Server.Clock.Now = returnAt;
        var (returned, json) = await Server.Client("cb-motcua-01").PostJsonAsync($"/api/dossiers/{id}/return", new { });
        returned.StatusCode.ShouldBe(HttpStatusCode.OK, json?.ToJsonString());
        return (id, code);
    }

    /// <summary>Waits until the async read models (reports, dashboard facts) have applied every event: the report shows what the test wrote.</summary>
    private async Task<JsonNode> WaitForReportAsync(string url, Func<JsonNode, bool> done)
    {
        var auditor = Server.Client("kiem-soat-01");
        for (var attempt = 0; ; attempt++)
        {
            var json = await auditor.GetJsonAsync(url);
            if (done(json) || attempt > 300)
            {
                return json;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_dashboard_shows_the_report_numbers_with_agency_field_and_procedure_names_and_exports_them_as_csv_and_xlsx()
    {
        // A period of its own (June 2026): two dossiers returned the next days, one four weeks later (late, unless the timers' apology moved its appointment).
        var june = new DateTimeOffset(2026, 6, 2, 9, 0, 0, Vietnam);
        await FinishAsync("Ngô Văn Một", june, june.AddDays(1));
        await FinishAsync("Ngô Văn Hai", june.AddHours(1), june.AddDays(2));
        await FinishAsync("Ngô Văn Ba", june.AddHours(2), june.AddDays(28));
        const string period = "from=2026-06-01&to=2026-06-30";

        var byProcedure = await WaitForReportAsync($"/api/reports/on-time?{period}&groupBy=procedure",
            r => r["rows"]!.AsArray().Sum(x => x!["finished"]!.GetValue<int>()) >= 3);
        var dashboard = await WaitForReportAsync($"/api/dashboard?{period}",
            d => d["satisfaction"] is not null && d["processingTime"]!.AsArray().Sum(x => x!["returned"]!.GetValue<long>()) >= 3);
        var byAgency = await Server.Client("kiem-soat-01").GetJsonAsync($"/api/reports/on-time?{period}&groupBy=agency");
        var byField = await Server.Client("kiem-soat-01").GetJsonAsync($"/api/reports/on-time?{period}&groupBy=field");

        // The dashboard's rates are the report's, row for row, with names.
        Rows(dashboard["onTimeByProcedure"]!).ShouldBe(Rows(byProcedure["rows"]!));
        Rows(dashboard["onTimeByAgency"]!).ShouldBe(Rows(byAgency["rows"]!));
        Rows(dashboard["onTimeByField"]!).ShouldBe(Rows(byField["rows"]!));
        var procedure = dashboard["onTimeByProcedure"]!.AsArray().Single(r => r!["group"]!.GetValue<string>() == "1.013233")!;
        procedure["name"]!.GetValue<string>().ShouldNotBe("1.013233");
        procedure["name"]!.GetValue<string>().ShouldContain("giấy phép xây dựng", Case.Insensitive);
        procedure["finished"]!.GetValue<int>().ShouldBe(3);
        var (finished, onTime, late) = (procedure["finished"]!.GetValue<int>(), procedure["onTime"]!.GetValue<int>(), procedure["late"]!.GetValue<int>());
        dashboard["onTimeByAgency"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ShouldContain("Sở Xây dựng");
        dashboard["onTimeByField"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ShouldContain("Hoạt động xây dựng");

        // Processing time against the legal limit: 5 working days for this procedure; the late one pulls the average past it.
        var time = dashboard["processingTime"]!.AsArray().Single(r => r!["procedure"]!.GetValue<string>() == "1.013233")!;
        time["returned"]!.GetValue<long>().ShouldBe(3);
        time["averageLegalWorkingDays"]!.GetValue<decimal>().ShouldBe(5m);
        time["averageWorkingDays"]!.GetValue<decimal>().ShouldBeGreaterThan(5m);

        var progress = dashboard["indicators"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == "progress")!;
        progress["numerator"]!.GetValue<long>().ShouldBe(byProcedure["rows"]!.AsArray().Sum(r => r!["onTime"]!.GetValue<long>()));
        progress["formula"]!.GetValue<string>().ShouldContain("đúng hạn");

        var supervisor = Server.Client("kiem-soat-01");
        var csvResponse = await supervisor.GetAsync($"/api/dashboard/export?{period}&format=csv");
        csvResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        csvResponse.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var csv = Encoding.UTF8.GetString(await csvResponse.Content.ReadAsByteArrayAsync());
        csv.ShouldStartWith("\uFEFF", Case.Sensitive, "a BOM, so Excel reads the Vietnamese text as UTF-8");
        csv.ShouldContain("Đúng hạn theo thủ tục");
        csv.ShouldContain($"1.013233,{Csv(procedure["name"]!.GetValue<string>())},{finished},{onTime},{late},", Case.Sensitive);

        var xlsx = await supervisor.GetByteArrayAsync($"/api/dashboard/export?{period}&format=xlsx");
        using (var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), false))
        {
            var workbook = document.WorkbookPart!;
            var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "Đúng hạn theo thủ tục");
            var rows = ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>().ToList();
            var row = rows.Single(r => r.Elements<Cell>().First().InnerText == "1.013233");
            row.Elements<Cell>().Select(c => c.InnerText).Skip(2).Take(3).ShouldBe([$"{finished}", $"{onTime}", $"{late}"]);
            row.Elements<Cell>().ElementAt(2).DataType!.Value.ShouldBe(CellValues.Number);
        }

        (await supervisor.GetAsync($"/api/dashboard/export?{period}&format=pdf")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await supervisor.GetAsync("/api/dashboard?from=2026-06-30&to=2026-06-01")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_dossier_refused_at_the_counter_counts_as_refused_under_its_procedure_one_returned_after_an_apology_as_late_and_the_agency_report_says_it_counts_steps()
    {
        // A period of its own (August 2026): one dossier returned on time, one refused at the counter, one refused by the appraisal.
        var august = new DateTimeOffset(2026, 8, 4, 9, 0, 0, Vietnam);
        await FinishAsync("Đỗ Văn Sáu", august, august.AddDays(1));
        Server.Clock.Now = august.AddHours(1);
        var (refusedResponse, refused) = await Server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", new
        {
            procedure = new { code = "1.013233" },
            applicant = new { name = "Đỗ Văn Bảy" },
            documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
            refuse = "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan",
        });
        refusedResponse.IsSuccessStatusCode.ShouldBeTrue(refused?.ToJsonString());
        var (id, _) = await ReceiveAsync("Đỗ Văn Tám", august.AddHours(2));
        Server.Clock.Now = august.AddHours(3);
        (await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "rejected", note = "Công trình không phù hợp quy hoạch" }))
            .Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        // A fourth is returned by the new appointment the department's apology gave: still late (the apology says it was).
        var (apologized, _) = await ReceiveAsync("Đỗ Văn Chín", august.AddHours(4));
        Server.Clock.Now = august.AddHours(5);
        var (apologyResponse, apology) = await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{apologized}/apologize", new { reason = "Chờ ý kiến của cơ quan phối hợp" });
        apologyResponse.StatusCode.ShouldBe(HttpStatusCode.OK, apology?.ToJsonString());
        (await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{apologized}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{apologized}/complete", new { step = "sign" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Server.Client("cb-motcua-01").PostJsonAsync($"/api/dossiers/{apologized}/return", new { })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        const string period = "from=2026-08-01&to=2026-08-31";

        var byProcedure = await WaitForReportAsync($"/api/reports/on-time?{period}&groupBy=procedure",
            r => r["rows"]!.AsArray().Sum(x => x!["finished"]!.GetValue<int>()) >= 4);
        byProcedure["counts"]!.GetValue<string>().ShouldBe("dossiers");
        var row = byProcedure["rows"]!.AsArray().ShouldHaveSingleItem()!;
        row["group"]!.GetValue<string>().ShouldBe("1.013233", "the counter's refusal is counted under its procedure, not under an empty group");
        (row["finished"]!.GetValue<int>(), row["onTime"]!.GetValue<int>(), row["late"]!.GetValue<int>(), row["refused"]!.GetValue<int>(), row["stopped"]!.GetValue<int>())
            .ShouldBe((4, 1, 1, 2, 0));
        row["onTimeRate"]!.GetValue<decimal>().ShouldBe(50m, "refusals are neither on time nor late; the apologized one is late");

        var byAgency = await Server.Client("kiem-soat-01").GetJsonAsync($"/api/reports/on-time?{period}&groupBy=agency");
        byAgency["counts"]!.GetValue<string>().ShouldBe("steps");
        var department = byAgency["rows"]!.AsArray().Single(r => r!["group"]!.GetValue<string>() == "so-xay-dung")!;
        department["finished"]!.GetValue<int>().ShouldBe(5, "two steps of each returned dossier and the rejecting appraisal: steps, not dossiers");
        byAgency["rows"]!.AsArray().Sum(r => r!["refused"]!.GetValue<int>()).ShouldBe(0, "a step report has no refused dossiers in it");

        var dashboard = await WaitForReportAsync($"/api/dashboard?{period}", d => d["onTimeByProcedure"]!.AsArray().Sum(x => x!["finished"]!.GetValue<int>()) >= 4);
        dashboard["onTimeByAgencyCounts"]!.GetValue<string>().ShouldBe("steps");
        var progress = dashboard["indicators"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == "progress")!;
        (progress["numerator"]!.GetValue<long>(), progress["denominator"]!.GetValue<long>()).ShouldBe((1L, 2L));
    }

    [Fact]
    public async Task The_public_lookup_names_the_procedure_agency_and_stage_and_gives_the_date_that_fits_the_status_without_personal_data()
    {
        var september = new DateTimeOffset(2026, 9, 1, 9, 0, 0, Vietnam);
        var (id, code) = await ReceiveAsync("Phan Thị Chín", september);
        var citizen = Server.Client(null);

        var running = await citizen.GetJsonAsync($"/api/track/{code}");
        running["status"]!.GetValue<string>().ShouldBe("inProgress");
        running["procedureName"]!.GetValue<string>().ShouldContain("giấy phép xây dựng", Case.Insensitive);
        running["receivingAgency"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        running["appointmentAt"]!.GetValue<string>().ShouldStartWith("2026-09-");
        running["currentSteps"]!.AsArray().Select(s => s!["agencyName"]!.GetValue<string>()).ShouldContain("Sở Xây dựng");
        running["returnedAt"].ShouldBeNull();
        running.ToJsonString().ShouldNotContain("Phan Thị Chín");

        Server.Clock.Now = september.AddHours(2);
        (await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "rejected", note = "Công trình không phù hợp quy hoạch" }))
            .Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await citizen.GetJsonAsync($"/api/track/{code}");
        refused["status"]!.GetValue<string>().ShouldBe("refused");
        refused["refusalReason"]!.GetValue<string>().ShouldBe("Công trình không phù hợp quy hoạch");
        refused["refusedAt"]!.GetValue<string>().ShouldStartWith("2026-09-01T11:00");
        refused["currentSteps"]!.AsArray().ShouldBeEmpty();

        var (_, returnedCode) = await FinishAsync("Phan Văn Mười", september.AddDays(1), september.AddDays(2));
        var returned = await citizen.GetJsonAsync($"/api/track/{returnedCode}");
        returned["status"]!.GetValue<string>().ShouldBe("returned");
        returned["returnedAt"]!.GetValue<string>().ShouldStartWith("2026-09-03T09:00");
        returned["evaluated"]!.GetValue<bool>().ShouldBeFalse();

        // The page at /track/{code} carries the same public data; an unknown code is a 404 page.
        var page = await citizen.GetAsync($"/track/{returnedCode}");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("name=\"viewport\"");
        html.ShouldContain(returned["procedureName"]!.GetValue<string>(), Case.Sensitive, "the page carries the dossier's public data");
        html.ShouldNotContain("Phan Văn Mười");
        var missing = await citizen.GetAsync("/track/000.00.07.H13-990101-9999");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await citizen.GetAsync("/api/track/000.00.07.H13-990101-9999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await citizen.GetAsync($"/api/track/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "the stream id is not a public code");
    }

    [Fact]
    public async Task The_applicant_rates_once_through_the_link_on_the_result_slip_and_the_rating_is_the_dossiers_evaluation_event()
    {
        var july = new DateTimeOffset(2026, 7, 1, 9, 0, 0, Vietnam);
        var (id, code) = await FinishAsync("Hồ Thị Tư", july, july.AddDays(1));

        var slip = await Server.Client("cb-motcua-01").GetStringAsync($"/api/dossiers/{id}/result-slip");
        slip.ShouldContain("<svg");
        slip.ShouldContain(code);
        var token = RateLink().Match(slip).Groups[1].Value;
        token.ShouldNotBeNullOrEmpty();

        var citizen = Server.Client(null);
        var forged = await citizen.PostAsJsonAsync($"/api/track/{code}/rating", new { token = "AAAAAAAAAAAAAAAAAAAAAA", timeTaken = 5, contacts = 5, accuracy = 5, attitude = 5 });
        forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await citizen.PostAsJsonAsync($"/api/track/{code}/rating", new { token, timeTaken = 5, contacts = 0, accuracy = 5, attitude = 5 })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var rated = await citizen.PostAsJsonAsync($"/api/track/{code}/rating", new { token, timeTaken = 5, contacts = 4, accuracy = 4, attitude = 5, comment = "Cán bộ nhiệt tình" });
        rated.StatusCode.ShouldBe(HttpStatusCode.OK, await rated.Content.ReadAsStringAsync());

        var again = await citizen.PostAsJsonAsync($"/api/track/{code}/rating", new { token, timeTaken = 1, contacts = 1, accuracy = 1, attitude = 1 });
        again.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, "one rating per dossier: the link is one-time");
        (await again.Content.ReadAsStringAsync()).ShouldContain("Hồ sơ đã được đánh giá");

        var events = await Server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{id}/events");
        var evaluated = events["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "DossierEvaluated")!;
        evaluated["data"]!["score"]!.GetValue<int>().ShouldBe(5, "the overall score is the criteria's average, rounded (4.5 → 5)");
        evaluated["data"]!["criteria"]!["contacts"]!.GetValue<int>().ShouldBe(4);
        evaluated["actor"]!["agency"]!.GetValue<string>().ShouldBe("applicant");

        var dashboard = await WaitForReportAsync("/api/dashboard?from=2026-07-01&to=2026-07-31", d => d["satisfaction"]!["ratings"]!.GetValue<long>() >= 1);
        dashboard["satisfaction"]!["ratings"]!.GetValue<long>().ShouldBe(1);
        dashboard["satisfaction"]!["contacts"]!.GetValue<decimal>().ShouldBe(4m);
        dashboard["indicators"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == "satisfaction")!["value"]!.GetValue<decimal>().ShouldBe(100m);
    }

    [Fact]
    public async Task The_counter_preview_lists_the_documents_and_shows_the_appointment_the_receipt_then_gives()
    {
        Server.Clock.Now = ServerFixture.Start;
        var counter = Server.Client("cb-motcua-01");
        var (incompleteResponse, incomplete) = await counter.PostJsonAsync("/api/workspace/receipt-preview", new { procedure = "1.013233", documents = new[] { "don-de-nghi-gia-han-giay" } });
        incompleteResponse.StatusCode.ShouldBe(HttpStatusCode.OK, incomplete?.ToJsonString());
        incomplete!["complete"]!.GetValue<bool>().ShouldBeFalse();
        incomplete["missing"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ShouldContain("chinh-giay-phep-xay-dung-da");
        incomplete["documents"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == "don-de-nghi-gia-han-giay")!["ticked"]!.GetValue<bool>().ShouldBeTrue();

        var (_, complete) = await counter.PostJsonAsync("/api/workspace/receipt-preview", new { procedure = "1.013233", documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" } });
        complete!["complete"]!.GetValue<bool>().ShouldBeTrue();
        var (_, receipt) = await counter.PostJsonAsync("/api/dossiers", new
        {
            procedure = new { code = "1.013233" },
            applicant = new { name = "Mai Văn Năm" },
            documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
        });
        complete["appointmentAt"]!.GetValue<string>().ShouldBe(receipt!["appointmentAt"]!.GetValue<string>());
        (await Server.Client("kiem-soat-01").PostJsonAsync("/api/workspace/receipt-preview", new { procedure = "1.013233" })).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static string Csv(string text) => text.Contains(',', StringComparison.Ordinal) ? $"\"{text}\"" : text;

    private static List<string> Rows(JsonNode rows) =>
        [.. rows.AsArray().Select(r => $"{r!["group"]}|{r["finished"]}|{r["onTime"]}|{r["late"]}|{r["onTimeRate"]}")];

    [GeneratedRegex(@"rate=([A-Za-z0-9_\-]+)")]
    private static partial Regex RateLink();
}

public sealed class SqliteDashboardApiTests(SqliteServerFixture server) : DashboardApiTests<SqliteServerFixture>(server), IClassFixture<SqliteServerFixture>;

public sealed class PostgresDashboardApiTests(PostgresServerFixture server) : DashboardApiTests<PostgresServerFixture>(server), IClassFixture<PostgresServerFixture>;

/// <summary>A server that allows three public lookups a minute per address.</summary>
public sealed class RateLimitedServerFixture : ServerFixture
{
    protected override int TrackLookupsPerMinute => 3;

    protected override Task<(string Store, string? Connection)> StoreAsync() => Task.FromResult(("sqlite", (string?)null));
}

public sealed class TrackRateLimitTests(RateLimitedServerFixture server) : IClassFixture<RateLimitedServerFixture>
{
    [Fact]
    public async Task Public_lookups_beyond_the_limit_get_429_with_a_reason_and_retry_after_while_officers_are_not_limited()
    {
        var citizen = server.Client(null);
        for (var i = 0; i < 3; i++)
        {
            (await citizen.GetAsync("/api/track/000.00.07.H13-260424-9999")).StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests);
        }

        var limited = await citizen.GetAsync("/api/track/000.00.07.H13-260424-9999");
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(60));
        (await limited.Content.ReadAsStringAsync()).ShouldContain("thử lại sau một phút");

        // The tracking page shares the address's allowance, and says so as a page.
        var page = await citizen.GetAsync("/track/000.00.07.H13-260424-9999");
        page.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await page.Content.ReadAsStringAsync()).ShouldContain("thử lại sau một phút");

        (await server.Client("kiem-soat-01").GetAsync("/api/worklist")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
