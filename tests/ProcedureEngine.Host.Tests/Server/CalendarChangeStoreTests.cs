using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.EventStore;
using ProcedureEngine.EventStore.Sqlite;
using ProcedureEngine.Host.Seeding;
using ProcedureEngine.Host.Web.Calendars;
using ProcedureEngine.Host.Web.Definitions;
using ProcedureEngine.Host.Web.Dossiers;
using Xunit.Abstractions;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// A month of seeded dossiers (October 2026: those received late in the month are still open on 1 November), then
/// a calendar version with 24/11/2026 off (Ngày Văn hóa Việt Nam) published on 1 November: the open dossiers whose
/// remaining windows cross 24/11 are re-planned, the read models stay consistent with the events, and the timers,
/// run over the rest of the year, issue no apology and flag no missed appointment on the old dues.
/// </summary>
public sealed class CalendarChangeStoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly DateTimeOffset Publication = new(2026, 11, 1, 0, 0, 0, Vn);
    private readonly string root = Directory.CreateTempSubdirectory("pe-calchange-").FullName;
    private IEventStore store = null!;
    private DefinitionRegistry registry = null!;
    private DossierService service = null!;
    private readonly TestClock clock = new(Publication);

    private string Definitions => Path.Combine(root, "definitions");

    public async Task InitializeAsync()
    {
        Repository.CopyDirectory(Path.Combine(Repository.Root, "definitions"), Definitions);
        store = SqliteEventStore.Open(Path.Combine(root, "events.db"), DossierProjections.All());
        await store.MigrateAsync();
        var (catalog, calendar, problems) = CatalogueSeeder.LoadCatalogue(Definitions);
        problems.ShouldBeEmpty();
        var seeded = await CatalogueSeeder.SeedAsync(store, catalog!, calendar!, 2026, 10, 300, 7);
        seeded.RejectedCommands.ShouldBe(0);
        registry = new DefinitionRegistry(Definitions, Path.Combine(root, "data"));
        service = new DossierService(new DossierEventStore(store), registry, clock);
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    private string NewVersion()
    {
        var text = File.ReadAllText(Path.Combine(Definitions, "calendars", "vn.yaml"));
        const string Marker = "  # Ngày Văn hóa Việt Nam";
        text.ShouldContain(Marker);
        return text.Replace("version: 1", "version: 2", StringComparison.Ordinal).Replace(Marker,
            "  - { id: van-hoa-viet-nam, name: \"Ngày Văn hóa Việt Nam\", solar: 11-24, from: 2026-07-01, law: \"Bộ luật Lao động (sửa đổi), Điều 112 khoản 1\" }\n" + Marker,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_24_November_off_re_plans_the_open_dossiers_crossing_it_and_no_timer_acts_on_an_old_due()
    {
        var replanner = new CalendarReplanner(service, registry);
        var oldCalendar = registry.Calendar("vn")!;
        var version2 = NewVersion();

        // A dry run says what would happen and writes nothing.
        var preview = await replanner.PublishAsync(version2, Publication, dryRun: true, CancellationToken.None);
        preview.Diff.Days.Where(d => d.Date.Year == 2026).Select(d => d.Date).ShouldBe([new DateOnly(2026, 11, 24)]);
        preview.Dossiers.Count.ShouldBeGreaterThan(0);
        registry.Calendar("vn")!.Spec.Version.ShouldBe(1);

        var published = await replanner.PublishAsync(version2, Publication, dryRun: false, CancellationToken.None);
        output.WriteLine($"open dossiers with a deadline after 1/11: {published.Candidates}; re-planned: {published.Dossiers.Count}; appointments moved: {published.AppointmentsMoved}; {published.Elapsed.TotalMilliseconds:0} ms");
        published.Dossiers.Select(d => d.DossierId).ShouldBe(preview.Dossiers.Select(d => d.DossierId));
        published.Dossiers.ShouldAllBe(d => d.Change.ChangedDays.SequenceEqual(new[] { new DateOnly(2026, 11, 24) }));
        published.Dossiers.ShouldAllBe(d => d.Change.AppointmentAt >= d.Change.PreviousAppointmentAt);
        var newCalendar = registry.Calendar("vn")!;
        newCalendar.Spec.Version.ShouldBe(2);
        newCalendar.IsWorkingDay(new DateOnly(2026, 11, 24)).ShouldBeFalse();
        File.ReadAllText(Path.Combine(Definitions, "calendars", "vn.yaml")).ShouldContain("van-hoa-viet-nam");

        // Publishing the same version again is refused with the file's location and code; nothing is re-planned twice.
        var again = await Should.ThrowAsync<CalendarRejectedException>(() => replanner.PublishAsync(version2, Publication, dryRun: false, CancellationToken.None));
        again.Problems.Single().Code.ShouldBe("PE906");

        // The read models (lists, tracking page, the timers' deadlines) agree with the events.
        var (_, findings) = await ReadModelCheck.RunAsync(store);
        findings.ShouldBeEmpty();

        // The timers run through the rest of the year on the new calendar.
        var sweep = new DeadlineSweep(service, registry);
        for (var day = new DateOnly(2026, 11, 2); day <= new DateOnly(2026, 12, 31); day = day.AddDays(1))
        {
            foreach (var hour in new[] { 8, 12, 16 })
            {
                clock.Now = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), Vn);
                await sweep.SweepAsync(clock.GetUtcNow(), CancellationToken.None);
            }
        }

        var replannedIds = published.Dossiers.ToDictionary(d => d.DossierId, d => d.Change);
        var apologies = 0;
        foreach (var (id, change) in replannedIds)
        {
            var dossier = (await service.LoadAsync(id, null, CancellationToken.None))!;
            foreach (var (stored, e) in dossier.Events.Where(x => x.Event.At > Publication))
            {
                switch (e)
                {
                    case ApologyIssued a:
                        // Issued against the re-planned appointment, within the rule set's lead on the new calendar.
                        apologies++;
                        a.PreviousAppointmentAt.ShouldBe(change.AppointmentAt, id);
                        newCalendar.WorkingTimeBetween(a.At, a.PreviousAppointmentAt).ShouldBeLessThanOrEqualTo(newCalendar.WorkingDayLength, id);
                        break;
                    case DossierOverdue o:
                        o.AppointmentAt.ShouldNotBe(change.PreviousAppointmentAt, id);
                        break;
                    case StepOverdue s when change.PreviousStepDues.Any(p => p.StepId == s.StepId):
                        s.DueAt.ShouldBe(change.StepDues.Single(d => d.StepId == s.StepId).DueAt, id);
                        break;
                }
            }
        }

        output.WriteLine($"apologies issued after the change to re-planned dossiers: {apologies}");
        (await ReadModelCheck.RunAsync(store)).Findings.ShouldBeEmpty();
        oldCalendar.IsWorkingDay(new DateOnly(2026, 11, 24)).ShouldBeTrue();
    }
}
