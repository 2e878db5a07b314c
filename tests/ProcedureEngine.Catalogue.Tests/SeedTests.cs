using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Dossiers;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.Dossiers.Scenarios;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.EventStore;
using ProcedureEngine.Host;
using ProcedureEngine.Host.Seeding;

namespace ProcedureEngine.Catalogue.Tests;

/// <summary>The `seed` command: a realistic month of dossiers across the real catalogue.</summary>
public sealed class SeedTests
{
    private static readonly DateTimeOffset EndOfApril = new(2026, 5, 1, 0, 0, 0, TimeSpan.FromHours(7));

    private static (IReadOnlyList<ProcedureDefinition> Catalogue, WorkingCalendar Calendar) Catalogue()
    {
        var (catalog, calendar, problems) = CatalogueSeeder.LoadCatalogue(CatalogueFiles.DefinitionsDir);
        problems.ShouldBeEmpty();
        return (catalog!.Definitions, calendar!);
    }

    private static List<(GeneratedDossier Dossier, ScenarioRun Run)> RunApril(int count, int seed)
    {
        var (catalogue, calendar) = Catalogue();
        return MonthOfDossiers.Generate(catalogue, calendar, 2026, 4, count, seed, EndOfApril)
            .Select(d => (d, ScenarioRunner.Run(d.Scenario, ScenarioRunner.CreateContext(d.Scenario, d.Definition, calendar), d.DossierId)))
            .ToList();
    }

    [Fact]
    public void The_whole_catalogue_is_available_to_the_seed()
    {
        Catalogue().Catalogue.Count.ShouldBe(CatalogueFiles.DefinitionFiles.Count);
    }

    [Fact]
    public void A_seeded_month_is_the_same_for_the_same_seed_and_differs_for_another()
    {
        var (catalogue, calendar) = Catalogue();
        string Fingerprint(int seed) => string.Join('\n', MonthOfDossiers.Generate(catalogue, calendar, 2026, 4, 60, seed, EndOfApril)
            .Select(d => $"{d.DossierId} {d.Definition.Code} {d.Fate} {d.Scenario.Dossier.Applicant.Name} {d.Scenario.Actions.Length}"));
        Fingerprint(11).ShouldBe(Fingerprint(11));
        Fingerprint(11).ShouldNotBe(Fingerprint(12));
    }

    [Fact]
    public void Two_months_seeded_with_the_same_seed_share_no_dossier_id()
    {
        // Same seed, same random sequence: without the month in the id, the first dossiers of March and April would be one stream.
        var (catalogue, calendar) = Catalogue();
        var march = MonthOfDossiers.Generate(catalogue, calendar, 2026, 3, 60, 1, EndOfApril).Select(d => d.DossierId);
        var april = MonthOfDossiers.Generate(catalogue, calendar, 2026, 4, 60, 1, EndOfApril).Select(d => d.DossierId);
        march.Intersect(april).ShouldBeEmpty();
    }

    [Fact]
    public void Every_generated_command_is_accepted_by_the_rules()
    {
        var runs = RunApril(400, 3);
        runs.SelectMany(r => r.Run.Rejected.Select(a => $"{r.Dossier.Definition.Code} {r.Dossier.Fate} {a.Action.Do} {a.Action.Step} at {a.At:yyyy-MM-dd HH:mm}: {a.Rejection}"))
            .ShouldBeEmpty();
    }

    [Fact]
    public void A_month_looks_like_a_provincial_centre_month()
    {
        var runs = RunApril(400, 5);
        var received = runs.Where(r => r.Run.State.ReceivedAt is not null).ToList();

        // receipts on working days, in office hours, inside the month; one dossier code each
        var calendar = Catalogue().Calendar;
        foreach (var (_, run) in received)
        {
            var at = run.State.ReceivedAt!.Value;
            (at.Month, at.Year).ShouldBe((4, 2026));
            calendar.IsWorkingDay(DateOnly.FromDateTime(at.DateTime)).ShouldBeTrue();
            calendar.WorkingTimeBetween(at, at.AddMinutes(1)).ShouldBeGreaterThan(TimeSpan.Zero, "received in office hours");
        }

        received.Select(r => r.Run.State.Code).Distinct().Count().ShouldBe(received.Count);

        // most are returned, on time; the rest show what officers meet every month
        var statuses = runs.GroupBy(r => r.Run.State.Status).ToDictionary(g => g.Key, g => g.Count());
        statuses[DossierStatus.Returned].ShouldBeGreaterThan(runs.Count / 2);
        statuses.Keys.ShouldContain(DossierStatus.Refused);
        statuses.Keys.ShouldContain(DossierStatus.Withdrawn);
        statuses.Keys.ShouldContain(DossierStatus.InProgress, "dossiers received late in the month are still being processed");
        var types = runs.SelectMany(r => r.Run.Events.Select(e => e.Event.Type)).ToHashSet();
        types.ShouldContain("SupplementRequested");
        types.ShouldContain("SupplementProvided");
        types.ShouldContain("ApologyIssued");
        types.ShouldContain("DossierEvaluated");
        types.ShouldContain("DossierRefused");
        runs.Select(r => r.Dossier.Definition.Field).Distinct().Count().ShouldBeGreaterThanOrEqualTo(7);
        runs.Count(r => r.Dossier.Definition.Field == "construction").ShouldBeGreaterThan(runs.Count / 3);
    }

    [Fact]
    public async Task Seed_appends_each_dossier_once_and_its_chain_verifies()
    {
        var db = Path.Combine(Path.GetTempPath(), $"pe-seed-{Guid.NewGuid():N}.db");
        try
        {
            var (catalog, calendar, _) = CatalogueSeeder.LoadCatalogue(CatalogueFiles.DefinitionsDir);
            await using (var store = EventStores.Open("sqlite", db, DossierProjections.All()))
            {
                await store.MigrateAsync();
                var first = await CatalogueSeeder.SeedAsync(store, catalog!, calendar!, 2026, 4, 40, 9, "son-ha");
                first.RejectedCommands.ShouldBe(0);
                first.Appended.ShouldBe(first.Dossiers);
                first.Events.ShouldBeGreaterThan(first.Dossiers * 3);

                var again = await CatalogueSeeder.SeedAsync(store, catalog!, calendar!, 2026, 4, 40, 9, "son-ha");
                again.Appended.ShouldBe(0, "the same seed appends nothing twice");
                again.AlreadyPresent.ShouldBe(first.Appended);

                var page = await store.ReadAllAsync(GlobalCheckpoint.Start, 100_000);
                page.Events.Count.ShouldBe((int)first.Events);
                var streams = page.Events.Select(e => e.StreamId).Distinct().ToList();
                streams.Count.ShouldBe(first.Appended);
                foreach (var stream in streams)
                {
                    (await store.VerifyStreamAsync(stream)).IsValid.ShouldBeTrue(stream);
                }

                // the stored events rebuild the same dossiers
                var history = await new DossierEventStore(store).LoadAsync(streams[0]);
                Decider.Fold(history.Events.Select(e => e.Event)).Id.ShouldBe(streams[0]);
            }
        }
        finally
        {
            foreach (var f in Directory.EnumerateFiles(Path.GetTempPath(), Path.GetFileName(db) + "*"))
            {
                File.Delete(f);
            }
        }
    }

    [Fact]
    public void Son_ha_dossiers_run_on_the_provinces_shorter_limits()
    {
        var (catalog, calendar, _) = CatalogueSeeder.LoadCatalogue(CatalogueFiles.DefinitionsDir);
        var dossiers = MonthOfDossiers.Generate(catalog!.Definitions, calendar!, 2026, 4, 300, 21, EndOfApril, "son-ha",
            (d, day) => catalog.Resolve(d.Code, day, "son-ha")!);
        var permit = dossiers.First(d => d.Definition.Code == "1.013236");
        permit.Definition.TimeLimit.ShouldBe(Duration.CalendarDays(15));
        permit.Scenario.Jurisdiction.ShouldBe("son-ha");
    }
}
