using System.CommandLine;
using ProcedureEngine.Host.Seeding;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine seed [--definitions DIR] [--month YYYY-MM] [--count N] [--seed N] [--jurisdiction ID] [--store ...] [--connection ...]`:
/// loads a realistic month of dossiers across the catalogue into an event store (demo data); see
/// <see cref="CatalogueSeeder"/>. Exit 0 when seeded, 1 when the catalogue or store can't be used, 2 on bad usage.
/// </summary>
internal static class SeedVerb
{
    public static Command Create()
    {
        var definitions = new Option<string>("--definitions") { Description = "Catalogue folder (with calendars/vn.yaml)", DefaultValueFactory = _ => "definitions" };
        var month = new Option<string?>("--month") { Description = "Month to fill, YYYY-MM (default: the previous month)" };
        var count = new Option<int>("--count") { Description = "Dossiers to generate", DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed and month give the same dossiers", DefaultValueFactory = _ => 1 };
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "Apply this province's local reductions (definitions/local/<id>/), e.g. son-ha" };
        var store = new StoreOptions();
        var command = new Command("seed", "Load a realistic month of dossiers across the catalogue into an event store (demo data)")
        {
            definitions, month, count, seed, jurisdiction,
        };
        store.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (!TryParseMonth(parse.GetValue(month), out var year, out var m, Console.Error) || !CheckCount(parse.GetValue(count), Console.Error))
            {
                return 2;
            }

            var (catalog, calendar, problems) = CatalogueSeeder.LoadCatalogue(parse.GetValue(definitions)!);
            foreach (var p in problems)
            {
                Console.Error.WriteLine(p);
            }

            if (catalog is null || calendar is null || catalog.HasErrors || catalog.Definitions.Count == 0)
            {
                Console.Error.WriteLine("seed: the catalogue has errors or no procedures; fix them first (`procedure-engine validate definitions`)");
                return 1;
            }

            IEventStore opened;
            try
            {
                opened = store.Open(parse);
            }
            catch (Exception ex) when (ex is EventStoreException or ArgumentException)
            {
                Console.Error.WriteLine($"seed: cannot open the store: {ex.Message}");
                return 1;
            }

            await using (opened.ConfigureAwait(false))
            {
                await opened.MigrateAsync(ct).ConfigureAwait(false);
                var report = await CatalogueSeeder.SeedAsync(opened, catalog, calendar, year, m, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(jurisdiction), cancellationToken: ct).ConfigureAwait(false);
                Print(report, year, m, StoreOptions.Describe(opened), Console.Out);
            }

            return 0;
        });
        return command;
    }

    public static void Print(SeedReport report, int year, int month, string where, TextWriter output)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"seeded {year:0000}-{month:00}: {report.Appended} dossiers, {report.Events} events appended to {where}");
        if (report.AlreadyPresent > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"; {report.AlreadyPresent} already present (same seed)");
        }

        if (report.RejectedCommands > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"; {report.RejectedCommands} commands rejected by the rules");
        }

        output.WriteLine(line);
        foreach (var (fate, n) in report.Fates.OrderBy(f => f.Key))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {fate,-17} {n,6}"));
        }
    }

    private static bool TryParseMonth(string? text, out int year, out int month, TextWriter error)
    {
        var previous = DateTime.Today.AddMonths(-1);
        (year, month) = (previous.Year, previous.Month);
        if (text is null)
        {
            return true;
        }

        if (!DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m))
        {
            error.WriteLine($"--month: '{text}' is not a month; expected YYYY-MM, e.g. 2026-04");
            return false;
        }

        (year, month) = (m.Year, m.Month);
        return true;
    }

    private static bool CheckCount(int count, TextWriter error)
    {
        if (count is >= 1 and <= 1_000_000)
        {
            return true;
        }

        error.WriteLine($"--count: {count} is out of range; expected 1 to 1000000");
        return false;
    }
}
