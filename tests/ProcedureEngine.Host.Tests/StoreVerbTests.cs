using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ProcedureEngine.Host.Tests;

/// <summary>
/// End to end through the real executable: simulate a sample into a store (SQLite file, PostgreSQL schema), replay it,
/// tamper with the database, replay again. Runs on both backends; PostgreSQL needs PE_TEST_POSTGRES (never skipped).
/// </summary>
public abstract class StoreVerbTests : IDisposable
{
    private static readonly string RepositoryRoot = Repository.Root;

    protected (int Exit, string Output, string Error) Run(string[] args) => Cli.Run(WorkDirectory, args);
    private static readonly string LateSample = Path.Combine(RepositoryRoot, "samples", "scenarios", "04-late-with-apology.yaml");
    private static readonly string OnTimeSample = Path.Combine(RepositoryRoot, "samples", "scenarios", "01-on-time.yaml");

    protected StoreVerbTests()
    {
        WorkDirectory = Directory.CreateTempSubdirectory("pe-store-verbs-").FullName;
    }

    protected string WorkDirectory { get; }

    /// <summary>--store / --connection arguments of this backend.</summary>
    protected abstract string[] StoreArgs { get; }

    /// <summary>Runs SQL directly on the backend's database, as a careless DBA or an attacker would.</summary>
    protected abstract Task<int> ExecuteSqlAsync(string sql);

    [Fact]
    public void Simulated_dossier_stored_then_replayed_has_the_simulated_state()
    {
        var (exit, simulated, error) = Run(["simulate", LateSample, "--json"]);
        exit.ShouldBe(0, error);
        var expected = JsonNode.Parse(simulated)!["dossier"]!;

        (exit, var output, error) = Run(["simulate", LateSample, "--json", .. StoreArgs]);
        exit.ShouldBe(0, error);
        error.ShouldContain("stored dossier 04-late-with-apology (16 events)");
        JsonNode.Parse(output)!["dossier"]!.ToJsonString().ShouldBe(expected.ToJsonString(), "stdout stays the simulate JSON document");

        (exit, output, error) = Run(["replay", "--dossier", "04-late-with-apology", "--json", .. StoreArgs]);
        exit.ShouldBe(0, error);
        var replayed = JsonNode.Parse(output)!;
        replayed["dossier"]!.ToJsonString().ShouldBe(expected.ToJsonString());
        replayed["verification"]!["intact"]!.GetValue<bool>().ShouldBeTrue();
        replayed["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>())
            .ShouldBe(JsonNode.Parse(simulated)!["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
    }

    [Fact]
    public void Simulating_the_same_scenario_again_appends_nothing()
    {
        Run(["simulate", OnTimeSample, .. StoreArgs]).Exit.ShouldBe(0);
        var (exit, output, _) = Run(["simulate", OnTimeSample, .. StoreArgs]);
        exit.ShouldBe(0);
        output.ShouldContain("already stored by this scenario");
    }

    [Fact]
    public void Two_scenarios_received_the_same_day_get_two_codes_in_the_store()
    {
        // Both samples are received at the one-stop centre on 2026-03-02 09:00 with the scenario default, number 0001.
        Run(["simulate", LateSample, .. StoreArgs]).Exit.ShouldBe(0);
        var (exit, output, error) = Run(["simulate", OnTimeSample, "--json", .. StoreArgs]);
        exit.ShouldBe(0, error);
        System.Text.Json.Nodes.JsonNode.Parse(output)!["dossier"]!["code"]!.GetValue<string>().ShouldBe("000.00.07.H13-260302-0002");

        var late = System.Text.Json.Nodes.JsonNode.Parse(Run(["replay", "--dossier", "04-late-with-apology", "--json", .. StoreArgs]).Output)!;
        late["dossier"]!["code"]!.GetValue<string>().ShouldBe("000.00.07.H13-260302-0001");
    }

    [Fact]
    public void Replay_at_a_time_shows_the_dossier_as_it_stood_then()
    {
        Run(["simulate", LateSample, .. StoreArgs]).Exit.ShouldBe(0);

        var (exit, output, error) = Run(["replay", "--dossier", "04-late-with-apology", "--at", "2026-03-12T12:00", "--json", .. StoreArgs]);
        exit.ShouldBe(0, error);
        var dossier = JsonNode.Parse(output)!["dossier"]!;
        dossier["status"]!.GetValue<string>().ShouldBe("inProgress");
        dossier["appointmentAt"]!.GetValue<string>().ShouldBe(dossier["originalAppointmentAt"]!.GetValue<string>(), "no apology yet: the appointment is the original one");
        var appraise = dossier["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "appraise")!;
        appraise["status"]!.GetValue<string>().ShouldBe("active");
        appraise["overdue"]!.GetValue<bool>().ShouldBeTrue();
        JsonNode.Parse(output)!["events"]!.AsArray().Count.ShouldBe(7);
    }

    [Fact]
    public async Task Edited_event_row_makes_replay_fail_naming_the_event()
    {
        Run(["simulate", LateSample, .. StoreArgs]).Exit.ShouldBe(0);

        // Move the apology's new appointment (and every other date in it) back a year.
        (await ExecuteSqlAsync("UPDATE pe_events SET data = replace(data::text, '2026-', '2025-')::json WHERE stream_id = '04-late-with-apology' AND version = 8"))
            .ShouldBe(1);

        var (exit, output, error) = Run(["replay", "--dossier", "04-late-with-apology", .. StoreArgs]);
        exit.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ShouldContain("hash chain broken at 04-late-with-apology v8");
        error.ShouldContain("edited");
    }

    [Fact]
    public async Task Verify_with_read_models_finds_a_summary_edited_in_the_database_and_a_rebuild_repairs_it()
    {
        Run(["simulate", LateSample, .. StoreArgs]).Exit.ShouldBe(0);
        Run(["simulate", OnTimeSample, .. StoreArgs]).Exit.ShouldBe(0);
        var (exit, output, error) = Run(["verify", "--read-models", .. StoreArgs]);
        exit.ShouldBe(0, output + error);
        output.ShouldContain("read models: the summary and open deadlines of 2 dossier(s) match their events");

        // Lists, reports and the public tracking page read the summary: someone makes the late dossier look withdrawn.
        (await ExecuteSqlAsync("UPDATE dossier_summary SET status = 'withdrawn', overdue = " + (StoreArgs[1] == "postgres" ? "true" : "1") + " WHERE dossier_id = '04-late-with-apology'")).ShouldBe(1);
        (exit, output, _) = Run(["verify", "--read-models", .. StoreArgs]);
        exit.ShouldBe(1);
        output.ShouldContain("intact: 2 stream(s)", customMessage: "the events themselves are untouched");
        output.ShouldContain("dossier_summary 04-late-with-apology status: stored 'withdrawn', the events give 'returned'");
        output.ShouldContain("dossier_summary 04-late-with-apology overdue: stored 'true', the events give 'false'");
        output.ShouldContain("projections rebuild");

        Run(["projections", "rebuild", .. StoreArgs]).Exit.ShouldBe(0);
        Run(["verify", "--read-models", .. StoreArgs]).Exit.ShouldBe(0);
    }

    [Fact]
    public async Task Verify_seals_the_whole_store_and_the_next_audit_names_the_altered_event()
    {
        Run(["simulate", LateSample, .. StoreArgs]).Exit.ShouldBe(0);
        Run(["simulate", OnTimeSample, .. StoreArgs]).Exit.ShouldBe(0);
        var seal = Path.Combine(WorkDirectory, "audit", "seal-2026-05.json");

        var (exit, output, error) = Run(["verify", "--write-seal", seal, .. StoreArgs]);
        exit.ShouldBe(0, error);
        output.ShouldContain("intact: 2 stream(s), ");
        error.ShouldContain("sealed 2 stream(s)");
        File.Exists(seal).ShouldBeTrue();

        // Someone moves the completion of step 3 to another agency, straight in the database.
        (await ExecuteSqlAsync("UPDATE pe_events SET actor_agency = 'pc07' WHERE stream_id = '04-late-with-apology' AND version = 3")).ShouldBe(1);
        (exit, output, _) = Run(["verify", "--seal", seal, .. StoreArgs]);
        exit.ShouldBe(1);
        output.ShouldContain("04-late-with-apology v3: altered:");
        output.ShouldContain("ALTERED: 1 finding(s) in 1 of 2 stream(s)");
        output.ShouldNotContain("01-on-time");

        (exit, output, _) = Run(["verify", "--json", .. StoreArgs]);
        exit.ShouldBe(1);
        var json = JsonNode.Parse(output)!;
        json["intact"]!.GetValue<bool>().ShouldBeFalse();
        json["findings"]![0]!["kind"]!.GetValue<string>().ShouldBe("altered");

        File.WriteAllText(seal, File.ReadAllText(seal).Replace("\"streams\": 2", "\"streams\": 3", StringComparison.Ordinal).Replace("\"version\": 16", "\"version\": 15", StringComparison.Ordinal));
        (exit, _, error) = Run(["verify", "--seal", seal, .. StoreArgs]);
        exit.ShouldBe(2);
        error.ShouldContain("the seal file itself was altered");
    }

    [Fact]
    public async Task Deleted_event_row_makes_replay_report_the_gap()
    {
        Run(["simulate", LateSample, .. StoreArgs]).Exit.ShouldBe(0);

        (await ExecuteSqlAsync("DELETE FROM pe_events WHERE stream_id = '04-late-with-apology' AND version = 5")).ShouldBe(1);

        var (exit, _, error) = Run(["replay", "--dossier", "04-late-with-apology", .. StoreArgs]);
        exit.ShouldBe(1);
        error.ShouldContain("04-late-with-apology v5");
        error.ShouldContain("missing");
    }

    [Fact]
    public void Unknown_dossier_is_not_found_with_exit_code_1()
    {
        Run(["migrate", .. StoreArgs]).Exit.ShouldBe(0);
        var (exit, _, error) = Run(["replay", "--dossier", "no-such-dossier", .. StoreArgs]);
        exit.ShouldBe(1);
        error.ShouldContain("dossier 'no-such-dossier' not found");
    }

    [Fact]
    public void Migrate_twice_applies_nothing_the_second_time()
    {
        var (exit, output, error) = Run(["migrate", .. StoreArgs]);
        exit.ShouldBe(0, error);
        output.ShouldContain("applied  event-store v1");
        (exit, output, _) = Run(["migrate", .. StoreArgs]);
        exit.ShouldBe(0);
        output.ShouldContain("schema up to date (0 applied");
    }

    [Fact]
    public void Rebuilt_read_models_serve_the_stored_dossier()
    {
        Run(["simulate", LateSample, .. StoreArgs]).Exit.ShouldBe(0);
        var (exit, output, error) = Run(["projections", "rebuild", .. StoreArgs]);
        exit.ShouldBe(0, error);
        output.ShouldContain("rebuilt 6 read models from 16 events");
    }

    public virtual void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteStoreVerbTests : StoreVerbTests
{
    private string DatabasePath => Path.Combine(WorkDirectory, "events.db");

    protected override string[] StoreArgs => ["--store", "sqlite", "--connection", DatabasePath];

    protected override async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql.Replace("data::text", "data", StringComparison.Ordinal).Replace(")::json", ")", StringComparison.Ordinal);
        return await command.ExecuteNonQueryAsync();
    }
}

public sealed class PostgresStoreVerbTests : StoreVerbTests
{
    private readonly string schema = "cli_" + Guid.NewGuid().ToString("N")[..12];

    private static string Server => Environment.GetEnvironmentVariable("PE_TEST_POSTGRES") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("PE_TEST_POSTGRES is not set: PostgreSQL tests need a server (source scripts/postgres.sh && pe_pg_start, or ./test.sh). They never skip.");

    private string Connection => new NpgsqlConnectionStringBuilder(Server) { SearchPath = schema }.ConnectionString;

    protected override string[] StoreArgs => ["--store", "postgres", "--connection", Connection];

    protected override async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
