using Npgsql;
using ProcedureEngine.Scheduling;
using Quartz;

namespace ProcedureEngine.Scheduling.Tests;

/// <summary>A fresh database per test class on the real PostgreSQL server started by ./test.sh.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("PE_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException("PE_TEST_POSTGRES is not set: run ./test.sh, which starts a PostgreSQL server for these tests");
        }

        var name = "sched_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }
}

public class ClusteredSchedulerTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    /// <summary>A cluster node on this test's database.</summary>
    private SchedulerOptions NodeOptions(string id) => new()
    {
        Store = SchedulerStore.Postgres,
        ConnectionString = database.ConnectionString,
        InstanceId = id,
    };

    private async Task MigrateAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await QuartzSchema.MigrateAsync(connection);
    }

    [Fact]
    public async Task Migrating_the_scheduler_tables_twice_changes_nothing()
    {
        await MigrateAsync();
        await MigrateAsync();

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qrtz_%'", connection);
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(11);
    }

    [Fact]
    public async Task Two_server_nodes_on_one_database_never_run_the_sweep_at_once_and_one_takes_over_when_the_other_stops()
    {
        await MigrateAsync();
        var log = new SweepLog();
        SchedulerOptions Options(string id) => NodeOptions(id) with
        {
            SweepInterval = TimeSpan.FromMilliseconds(250),
            ClusterCheckinInterval = TimeSpan.FromSeconds(2),
        };
        var (a, pa) = Node.Create("node-a", Options("node-a"), log);
        var (b, pb) = Node.Create("node-b", Options("node-b"), log);
        await using (pa)
        await using (pb)
        {
            await a.StartAsync(CancellationToken.None);
            await b.StartAsync(CancellationToken.None);
            await log.WaitForAsync(8, TimeSpan.FromSeconds(45));

            // The job and its data are in the shared database: node B reads what node A scheduled.
            var detail = await b.Scheduler.GetJobDetail(DeadlineSweepJob.Key);
            detail.ShouldNotBeNull();
            (await b.Scheduler.GetTriggersOfJob(DeadlineSweepJob.Key)).Count.ShouldBe(1);

            a.Scheduler.ShouldNotBeSameAs(b.Scheduler);
            b.Scheduler.SchedulerInstanceId.ShouldBe("node-b");

            // Node A goes down: node B carries on sweeping alone.
            await a.StopAsync(CancellationToken.None);
            var afterA = log.Count;
            await log.WaitForAsync(afterA + 3, TimeSpan.FromSeconds(45));
            log.Runs.Skip(afterA + 1).ShouldAllBe(r => r.Node == "node-b");
            await b.StopAsync(CancellationToken.None);
        }

        log.Count.ShouldBeGreaterThanOrEqualTo(11);
        log.MaxConcurrent.ShouldBe(1);
    }

    [Fact]
    public async Task Job_data_written_by_one_node_is_read_back_by_another_through_the_json_serializer()
    {
        await MigrateAsync();
        var log = new SweepLog();
        SchedulerOptions Options(string id) => NodeOptions(id) with { SchedulerName = "data-test", SweepInterval = TimeSpan.FromHours(1) };
        var (a, pa) = Node.Create("node-a", Options("data-a"), log);
        var (b, pb) = Node.Create("node-b", Options("data-b"), log);
        await using (pa)
        await using (pb)
        {
            await a.StartAsync(CancellationToken.None);
            await b.StartAsync(CancellationToken.None);
            var key = new JobKey("reminder", "test");
            var job = JobBuilder.Create<DeadlineSweepJob>().WithIdentity(key).StoreDurably()
                .UsingJobData("dossierId", "000.00.07.H13-260424-0001")
                .UsingJobData("attempt", 2)
                .Build();
            await a.Scheduler.AddJob(job, replace: true);

            var read = await b.Scheduler.GetJobDetail(key);

            read.ShouldNotBeNull();
            read.JobDataMap.GetString("dossierId").ShouldBe("000.00.07.H13-260424-0001");
            read.JobDataMap["attempt"].ShouldBe(2L);
            await a.StopAsync(CancellationToken.None);
            await b.StopAsync(CancellationToken.None);
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var raw = new NpgsqlCommand("SELECT convert_from(job_data, 'UTF8') FROM qrtz_job_details WHERE job_name = 'reminder'", connection);
        ((string)(await raw.ExecuteScalarAsync())!).ShouldContain("000.00.07.H13-260424-0001");
    }
}
