using System.Collections.Immutable;
using Npgsql;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.EventStore;
using ProcedureEngine.EventStore.Postgres;
using ProcedureEngine.EventStore.Sqlite;
using ProcedureEngine.Host.Web.Definitions;
using ProcedureEngine.Host.Web.Dossiers;
using Actor = ProcedureEngine.Dossiers.Events.Actor;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// The one write path, on both stores: a command reads its dossier's stream once (events and hash chain in one
/// fetch) and is decided once; a counter receipt reads no stream and is decided once, its code taken from the day's
/// counter in the append's own transaction, so racing receipts get consecutive codes with no error and no gap.
/// </summary>
public abstract class WritePathTests : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly Actor Counter = new("cb-motcua-01", "one-stop");
    private static readonly Actor Appraiser = new("cb-sxd-01", "so-xay-dung");
    private readonly string data = Directory.CreateTempSubdirectory("pe-write-path-").FullName;
    private readonly TestClock clock = new(new DateTimeOffset(2026, 4, 24, 9, 0, 0, Vn));
    private InterleavingStore store = null!;
    private DossierService service = null!;

    protected abstract Task<IEventStore> OpenStoreAsync(string folder);

    public async Task InitializeAsync()
    {
        var inner = await OpenStoreAsync(data);
        await inner.MigrateAsync();
        store = new InterleavingStore(inner);
        service = new DossierService(new DossierEventStore(store), new DefinitionRegistry(Path.Combine(Repository.Root, "definitions"), data), clock);
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }

    private static ReceiveRequest PermitExtension(params string[] documents) => new("1.013233", null, null, Channel.Counter, new Applicant("Nguyễn Văn An"),
        ImmutableDictionary<string, string>.Empty, [.. documents], null);

    private static readonly string[] Complete = ["chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay"];

    [Fact]
    public async Task A_counter_receipt_is_decided_once_and_reads_no_stream()
    {
        var (reads, decisions) = (store.StreamReads, service.Decisions);
        var outcome = await service.ReceiveAsync(PermitExtension(Complete), Counter, null, CancellationToken.None);

        outcome.Rejection.ShouldBeNull();
        outcome.Dossier!.State.Code.ShouldBe("000.00.07.H13-260424-0001");
        service.Decisions.ShouldBe(decisions + 1, "the code is computed before the decision and passed into it");
        store.StreamReads.ShouldBe(reads, "the receipt's dossier is the decision evolved with what the append stored");

        // What the command answered is what a fresh read gives.
        var read = (await service.LoadAsync(outcome.Dossier.Id, null, CancellationToken.None))!;
        read.State.Version.ShouldBe(outcome.Dossier.State.Version);
        read.Events.Select(e => (e.Stored.Version, e.Stored.GlobalPosition, e.Event.GetType())).ShouldBe(
            outcome.Dossier.Events.Select(e => (e.Stored.Version, e.Stored.GlobalPosition, e.Event.GetType())));
        read.State.AppointmentAt.ShouldBe(outcome.Dossier.State.AppointmentAt);
    }

    [Fact]
    public async Task Every_command_on_a_dossier_reads_its_stream_once_and_is_decided_once()
    {
        var id = (await service.ReceiveAsync(PermitExtension(Complete), Counter, null, CancellationToken.None)).Dossier!.Id;
        clock.Now = clock.Now.AddHours(2);

        var (reads, decisions) = (store.StreamReads, service.Decisions);
        var done = await service.ActAsync(id, (at, _) => new CompleteStep(at, Appraiser, "appraise", "approved", null), null, null, Appraiser, CancellationToken.None);
        done.Rejection.ShouldBeNull();
        store.StreamReads.ShouldBe(reads + 1);
        service.Decisions.ShouldBe(decisions + 1);

        // A refused command reads once too, and writes nothing.
        var refused = await service.ActAsync(id, (at, _) => new CompleteStep(at, Appraiser, "appraise", "approved", null), null, null, Appraiser, CancellationToken.None);
        refused.Rejection.ShouldNotBeNull();
        store.StreamReads.ShouldBe(reads + 2);

        var read = (await service.LoadAsync(id, null, CancellationToken.None))!;
        read.State.Version.ShouldBe(done.Dossier!.State.Version);
        read.State.FindStep("appraise")!.Status.ShouldBe(ProcedureEngine.Dossiers.State.StepStatus.Done);
        done.Dossier.Verification.IsValid.ShouldBeTrue();
        (await service.LoadAsync(read.State.Code!, null, CancellationToken.None))!.Id.ShouldBe(id, "a dossier can be addressed by its code");
    }

    [Fact]
    public async Task Racing_receipts_get_consecutive_codes_and_a_guidance_letter_takes_no_number()
    {
        var first = await service.ReceiveAsync(PermitExtension(Complete), Counter, null, CancellationToken.None);
        var guidance = await service.ReceiveAsync(PermitExtension("don-de-nghi-gia-han-giay"), Counter, null, CancellationToken.None);
        guidance.Dossier!.State.Code.ShouldBeNull();
        guidance.Dossier.Events.Select(e => e.Event).OfType<ReceiptGuidanceIssued>().ShouldHaveSingleItem();

        var racing = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => service.ReceiveAsync(PermitExtension(Complete), Counter, null, CancellationToken.None))));
        var codes = racing.Select(o => o.Dossier!.State.Code!).Prepend(first.Dossier!.State.Code!).Order(StringComparer.Ordinal).ToList();
        codes.ShouldBe([.. Enumerable.Range(1, 13).Select(n => $"000.00.07.H13-260424-{n:0000}")]);
    }
}

public sealed class SqliteWritePathTests : WritePathTests
{
    protected override Task<IEventStore> OpenStoreAsync(string folder) =>
        Task.FromResult<IEventStore>(SqliteEventStore.Open(Path.Combine(folder, "events.db"), DossierProjections.All()));
}

public sealed class PostgresWritePathTests : WritePathTests
{
    protected override async Task<IEventStore> OpenStoreAsync(string folder)
    {
        var server = Environment.GetEnvironmentVariable("PE_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException("PE_TEST_POSTGRES is not set: run ./test.sh, which starts a PostgreSQL server for these tests");
        }

        var name = "write_path_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return PostgresEventStore.Open(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, "public", DossierProjections.All());
    }
}
