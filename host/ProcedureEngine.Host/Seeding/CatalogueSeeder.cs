using ProcedureEngine.Dossiers.Scenarios;

namespace ProcedureEngine.Host.Seeding;

/// <summary>What one seeding run did.</summary>
public sealed record SeedReport(int Dossiers, int Appended, int AlreadyPresent, long Events, int RejectedCommands, ImmutableDictionary<DossierFate, int> Fates);

/// <summary>
/// The `seed` command's work: generates a realistic month of dossiers across the catalogue
/// (<see cref="MonthOfDossiers"/>), runs each through the engine exactly as `simulate` does
/// (<see cref="ScenarioRunner"/>), and appends its events to the store, one stream per dossier
/// (stream id = dossier id) through <see cref="DossierEventStore"/>, so the store's projections
/// (summaries, on-time report, tracking book) see them as they see live dossiers. Every append
/// carries an idempotency key made of month, seed and dossier: re-running with the same seed
/// appends nothing twice.
/// </summary>
public static class CatalogueSeeder
{
    /// <summary>The catalogue under <paramref name="dir"/> (as `validate` loads it) and its vn calendar.</summary>
    public static (DefinitionCatalog? Catalog, WorkingCalendar? Calendar, IReadOnlyList<string> Problems) LoadCatalogue(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return (null, null, [$"{dir}: no such folder"]);
        }

        var problems = new List<string>();
        WorkingCalendar? calendar = null;
        var calendarFile = Path.Combine(dir, "calendars", "vn.yaml");
        try
        {
            calendar = File.Exists(calendarFile) ? WorkingCalendar.Load(File.ReadAllText(calendarFile), calendarFile) : WorkingCalendar.Vietnam();
        }
        catch (CalendarFormatException ex)
        {
            problems.AddRange(ex.Errors.Select(e => e.ToString()));
        }

        var catalog = DefinitionCatalog.Load(dir);
        problems.AddRange(catalog.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
        return (catalog, calendar, problems);
    }

    public static async Task<SeedReport> SeedAsync(
        IEventStore store, DefinitionCatalog catalog, WorkingCalendar calendar, int year, int month, int count, int seed,
        string? jurisdiction = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        var monthEnd = new DateTimeOffset(new DateTime(year, month, 1).AddMonths(1), calendar.UtcOffset);
        var cutoff = until is { } u && u < monthEnd ? u : monthEnd;
        ProcedureDefinition Localize(ProcedureDefinition d, DateOnly day) =>
            jurisdiction is null ? d : catalog.Resolve(d.Code, day, jurisdiction) ?? d;
        var dossiers = MonthOfDossiers.Generate(catalog.Definitions, calendar, year, month, count, seed, cutoff, jurisdiction, Localize);

        var events = new DossierEventStore(store);
        int appended = 0, present = 0, rejected = 0;
        long appendedEvents = 0;
        foreach (var d in dossiers)
        {
            var run = ScenarioRunner.Run(d.Scenario, ScenarioRunner.CreateContext(d.Scenario, d.Definition, calendar), d.DossierId);
            rejected += run.Rejected.Count();
            if (run.Events.IsEmpty)
            {
                continue;
            }

            var envelopes = run.Events
                .Select(e => new DossierEventEnvelope(
                    e.Event,
                    DossierEventStore.ActorOf(e.Event, e.By is { } by ? new EventStore.Actor(by.User, by.Agency) : EventStore.Actor.System),
                    CorrelationId: d.DossierId))
                .ToList();
            var result = await events.AppendAsync(d.DossierId, ExpectedVersion.Any, envelopes, $"seed-{year:0000}{month:00}-{seed}-{d.DossierId}", cancellationToken).ConfigureAwait(false);
            if (result.WasDuplicate)
            {
                present++;
            }
            else
            {
                appended++;
                appendedEvents += envelopes.Count;
            }
        }

        return new SeedReport(dossiers.Count, appended, present, appendedEvents, rejected,
            dossiers.GroupBy(d => d.Fate).ToImmutableDictionary(g => g.Key, g => g.Count()));
    }
}
