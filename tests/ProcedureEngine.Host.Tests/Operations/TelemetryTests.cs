using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ProcedureEngine.Host.Tests.Server;
using ProcedureEngine.Host.Web.Security;
using Xunit.Abstractions;

namespace ProcedureEngine.Host.Tests.Operations;

/// <summary>
/// What an operator sees of a running server: one trace per counter receipt from the HTTP request through the append
/// to the database commands (PostgreSQL), the engine's metrics on the Prometheus endpoint while receipts arrive, and
/// log lines that carry the request id and the dossier code, a client's bad request never logged as an error.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(ITestOutputHelper output)
{
    private static readonly object Receipt = new
    {
        procedure = new { code = "1.013233" },
        applicant = new { name = "Nguyễn Văn An", phone = "0912345678" },
        documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
    };

    [Fact]
    public async Task A_counter_receipt_is_one_trace_from_the_http_request_through_the_append_to_the_database()
    {
        var server = new PostgresServerFixture();
        await server.InitializeAsync();
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or "Npgsql" || s.Name.StartsWith("ProcedureEngine", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        try
        {
            var (response, json) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", Receipt, idempotencyKey: "trace-" + Guid.NewGuid());
            response.StatusCode.ShouldBe(HttpStatusCode.Created, json?.ToJsonString());
            var code = json!["code"]!.GetValue<string>();
            var stream = json["id"]!.GetValue<string>();

            // Other tests' servers run in this process (their dossiers may have the same code): the stream id is unique.
            var append = await EventuallyAsync(() => spans.SingleOrDefault(a => a.Source.Name == "ProcedureEngine.EventStore" && a.GetTagItem("pe.stream") as string == stream));
            var request = await EventuallyAsync(() => spans.SingleOrDefault(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == append.TraceId));
            append.ParentSpanId.ShouldBe(request.SpanId, "the append runs inside the request's span");
            request.GetTagItem("pe.dossier.code").ShouldBe(code, "the request's span names the dossier it created");
            request.GetTagItem("pe.command").ShouldBe("ReceiveDossier");
            request.GetTagItem("pe.outcome").ShouldBe("accepted");
            var trace = spans.Where(a => a.TraceId == request.TraceId).ToList();
            append.GetTagItem("db.system").ShouldBe("postgres");
            ((long)append.GetTagItem("pe.global_position")!).ShouldBeGreaterThan(0);
            var database = trace.Where(a => a.Source.Name == "Npgsql" && a.ParentSpanId == append.SpanId).ToList();
            database.ShouldNotBeEmpty("the append's database commands are spans under it");
            database.ShouldAllBe(a => a.Status != ActivityStatusCode.Error);

            foreach (var span in trace.OrderBy(a => a.StartTimeUtc))
            {
                output.WriteLine($"{span.Source.Name,-28} {span.DisplayName,-40} parent {span.ParentSpanId} span {span.SpanId} {span.Duration.TotalMilliseconds,8:0.00} ms");
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Metrics_scraped_during_a_receipt_load_count_decisions_rejections_appends_and_letters()
    {
        var server = new SqliteServerFixture();
        await server.InitializeAsync();
        try
        {
            using var scraper = server.Client(null);
            var before = Parse(await scraper.GetStringAsync("/metrics"));
            var counter = server.Client("cb-motcua-01");
            var ids = new ConcurrentBag<string>();
            var load = Task.WhenAll(Enumerable.Range(0, 3).Select(async w =>
            {
                for (var i = 0; i < 10; i++)
                {
                    var (response, json) = await counter.PostJsonAsync("/api/dossiers", Receipt, idempotencyKey: $"metrics-{w}-{i}-{Guid.NewGuid()}");
                    response.StatusCode.ShouldBe(HttpStatusCode.Created);
                    ids.Add(json!["id"]!.GetValue<string>());
                }
            }));
            var during = new List<string>();
            while (!load.IsCompleted)
            {
                var scrape = await scraper.GetAsync("/metrics");
                scrape.StatusCode.ShouldBe(HttpStatusCode.OK);
                during.Add(await scrape.Content.ReadAsStringAsync());
                await Task.Delay(50);
            }

            await load;
            during.ShouldNotBeEmpty();
            var refused = await counter.PostJsonAsync($"/api/dossiers/{ids.First()}/complete", new { step = "appraise", outcome = "approved" });
            refused.Response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

            var after = await EventuallyAsync(async () =>
            {
                var m = Parse(await scraper.GetStringAsync("/metrics"));
                return Value(m, "pe_commands_rejected_total", "command=\"CompleteStep\"", "rule=\"wrong-agency\"") > Value(before, "pe_commands_rejected_total", "command=\"CompleteStep\"", "rule=\"wrong-agency\"") ? m : null;
            });
            (Value(after, "pe_commands_decided_total", "command=\"ReceiveDossier\"", "outcome=\"accepted\"") - Value(before, "pe_commands_decided_total", "command=\"ReceiveDossier\"", "outcome=\"accepted\"")).ShouldBeGreaterThanOrEqualTo(30);
            (Value(after, "pe_events_appended_total", "backend=\"sqlite\"") - Value(before, "pe_events_appended_total", "backend=\"sqlite\"")).ShouldBeGreaterThanOrEqualTo(30);
            (Value(after, "pe_letters_rendered_total", "form=\"Receipt\"") - Value(before, "pe_letters_rendered_total", "form=\"Receipt\"")).ShouldBeGreaterThanOrEqualTo(30);
            Value(after, "pe_append_duration_seconds_count", "backend=\"sqlite\"").ShouldBeGreaterThanOrEqualTo(30);
            // Group commit: every receipt was committed in some group (the sum of the group sizes counts them).
            (Value(after, "pe_append_group_sum", "backend=\"sqlite\"") - Value(before, "pe_append_group_sum", "backend=\"sqlite\"")).ShouldBeGreaterThanOrEqualTo(30,
                string.Join("\n", after.Keys.Where(k => k.StartsWith("pe_append_group", StringComparison.Ordinal))));
            Value(after, "http_server_request_duration_seconds_count", "http_request_method=\"POST\"", "http_response_status_code=\"201\"")
                .ShouldBeGreaterThanOrEqualTo(30, string.Join("\n", after.Keys.Where(k => k.StartsWith("http_server_request_duration_seconds_count", StringComparison.Ordinal))));
            after.Keys.ShouldContain(k => k.StartsWith("pe_projection_lag", StringComparison.Ordinal));

            // Nothing is configured to send: every receipt's portal message waits in the outbox, and the gauge says so.
            var depth = await EventuallyAsync(async () =>
            {
                var m = Parse(await scraper.GetStringAsync("/metrics"));
                return Value(m, "pe_outbox_depth", "channel=\"portal\"", "status=\"pending\"") >= 30 ? m : null;
            });
            Value(depth, "pe_outbox_depth", "channel=\"email\"", "status=\"dead\"").ShouldBe(0);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Log_lines_carry_the_request_id_and_dossier_code_and_a_bad_request_is_not_an_error_with_a_stack_trace()
    {
        var root = Directory.CreateTempSubdirectory("pe-logs-").FullName;
        var port = FreePort();
        File.WriteAllText(Path.Combine(root, "users.yaml"),
            $"users:\n  - {{ id: cb-motcua-01, role: officer, agency: one-stop, tokenSha256: {UserDirectory.Hash("token-cb-motcua-01")} }}\n");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "procedure-engine.dll"), "serve", "--urls", $"http://127.0.0.1:{port}",
                     "--definitions", Path.Combine(Repository.Root, "definitions"), "--data", Path.Combine(root, "data"), "--users", Path.Combine(root, "users.yaml") })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("ConnectionStrings__Events");
        var lines = new ConcurrentQueue<string>();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new("Bearer", "token-cb-motcua-01");
            await EventuallyAsync(async () =>
            {
                try
                {
                    return (await client.GetAsync("/health/ready")).IsSuccessStatusCode ? "ready" : null;
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            });

            var (created, json) = await client.PostJsonAsync("/api/dossiers", Receipt);
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            var code = json!["code"]!.GetValue<string>();
            var bad = await client.PostAsync("/api/dossiers", new StringContent("{\"procedure\": {\"code\": ", Encoding.UTF8, "application/json"));
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var read = await client.GetAsync($"/api/dossiers/{code}");
            read.StatusCode.ShouldBe(HttpStatusCode.OK);

            var receipt = await EventuallyAsync(() => lines.FirstOrDefault(l => l.Contains("POST /api/dossiers answered 201", StringComparison.Ordinal)));
            receipt.ShouldContain($"(dossier {code})");
            receipt.ShouldContain("RequestId:");
            receipt.ShouldContain("TraceId:");
            var lookup = await EventuallyAsync(() => lines.FirstOrDefault(l => l.Contains($"GET /api/dossiers/{code} answered 200", StringComparison.Ordinal)));
            lookup.ShouldContain($"(dossier {code})");
            var refused = await EventuallyAsync(() => lines.FirstOrDefault(l => l.Contains("POST /api/dossiers answered 400", StringComparison.Ordinal)));
            refused.ShouldContain(" info:");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            foreach (var line in lines)
            {
                output.WriteLine(line);
            }

            Directory.Delete(root, recursive: true);
        }

        lines.ShouldNotContain(l => l.Contains("fail:", StringComparison.Ordinal), "no error-level line for a client's bad request");
        lines.ShouldNotContain(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal), "no stack trace in the log");
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>Prometheus text: "name{labels}" to value.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // name{labels} value [timestamp]  or  name value [timestamp]
            var close = line.IndexOf('}', StringComparison.Ordinal);
            var split = close >= 0 ? close + 1 : line.IndexOf(' ', StringComparison.Ordinal);
            var rest = line[split..].Trim().Split(' ');
            if (double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values[line[..split]] = value;
            }
        }

        return values;
    }

    /// <summary>Sum over the series of <paramref name="name"/> that carry every one of <paramref name="labels"/>.</summary>
    private static double Value(Dictionary<string, double> metrics, string name, params string[] labels) =>
        metrics.Where(m => (m.Key == name || m.Key.StartsWith(name + "{", StringComparison.Ordinal)) && labels.All(l => m.Key.Contains(l, StringComparison.Ordinal))).Sum(m => m.Value);

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe)
        where T : class => await EventuallyAsync(() => Task.FromResult(probe()));

    /// <summary>Waits for what the server shows (a starting server on a busy machine may take minutes), never a fixed sleep.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(240);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "not seen within 240 s");
            await Task.Delay(50);
        }
    }
}

/// <summary>
/// The telemetry tests run alone, after the parallel tests: the activity listener and the metrics they read are
/// process-wide, and other tests' servers in the same process (each with its own ASP.NET Core meters of the same
/// name) would mix their spans and requests into what these tests assert. A deployed server is one host per process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (alone)";
}
