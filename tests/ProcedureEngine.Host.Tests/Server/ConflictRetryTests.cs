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
    private DeadlineSweep sweep = null!;

    public async Task InitializeAsync()
    {
        var inner = SqliteEventStore.Open(Path.Combine(data, "events.db"), DossierProjections.All());
        await inner.MigrateAsync();
        store = new InterleavingStore(inner);
        var registry = new DefinitionRegistry(Path.Combine(Repository.Root, "definitions"), data);
        service = new DossierService(new DossierEventStore(store), registry, clock);
        sweep = new DeadlineSweep(service, registry);
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }

    /// <summary>1.013233 (extension of a construction permit) received complete at the counter, now; its id.</summary>
    private async Task<string> ReceivePermitExtensionAsync() =>
        (await service.ReceiveAsync(new ReceiveRequest("1.013233", null, null, Channel.Counter, new Applicant("Nguyễn Văn An"),
            ImmutableDictionary<string, string>.Empty, ["chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay"], null),
            new Actor("cb-motcua-01", "one-stop"), null, CancellationToken.None)).Dossier!.Id;

    [Fact]
    public async Task A_completion_that_meets_a_deadline_warning_written_meanwhile_is_decided_again_and_recorded()
    {
        var id = await ReceivePermitExtensionAsync();

        // Wednesday 29/4 15:00, 3.5 working hours before the appraisal is due (Monday 4/5 09:00; the warning comes
        // within a quarter of its 3 days): the sweep warns, exactly between the officer reading the dossier and
        // appending the completion.
        clock.Now = new DateTimeOffset(2026, 4, 29, 15, 0, 0, Vn);
        store.BeforeNextAppend = () => sweep.SweepAsync(clock.GetUtcNow(), CancellationToken.None);

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

    [Fact]
    public async Task The_sweep_loads_only_the_dossiers_a_timer_can_change_and_still_warns_on_time()
    {
        for (var i = 0; i < 3; i++)
        {
            await ReceivePermitExtensionAsync();
        }

        // Tuesday 28/4 08:00: the appraisals are due Monday 4/5 09:00, more than two working days of office time
        // away; nothing can be due, and no dossier is read.
        clock.Now = new DateTimeOffset(2026, 4, 28, 8, 0, 0, Vn);
        var reads = store.StreamReads;
        (await sweep.SweepAsync(clock.GetUtcNow(), CancellationToken.None)).ShouldBe(0);
        store.StreamReads.ShouldBe(reads);

        // Wednesday 29/4 15:00, 3.5 office hours before: each is read and warned, once.
        clock.Now = new DateTimeOffset(2026, 4, 29, 15, 0, 0, Vn);
        (await sweep.SweepAsync(clock.GetUtcNow(), CancellationToken.None)).ShouldBe(3);
        store.StreamReads.ShouldBe(reads + 3);
        (await sweep.SweepAsync(clock.GetUtcNow(), CancellationToken.None)).ShouldBe(0, "a warning is given once");
    }

    [Fact]
    public async Task After_a_missed_appointment_and_an_apology_the_timers_flag_the_second_miss_as_a_breach()
    {
        var id = await ReceivePermitExtensionAsync();

        // The appointment (Wednesday 6/5 09:00) passes with the appraisal still open: the sweep flags the step and the dossier.
        clock.Now = new DateTimeOffset(2026, 5, 6, 10, 0, 0, Vn);
        await sweep.SweepAsync(clock.GetUtcNow(), CancellationToken.None);

        // The department apologises with a new appointment, and misses that one too.
        var apology = await service.ActAsync(id, (at, _) => new IssueApology(at, new Actor("cb-sxd-01", "so-xay-dung"), "so-xay-dung", "Hồ sơ cần kiểm tra thực địa",
            new DateTimeOffset(2026, 5, 13, 9, 0, 0, Vn)), null, null, new Actor("cb-sxd-01", "so-xay-dung"), CancellationToken.None);
        apology.Rejection.ShouldBeNull();
        clock.Now = new DateTimeOffset(2026, 5, 13, 10, 0, 0, Vn);
        await sweep.SweepAsync(clock.GetUtcNow(), CancellationToken.None);

        var overdue = (await service.LoadAsync(id, null, CancellationToken.None))!.Events.Select(e => e.Event).OfType<DossierOverdue>().ToList();
        overdue.Select(o => (o.AppointmentAt, o.Breach)).ShouldBe([
            (new DateTimeOffset(2026, 5, 6, 9, 0, 0, Vn), false),
            (new DateTimeOffset(2026, 5, 13, 9, 0, 0, Vn), true),
        ]);
    }
}
