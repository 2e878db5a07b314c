using System.Collections.Concurrent;
using System.Net;
using Microsoft.Data.Sqlite;
using ProcedureEngine.Host.Tests.Server;

namespace ProcedureEngine.Host.Tests.Operations;

/// <summary>
/// The restore drill on the embedded store: receipts keep arriving at a running server while an auditor seals the store
/// and an operator backs it up (online backup API, through the real executable); the backup restored into a fresh
/// store passes `verify --seal` against the seal taken before it, holds every receipt acknowledged before the backup,
/// and its read models match its events. A backup older than the seal is caught by the same check, stream by stream.
/// </summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private static readonly object Receipt = new
    {
        procedure = new { code = "1.013233" },
        applicant = new { name = "Nguyễn Văn An", phone = "0912345678" },
        documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
    };

    private readonly SqliteServerFixture server = new();
    private readonly ConcurrentBag<string> acknowledged = [];

    private string Work => server.Root;

    private string LiveStore => Path.Combine(server.Root, "data", "procedure-engine.db");

    public Task InitializeAsync() => server.InitializeAsync();

    public Task DisposeAsync() => server.DisposeAsync();

    private (int Exit, string Output, string Error) Run(params string[] args) => Cli.Run(Work, args);

    [Fact]
    public async Task Backup_taken_under_load_restores_to_a_fresh_store_that_passes_the_earlier_seal()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var load = Task.WhenAll(Enumerable.Range(0, 3).Select(w => LoadAsync(w, 400, stop.Token)));

        await WaitForAsync(() => acknowledged.Count >= 15);
        var early = Run("backup", "--to", Path.Combine(Work, "early.db"), "--connection", LiveStore);
        early.Exit.ShouldBe(0, early.Error);

        // Receipts acknowledged after the early backup finished cannot be in it (at most one per writer was committed
        // before and answered after): wait for ten of them, however many arrived while the backup's process started.
        var afterEarly = acknowledged.Count;
        await WaitForAsync(() => acknowledged.Count >= Math.Max(40, afterEarly + 10));
        var beforeSeal = acknowledged.ToHashSet();
        var seal = Run("verify", "--write-seal", Path.Combine(Work, "seal.json"), "--connection", LiveStore);
        seal.Exit.ShouldBe(0, seal.Output + seal.Error);

        await WaitForAsync(() => acknowledged.Count >= beforeSeal.Count + 25);
        var beforeBackup = acknowledged.ToHashSet();
        var backup = Run("backup", "--to", Path.Combine(Work, "backup.db"), "--connection", LiveStore);
        backup.Exit.ShouldBe(0, backup.Error);
        backup.Output.ShouldContain("integrity check ok");
        (acknowledged.Count > beforeBackup.Count || !load.IsCompleted).ShouldBeTrue("the backup ran while receipts were still arriving");

        await stop.CancelAsync();
        await load;

        var fresh = Path.Combine(Work, "restored", "procedure-engine.db");
        var restore = Run("restore", "--from", Path.Combine(Work, "backup.db"), "--connection", fresh);
        restore.Exit.ShouldBe(0, restore.Error);

        var verify = Run("verify", "--seal", Path.Combine(Work, "seal.json"), "--read-models", "--connection", fresh);
        verify.Exit.ShouldBe(0, verify.Output + verify.Error);
        verify.Output.ShouldContain("intact:");
        verify.Output.ShouldContain("checked against the seal");
        beforeBackup.Except(StreamsIn(fresh)).ShouldBeEmpty("every receipt acknowledged before the backup started is in the restored store");

        // A backup from before the seal: the same check names every sealed dossier it lacks, and nothing else.
        var older = Path.Combine(Work, "restored-early", "procedure-engine.db");
        Run("restore", "--from", Path.Combine(Work, "early.db"), "--connection", older).Exit.ShouldBe(0);
        var missing = StreamsIn(LiveStore).Intersect(beforeSeal).Except(StreamsIn(older)).ToList();
        missing.ShouldNotBeEmpty();
        var caught = Run("verify", "--seal", Path.Combine(Work, "seal.json"), "--connection", older);
        caught.Exit.ShouldBe(1, caught.Output);
        caught.Output.ShouldContain("ALTERED");
        foreach (var id in missing)
        {
            caught.Output.ShouldContain(id);
        }
    }

    [Fact]
    public async Task Restore_refuses_a_store_that_already_holds_events_and_a_file_that_is_not_a_backup()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await LoadAsync(0, 3, stop.Token);
        Run("backup", "--to", Path.Combine(Work, "b.db"), "--connection", LiveStore).Exit.ShouldBe(0);
        var before = StreamsIn(LiveStore);

        var refused = Run("restore", "--from", Path.Combine(Work, "b.db"), "--connection", LiveStore);
        refused.Exit.ShouldBe(1);
        refused.Error.ShouldContain("already holds");
        refused.Error.ShouldContain("--replace");

        var again = Run("backup", "--to", Path.Combine(Work, "b.db"), "--connection", LiveStore);
        again.Exit.ShouldBe(1);
        again.Error.ShouldContain("already exists");

        File.WriteAllText(Path.Combine(Work, "notes.txt"), "not a database at all, just some text that is long enough to be read");
        var garbage = Run("restore", "--from", Path.Combine(Work, "notes.txt"), "--connection", Path.Combine(Work, "x", "fresh.db"));
        garbage.Exit.ShouldBe(1);
        garbage.Error.ShouldContain("notes.txt");
        File.Exists(Path.Combine(Work, "x", "fresh.db")).ShouldBeFalse("a refused restore creates nothing");
        StreamsIn(LiveStore).ShouldBe(before, ignoreOrder: true);

        var postgres = Run("backup", "--to", Path.Combine(Work, "p.db"), "--store", "postgres", "--connection", "Host=127.0.0.1;Username=x;Database=y");
        postgres.Exit.ShouldBe(2);
        postgres.Error.ShouldContain("pg_basebackup");
    }

    private async Task LoadAsync(int worker, int count, CancellationToken cancellationToken)
    {
        using var client = server.Client("cb-motcua-01");
        for (var i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
        {
            var key = $"load-{worker}-{i}";
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var (response, json) = await client.PostJsonAsync("/api/dossiers", Receipt, idempotencyKey: key);
                    response.StatusCode.ShouldBe(HttpStatusCode.Created, json?.ToJsonString());
                    acknowledged.Add(json!["id"]!.GetValue<string>());
                    break;
                }
                catch (HttpRequestException) when (attempt < 3)
                {
                }
            }
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the receipt load did not make progress");
            await Task.Delay(20);
        }
    }

    private static HashSet<string> StreamsIn(string file)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream_id FROM pe_streams";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
