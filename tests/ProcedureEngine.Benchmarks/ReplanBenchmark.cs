using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Parsing;
using ProcedureEngine.Dossiers;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;

namespace ProcedureEngine.Benchmarks;

/// <summary>
/// Re-planning N open dossiers (default 100,000) for a calendar version with 24/11/2026 off, published 12/11/2026 10:00:
/// the decider's work per dossier (<see cref="ApplyCalendarChange"/>), timed and its allocations counted, against a
/// baseline measured in the same run on the same dossiers: the timers' own per-dossier decision (<see cref="Decider.Tick"/>
/// at the same instant). The dossiers (sample permit 1.009792, 15 working days, 5 steps) are received evenly over the
/// office time from 19/10 to the publication, so some windows cross 24/11 and some do not.
/// Run: dotnet run -c Release --project tests/ProcedureEngine.Benchmarks -- --replan-bench [--dossiers N]
/// </summary>
public static class ReplanBenchmark
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    public static int Run(string[] args)
    {
        var n = 100_000;
        if (args.Length >= 2 && args[0] == "--dossiers")
        {
            n = int.Parse(args[1], CultureInfo.InvariantCulture);
        }

        var root = FindRoot();
        var path = Path.Combine(root, "samples", "definitions", "construction", "1.009792.yaml");
        var definition = DefinitionParser.ParseDefinition(File.ReadAllText(path), path).Value!;
        var old = WorkingCalendar.Load(File.ReadAllText(Path.Combine(root, "samples", "calendars", "vn-pinned.yaml")), "vn-pinned.yaml");
        var years = old.Spec.Years.ToDictionary(y => y.Key, y => y.Value);
        var y2026 = years.GetValueOrDefault(2026) ?? YearDecision.Empty;
        years[2026] = new YearDecision([.. y2026.DaysOff, new DecidedDay(new DateOnly(2026, 11, 24), "Ngày Văn hóa Việt Nam")], y2026.WorkingDays);
        var @new = new WorkingCalendar(old.Spec with { Years = years, Version = 2 });
        var context = new DossierContext(definition, old);
        var newContext = context.WithCalendar(@new);
        var publication = new DateTimeOffset(2026, 11, 12, 10, 0, 0, Vn);
        var first = new DateTimeOffset(2026, 10, 19, 7, 30, 0, Vn);
        var office = old.WorkingTimeBetween(first, publication);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"building {n:N0} open dossiers…"));
        var docs = definition.Documents.Where(d => d.When is null).Select(d => d.Id).ToImmutableArray();
        var inputs = ImmutableDictionary<string, string>.Empty.Add("works.grade", "III").Add("works.fireRisk", "false").Add("applicant.kind", "individual");
        var states = new DossierState[n];
        var officer = new Actor("cb-motcua-01", "one-stop");
        for (var i = 0; i < n; i++)
        {
            var at = old.AddWorkingTime(first, TimeSpan.FromTicks(office.Ticks / n * i));
            var d = Decider.Decide(new ReceiveDossier(at, officer, $"d-{i}", new Applicant("Nguyễn Văn An"), inputs, docs), DossierState.Initial, context.WithSequence((i % 9999) + 1));
            states[i] = d.Rejection is null ? d.State : throw new InvalidOperationException(d.Rejection.MessageEn);
        }

        var watch = Stopwatch.StartNew();
        var diff = CalendarDiff.Compare(old, @new, new DateOnly(2026, 11, 12));
        var diffTime = watch.Elapsed;
        var system = new Actor("system", "procedure-engine");
        var command = new ApplyCalendarChange(publication, system, old, diff);

        // Warm-up both paths.
        for (var i = 0; i < Math.Min(n, 2_000); i++)
        {
            _ = Decider.Tick(states[i], publication, context);
            _ = Decider.Decide(command, states[i], newContext);
        }

        GC.Collect();
        var (tickTime, tickBytes, _) = Measure(() =>
        {
            var events = 0;
            foreach (var s in states)
            {
                events += Decider.Tick(s, publication, newContext).Events.Length;
            }

            return events;
        });

        GC.Collect();
        var (replanTime, replanBytes, replanned) = Measure(() =>
        {
            var count = 0;
            foreach (var s in states)
            {
                count += Decider.Decide(command, s, newContext).Events.Length;
            }

            return count;
        });

        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calendar diff (12/11/2026–2199): {diffTime.TotalMilliseconds:0.0} ms, {diff.Days.Count} days"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline, timer tick of {n:N0} dossiers: {tickTime.TotalMilliseconds:0} ms ({tickTime.TotalMicroseconds / n:0.0} µs each), {tickBytes / 1048576.0:0.0} MB allocated"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"re-plan of {n:N0} dossiers: {replanned:N0} re-planned, {replanTime.TotalMilliseconds:0} ms ({replanTime.TotalMicroseconds / n:0.0} µs each), {replanBytes / 1048576.0:0.0} MB allocated"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio re-plan / tick: {replanTime / tickTime:0.00}; peak working set {peak / 1048576.0:0} MB (the {n:N0} states included)"));
        return 0;
    }

    private static (TimeSpan Time, long Bytes, int Result) Measure(Func<int> work)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var result = work();
        watch.Stop();
        return (watch.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before, result);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProcedureEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
