using System.Diagnostics;
using System.Globalization;
using System.Text;
using ProcedureEngine.EventStore;
using ProcedureEngine.EventStore.Sqlite;

namespace ProcedureEngine.Benchmarks;

/// <summary>
/// The cost of <c>PRAGMA synchronous = FULL</c> (the store's default: an acknowledged append survives power loss)
/// against <c>NORMAL</c> (the baseline; may lose the last commits), measured in the same run on the same disk:
/// one-event appends (one command each, as the counter makes them), rounds alternating NORMAL and FULL on fresh files
/// so that disk noise falls on both. Run: <c>dotnet run -c Release --project tests/ProcedureEngine.Benchmarks -- --sqlite-durability [--appends N] [--dir D]</c>.
/// </summary>
public static class SqliteDurabilityBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var appends = 2000;
        var folder = Path.GetTempPath();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--appends":
                    appends = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--dir":
                    folder = args[i + 1];
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]} (use --appends N, --dir FOLDER)");
                    return 2;
            }
        }

        var root = Directory.CreateDirectory(Path.Combine(folder, "pe-durability-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        Console.WriteLine($"SQLite durability: {appends} one-event appends per round, files in {root}");
        var rates = new Dictionary<SqliteDurability, List<double>> { [SqliteDurability.Normal] = [], [SqliteDurability.Full] = [] };
        try
        {
            await RoundAsync(root, SqliteDurability.Normal, 200, "warm-n");
            await RoundAsync(root, SqliteDurability.Full, 200, "warm-f");
            for (var round = 0; round < 3; round++)
            {
                foreach (var durability in new[] { SqliteDurability.Normal, SqliteDurability.Full })
                {
                    rates[durability].Add(await RoundAsync(root, durability, appends, $"r{round}"));
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        var normal = Median(rates[SqliteDurability.Normal]);
        var full = Median(rates[SqliteDurability.Full]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"appends/s, median of 3 rounds: FULL {full:N0} (per append {1000 / full:0.00} ms), NORMAL {normal:N0} (per append {1000 / normal:0.00} ms); ratio FULL/NORMAL = {full / normal:0.00}"));
        return 0;
    }

    private static async Task<double> RoundAsync(string root, SqliteDurability durability, int count, string name)
    {
        var file = Path.Combine(root, $"{name}-{durability}.db");
        await using var store = SqliteEventStore.Open(file, null, durability);
        await store.MigrateAsync();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var stream = $"d-{i % 50:D3}";
            var version = i / 50;
            await store.AppendAsync(stream, version, [Event(stream, version + 1)]);
        }

        var rate = count / watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-7} {durability,-6} {rate,8:N0} appends/s"));
        return rate;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static EventData Event(string stream, long n) =>
        new("StepCompleted", Encoding.UTF8.GetBytes($$"""{"at":"2026-05-04T08:00:00+07:00","by":{"user":"sxd-01","agency":"so-xay-dung"},"stepId":"appraise-{{n}}","outcome":"approved"}"""),
            new EventMetadata(new Actor("sxd-01", "so-xay-dung"), new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.FromHours(7)).AddMinutes(n), "corr-" + stream, null, null));
}
