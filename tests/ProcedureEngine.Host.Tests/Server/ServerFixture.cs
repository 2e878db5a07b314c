using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Npgsql;
using ProcedureEngine.Host.Web;
using ProcedureEngine.Host.Web.Security;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>A clock the tests move by hand; the server and its timers read it.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}

/// <summary>
/// A real `serve` on 127.0.0.1 (Kestrel, random port) over a copy of the repository's definitions, with
/// known users: officers of the one-stop centre and of the construction department, an auditor and an admin.
/// </summary>
public abstract class ServerFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 4, 24, 9, 0, 0, TimeSpan.FromHours(7));

    public TestClock Clock { get; } = new(Start);

    public WebApplication App { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public string Root { get; } = Directory.CreateTempSubdirectory("pe-serve-").FullName;

    public string DefinitionsRoot => Path.Combine(Root, "definitions");

    protected abstract Task<(string Store, string? Connection)> StoreAsync();

    /// <summary>Public lookups per client and minute (the rate limit's test lowers it).</summary>
    protected virtual int TrackLookupsPerMinute => 1000;

    /// <summary>`serve --demo`: the store is seeded with the previous month and this month up to the clock (the pages' browser tests).</summary>
    protected virtual bool Demo => false;

    public async Task InitializeAsync()
    {
        Repository.CopyDirectory(Path.Combine(Repository.Root, "definitions"), DefinitionsRoot);
        var users = new StringBuilder("users:\n");
        foreach (var (id, name, role, agency) in new[]
                 {
                     ("cb-motcua-01", "Trần Thị Bình", "officer", "one-stop"), ("cb-motcua-02", "", "officer", "one-stop"),
                     ("cb-sxd-01", "Lê Văn Cường", "officer", "so-xay-dung"), ("cb-stc-01", "", "officer", "so-tai-chinh"), ("kiem-soat-01", "", "auditor", ""), ("admin", "", "admin", ""), ("cong-dvc", "", "portal", ""),
                 })
        {
            users.Append($"  - {{ id: {id}{(name.Length > 0 ? $", name: {name}" : "")}, role: {role}{(agency.Length > 0 ? $", agency: {agency}" : "")}, tokenSha256: {UserDirectory.Hash("token-" + id)} }}\n");
        }

        File.WriteAllText(Path.Combine(Root, "users.yaml"), users.ToString());
        var (store, connection) = await StoreAsync();
        App = await WebHost.BuildAsync(new ServerOptions
        {
            Urls = "http://127.0.0.1:0",
            DefinitionsRoot = DefinitionsRoot,
            DataRoot = Path.Combine(Root, "data"),
            UsersFile = Path.Combine(Root, "users.yaml"),
            Store = store,
            Connection = connection,
            Clock = Clock,
            Place = "Bắc Ninh",
            ParentAgency = "UBND tỉnh Bắc Ninh",
            SweepInterval = TimeSpan.FromMilliseconds(500),
            TrackLookupsPerMinute = TrackLookupsPerMinute,
            Demo = Demo,
            DemoDossiersPerMonth = 120,
        }, _ => { });
        await App.StartAsync();
        BaseUrl = App.Urls.First();
    }

    public async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public HttpClient Client(string? user)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "token-" + user);
        }

        return client;
    }
}

public sealed class SqliteServerFixture : ServerFixture
{
    protected override Task<(string Store, string? Connection)> StoreAsync() => Task.FromResult(("sqlite", (string?)null));
}

public sealed class PostgresServerFixture : ServerFixture
{
    protected override async Task<(string Store, string? Connection)> StoreAsync()
    {
        var server = Environment.GetEnvironmentVariable("PE_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException("PE_TEST_POSTGRES is not set: run ./test.sh, which starts a PostgreSQL server for these tests");
        }

        var name = "serve_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return ("postgres", new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }
}

internal static class Http
{
    public static async Task<(HttpResponseMessage Response, JsonNode? Json)> PostJsonAsync(this HttpClient client, string url, object body, string? ifMatch = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) : null);
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {url} -> {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The one error shape of the API (RFC 9457 problem details, see ApiProblem) with this status and code.</summary>
    public static void ShouldBeProblem(this JsonNode? json, int status, string code)
    {
        json.ShouldNotBeNull("an error answer has a problem-details body");
        json["status"]!.GetValue<int>().ShouldBe(status, json.ToJsonString());
        json["code"]!.GetValue<string>().ShouldBe(code, json.ToJsonString());
        json["type"]!.GetValue<string>().ShouldBe("urn:procedure-engine:problem:" + code);
        json["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        json["titleEn"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        json["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        json["detailEn"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        json["instance"]!.GetValue<string>().ShouldStartWith("/");
    }
}
