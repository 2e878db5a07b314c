using System.Collections.Immutable;
using System.Data.Common;
using ProcedureEngine.Dossiers;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.EventStore;
using ProcedureEngine.EventStore.Sqlite;
using ProcedureEngine.Host.Web.Definitions;
using ProcedureEngine.Host.Web.Dossiers;
using Actor = ProcedureEngine.Dossiers.Events.Actor;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// The timers write to dossiers while officers work on them. An officer's action that meets such a write between
/// reading the dossier and appending is decided again on the new state, not refused with a conflict.
/// </summary>
public sealed class ConflictRetryTests : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly string data = Directory.CreateTempSubdirectory("pe-conflict-").FullName;
    private readonly TestClock clock = new(new DateTimeOffset(2026, 4, 24, 9, 0, 0, Vn));
    private InterleavingStore store = null!;
    private DossierService service = null!;

    public async Task InitializeAsync()
    {
        var inner = SqliteEventStore.Open(Path.Combine(data, "events.db"), DossierProjections.All());
        await inner.MigrateAsync();
        store = new InterleavingStore(inner);
        service = new DossierService(new DossierEventStore(store), new DefinitionRegistry(Path.Combine(Repository.Root, "definitions"), data), clock);
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task A_completion_that_meets_a_deadline_warning_written_meanwhile_is_decided_again_and_recorded()
    {
        var receipt = await service.ReceiveAsync(new ReceiveRequest("1.013233", null, null, Channel.Counter, new Applicant("Nguyễn Văn An"),
            ImmutableDictionary<string, string>.Empty, ["chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay"], null),
            new Actor("cb-motcua-01", "one-stop"), null, CancellationToken.None);
        var id = receipt.Dossier!.Id;

        // Wednesday 29/4 15:00, 3.5 working hours before the appraisal is due (Monday 4/5 09:00; the warning comes
        // within a quarter of its 3 days): the sweep warns, exactly between the officer reading the dossier and
        // appending the completion.
        clock.Now = new DateTimeOffset(2026, 4, 29, 15, 0, 0, Vn);
        store.BeforeNextAppend = () => service.SweepAsync(clock.GetUtcNow(), CancellationToken.None);

        var outcome = await service.ActAsync(id, (at, _) => new CompleteStep(at, new Actor("cb-sxd-01", "so-xay-dung"), "appraise", "approved", null),
            null, null, new Actor("cb-sxd-01", "so-xay-dung"), CancellationToken.None);

        outcome.Rejection.ShouldBeNull();
        store.Interleaved.ShouldBe(1);
        var types = outcome.Dossier!.Events.Select(e => e.Event.GetType().Name).ToList();
        types.ShouldContain(nameof(DeadlineWarning), string.Join(", ", types));
        var events = outcome.Dossier.Events.Select(e => e.Event).ToList();
        events.FindIndex(e => e is DeadlineWarning { StepId: "appraise" })
            .ShouldBeLessThan(events.FindIndex(e => e is StepCompleted { StepId: "appraise" }), "the warning came first, the completion was decided after it");
        outcome.Dossier.State.FindStep("appraise")!.Status.ShouldBe(ProcedureEngine.Dossiers.State.StepStatus.Done);

        // With If-Match the client named the version it saw: a write in between is its to resolve (409), nothing is appended.
        clock.Now = new DateTimeOffset(2026, 4, 29, 16, 0, 0, Vn);
        var seen = outcome.Dossier.State.Version;
        store.BeforeNextAppend = async () => await service.ActAsync(id, (at, _) => new CompleteStep(at, new Actor("cb-sxd-02", "so-xay-dung"), "sign", null, null),
            null, null, new Actor("cb-sxd-02", "so-xay-dung"), CancellationToken.None);
        await Should.ThrowAsync<ConcurrencyException>(() => service.ActAsync(id, (at, _) => new CompleteStep(at, new Actor("cb-sxd-01", "so-xay-dung"), "sign", null, null),
            seen, null, new Actor("cb-sxd-01", "so-xay-dung"), CancellationToken.None));
    }

    /// <summary>A real store that runs a hook (another writer) once, just before the next append goes in.</summary>
    private sealed class InterleavingStore(IEventStore inner) : IEventStore
    {
        public Func<Task>? BeforeNextAppend { get; set; }

        public int Interleaved { get; private set; }

        public string Backend => inner.Backend;

        public SqlDialect Dialect => inner.Dialect;

        public async Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        {
            if (BeforeNextAppend is { } hook)
            {
                BeforeNextAppend = null;
                Interleaved++;
                await hook();
            }

            return await inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);
        }

        public Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default) => inner.MigrateAsync(cancellationToken);

        public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, DateTimeOffset? at = null, CancellationToken cancellationToken = default) =>
            inner.ReadStreamAsync(streamId, at, cancellationToken);

        public Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

        public Task<IReadOnlyList<StreamVersion>> ListStreamsAsync(string? afterStreamId, int maxCount, CancellationToken cancellationToken = default) =>
            inner.ListStreamsAsync(afterStreamId, maxCount, cancellationToken);

        public Task<GlobalPage> ReadAllAsync(GlobalCheckpoint after, int maxCount, CancellationToken cancellationToken = default) => inner.ReadAllAsync(after, maxCount, cancellationToken);

        public Task<ChainVerification> VerifyStreamAsync(string streamId, CancellationToken cancellationToken = default) => inner.VerifyStreamAsync(streamId, cancellationToken);

        public Task<int> RunProjectionBatchAsync(IProjection projection, int batchSize, CancellationToken cancellationToken = default) =>
            inner.RunProjectionBatchAsync(projection, batchSize, cancellationToken);

        public Task<GlobalCheckpoint> GetCheckpointAsync(string projectionName, CancellationToken cancellationToken = default) => inner.GetCheckpointAsync(projectionName, cancellationToken);

        public Task<RebuildReport> RebuildProjectionsAsync(IReadOnlyList<IProjection> projections, int batchSize = 5000, CancellationToken cancellationToken = default) =>
            inner.RebuildProjectionsAsync(projections, batchSize, cancellationToken);

        public Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) => inner.OpenConnectionAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
