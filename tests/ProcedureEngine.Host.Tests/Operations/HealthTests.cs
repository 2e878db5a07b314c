using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ProcedureEngine.Host.Tests.Server;

namespace ProcedureEngine.Host.Tests.Operations;

/// <summary>
/// What the load balancer asks a node: /health (alive) and /health/ready (may take traffic). Readiness goes false while
/// the database does not answer or a migration this build expects is missing, and comes back by itself; liveness
/// stays true throughout, so an outage of the database does not get healthy nodes restarted.
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Readiness_is_false_while_a_migration_is_pending_and_true_again_once_it_is_applied()
    {
        var server = new SqliteServerFixture();
        await server.InitializeAsync();
        try
        {
            using var client = server.Client(null);
            var (status, ready) = await GetAsync(client, "/health/ready");
            status.ShouldBe(HttpStatusCode.OK, ready.ToJsonString());
            ready["checks"]!["database"]!.GetValue<string>().ShouldBe("ok");
            ready["checks"]!["migrations"]!.GetValue<string>().ShouldBe("ok");

            var file = Path.Combine(server.Root, "data", "procedure-engine.db");
            var removed = Sql(file, "SELECT component || ' v' || version FROM pe_schema_version ORDER BY component DESC, version DESC LIMIT 1");
            Sql(file, $"DELETE FROM pe_schema_version WHERE component || ' v' || version = '{removed}'");

            (status, ready) = await GetAsync(client, "/health/ready");
            status.ShouldBe(HttpStatusCode.ServiceUnavailable);
            ready["ready"]!.GetValue<bool>().ShouldBeFalse();
            ready["checks"]!["migrations"]!.GetValue<string>().ShouldContain($"pending: {removed}");
            (await GetAsync(client, "/health")).Status.ShouldBe(HttpStatusCode.OK);

            Cli.Run(server.Root, ["migrate", "--connection", file]).Exit.ShouldBe(0);
            (await GetAsync(client, "/health/ready")).Status.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static readonly object Receipt = new
    {
        procedure = new { code = "1.013233" },
        applicant = new { name = "Nguyễn Văn An", phone = "0912345678" },
        documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
    };

    [Fact]
    public async Task Readiness_is_false_and_receipts_answer_503_while_postgres_refuses_connections_and_both_come_back_with_it()
    {
        var server = new PostgresServerFixture();
        await server.InitializeAsync();
        var database = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("PE_TEST_POSTGRES")) { Database = "postgres" }.ConnectionString;
        var target = ((ProcedureEngine.EventStore.Postgres.PostgresEventStore)server.App.Services.GetService(typeof(ProcedureEngine.EventStore.IEventStore))!);
        try
        {
            using var client = server.Client(null);
            (await GetAsync(client, "/health/ready")).Status.ShouldBe(HttpStatusCode.OK);

            var db = await DatabaseNameAsync(target);
            await AdminAsync(database, $"ALTER DATABASE {db} ALLOW_CONNECTIONS false");
            await AdminAsync(database, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()");
            NpgsqlConnection.ClearAllPools(); // no pooled connection hides the outage: every open meets it

            var (status, ready) = await GetAsync(client, "/health/ready");
            status.ShouldBe(HttpStatusCode.ServiceUnavailable, ready.ToJsonString());
            ready["checks"]!["database"]!.GetValue<string>().ShouldStartWith("unreachable");
            (await GetAsync(client, "/health")).Status.ShouldBe(HttpStatusCode.OK);

            // A receipt meanwhile is a 503 the counter may retry with its key, not a 500; nothing is written.
            var counter = server.Client("cb-motcua-01");
            var key = "outage-" + Guid.NewGuid();
            var (refused, problem) = await counter.PostJsonAsync("/api/dossiers", Receipt, idempotencyKey: key);
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, problem?.ToJsonString());
            problem.ShouldBeProblem(503, "store-unavailable");
            refused.Headers.RetryAfter.ShouldNotBeNull();

            // The node outlives an outage longer than its background workers' intervals (the outbox gauge counts every
            // 5 s): each meets the database away and carries on; none stops the host (it did: a failover drill lost
            // both nodes this way).
            var lifetime = server.App.Services.GetRequiredService<IHostApplicationLifetime>();
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(7);
            while (DateTime.UtcNow < until)
            {
                lifetime.ApplicationStopping.IsCancellationRequested.ShouldBeFalse("a background service stopped the node during the outage");
                (await GetAsync(client, "/health")).Status.ShouldBe(HttpStatusCode.OK);
                await Task.Delay(250);
            }

            await AdminAsync(database, $"ALTER DATABASE {db} ALLOW_CONNECTIONS true");
            (status, ready) = await GetAsync(client, "/health/ready");
            status.ShouldBe(HttpStatusCode.OK, ready.ToJsonString());
            var (created, receipt) = await counter.PostJsonAsync("/api/dossiers", Receipt, idempotencyKey: key);
            created.StatusCode.ShouldBe(HttpStatusCode.Created, receipt?.ToJsonString());
            receipt!["code"]!.GetValue<string>().ShouldEndWith("-0001", Case.Sensitive, "the refused attempt took no number");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<string> DatabaseNameAsync(ProcedureEngine.EventStore.Postgres.PostgresEventStore store)
    {
        await using var connection = await store.OpenConnectionAsync();
        return connection.Database;
    }

    private static async Task AdminAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<(HttpStatusCode Status, JsonNode Json)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static string Sql(string file, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString() ?? "";
    }
}
