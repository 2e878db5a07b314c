using System.Text.Json;
using Microsoft.Playwright;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// Page weight and time to show the catalogue: the new designer against the former static page (kept in
/// Server/Baseline, served through the browser's request routing against the same server) in the same run.
/// Numbers go to artifacts/designer-weight.json and the test output.
/// </summary>
public sealed class DesignerWeightTests(SqliteServerFixture server, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SqliteServerFixture>, IAsyncLifetime
{
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync() => (playwright, browser) = await Browsers.LaunchAsync();

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    private const string Measure = """
        () => {
          const nav = performance.getEntriesByType('navigation')[0];
          const mark = performance.getEntriesByName('catalogue-shown')[0];
          const at = mark ? mark.startTime : performance.now();
          const entries = [nav, ...performance.getEntriesByType('resource')].filter(e => e.responseEnd <= at);
          const bytes = entries.reduce((s, e) => s + (e.transferSize || e.encodedBodySize || 0), 0);
          const list = entries.map(e => e.name.split('/').pop() + ':' + (e.transferSize || e.encodedBodySize || 0)).join(' ');
          return { ms: performance.now(), bytes, list }; // time as both pages are measured: when the list is seen
        }
        """;

    private async Task<(double Ms, double Bytes)> NewDesignerAsync()
    {
        var context = await browser.NewContextAsync();
        var signIn = await context.APIRequest.PostAsync(server.BaseUrl + "/api/session", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["X-PE-CSRF"] = "1" },
            DataObject = new { token = "token-admin" },
        });
        signIn.Ok.ShouldBeTrue();
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/designer/");
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('catalogue-shown').length > 0 && document.querySelector('#procedures button')", null, new() { PollingInterval = 5 });
        var m = await page.EvaluateAsync<JsonElement>(Measure);
        output.WriteLine("designer resources: " + m.GetProperty("list").GetString());
        await context.CloseAsync();
        return (m.GetProperty("ms").GetDouble(), m.GetProperty("bytes").GetDouble());
    }

    private async Task<(double Ms, double Bytes)> FormerDesignerAsync()
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var root = Path.Combine(Repository.Root, "tests", "ProcedureEngine.Host.Tests", "Server", "Baseline");
        await page.RouteAsync("**/baseline/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Path = Path.Combine(root, new Uri(route.Request.Url).Segments[^1] is "/" or "baseline/" ? "index.html" : new Uri(route.Request.Url).Segments[^1]),
        }));
        await page.AddInitScriptAsync("localStorage.setItem('pe-token', 'token-admin')");
        await page.GotoAsync(server.BaseUrl + "/baseline/");
        await page.WaitForFunctionAsync("() => document.querySelector('#procedures li')", null, new() { PollingInterval = 5 });
        var m = await page.EvaluateAsync<JsonElement>(Measure);
        var bytes = Directory.EnumerateFiles(root).Sum(f => new FileInfo(f).Length) + 0d; // routed files report no transfer size
        await context.CloseAsync();
        return (m.GetProperty("ms").GetDouble(), bytes + m.GetProperty("bytes").GetDouble());
    }

    [Fact]
    public async Task The_designer_shows_the_catalogue_within_a_small_multiple_of_the_former_static_page()
    {
        await NewDesignerAsync(); // warm the server (catalogue, JIT) for both
        var runs = new List<(double NewMs, double NewBytes, double OldMs, double OldBytes)>();
        for (var i = 0; i < 3; i++)
        {
            var n = await NewDesignerAsync();
            var o = await FormerDesignerAsync();
            runs.Add((n.Ms, n.Bytes, o.Ms, o.Bytes));
        }

        double Median(IEnumerable<double> xs) => xs.Order().ElementAt(1);
        var result = new
        {
            newMs = Median(runs.Select(r => r.NewMs)), newBytes = Median(runs.Select(r => r.NewBytes)),
            formerMs = Median(runs.Select(r => r.OldMs)), formerBytes = Median(runs.Select(r => r.OldBytes)),
        };
        Directory.CreateDirectory(Browsers.ArtifactsRoot);
        await File.WriteAllTextAsync(Path.Combine(Browsers.ArtifactsRoot, "designer-weight.json"), JsonSerializer.Serialize(result));
        output.WriteLine($"catalogue shown: designer {result.newMs:0} ms, former page {result.formerMs:0} ms (x{result.newMs / result.formerMs:0.00}); " +
                         $"transferred before it: {result.newBytes / 1024:0.0} KB vs {result.formerBytes / 1024:0.0} KB");

        // The editor, schema support and diagram are loaded after the catalogue shows: what the page needs first stays small.
        result.newBytes.ShouldBeLessThan(400 * 1024);
        result.newMs.ShouldBeLessThan(Math.Max(4 * result.formerMs, 1500));
    }
}
