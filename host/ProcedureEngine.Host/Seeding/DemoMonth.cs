namespace ProcedureEngine.Host.Seeding;

/// <summary>
/// `serve --demo` (or PE_DEMO=1 with run.sh): on a store without dossiers, the previous month and the current month up to
/// now are seeded exactly as `seed` does (generated scenarios run through the decider, their events appended), so a
/// newcomer opens a living centre: finished dossiers with on-time rates, apologies and ratings, and open work with
/// deadlines that the timers go on watching. A store that already holds dossiers is left as it is.
/// </summary>
public static class DemoMonth
{
    public static async Task<SeedReport?> SeedIfEmptyAsync(IEventStore store, string definitionsRoot, DateTimeOffset now, int perMonth,
        Action<string> announce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(announce);
        if (await HasDossiersAsync(store, cancellationToken).ConfigureAwait(false))
        {
            announce("demo: the store already holds dossiers; nothing seeded");
            return null;
        }

        var (catalog, calendar, problems) = CatalogueSeeder.LoadCatalogue(definitionsRoot);
        if (catalog is null || calendar is null || catalog.HasErrors || catalog.Definitions.Count == 0)
        {
            announce($"demo: the catalogue cannot be used ({string.Join("; ", problems.Take(3))}); nothing seeded");
            return null;
        }

        var local = now.ToOffset(calendar.UtcOffset);
        var previous = local.AddMonths(-1);
        SeedReport? total = null;
        foreach (var (year, month) in new[] { (previous.Year, previous.Month), (local.Year, local.Month) })
        {
            var report = await CatalogueSeeder.SeedAsync(store, catalog, calendar, year, month, perMonth, seed: 1, cancellationToken: cancellationToken, until: now).ConfigureAwait(false);
            announce(string.Create(CultureInfo.InvariantCulture, $"demo: seeded {year:0000}-{month:00}: {report.Appended} dossiers, {report.Events} events (up to {local:yyyy-MM-dd HH:mm})"));
            total = total is null ? report : total with
            {
                Dossiers = total.Dossiers + report.Dossiers,
                Appended = total.Appended + report.Appended,
                Events = total.Events + report.Events,
            };
        }

        return total;
    }

    private static async Task<bool> HasDossiersAsync(IEventStore store, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {DossierSummaryProjection.Table.Name}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }
}
