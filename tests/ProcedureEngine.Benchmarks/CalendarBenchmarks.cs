using BenchmarkDotNet.Attributes;
using ProcedureEngine.Calendar;
using ProcedureEngine.Calendar.Tests;

namespace ProcedureEngine.Benchmarks;

/// <summary>
/// Due-date computations per second: the prefix-table arithmetic of <see cref="WorkingCalendar"/> against the
/// day-by-day walk (<see cref="NaiveWorkingTime"/>, the same code the property tests use as the reference), on
/// 1,024 receipts spread over 2024–2027 with typical limits (0.5–30 working days, 1–16 working hours, 5–45 days).
/// Each benchmark reports the time of ONE computation (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class CalendarDueDateBenchmarks
{
    private const int Count = 1024;
    private readonly DateTimeOffset[] starts = new DateTimeOffset[Count];
    private readonly Duration[] workingDurations = new Duration[Count];
    private readonly Duration[] calendarDurations = new Duration[Count];
    private readonly DateTimeOffset[] ends = new DateTimeOffset[Count];
    private WorkingCalendar calendar = null!;

    [GlobalSetup]
    public void Setup()
    {
        calendar = WorkingCalendar.Load(File.ReadAllText(FindVnYaml()), "definitions/calendars/vn.yaml");
        var random = new Random(20260101);
        var origin = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(7));
        for (var i = 0; i < Count; i++)
        {
            starts[i] = origin.AddMinutes(random.Next(0, 4 * 365 * 24 * 60));
            workingDurations[i] = random.Next(3) == 0
                ? Duration.WorkingHours(random.Next(1, 17))
                : new Duration(random.Next(1, 61), DurationUnit.WorkingDays);
            calendarDurations[i] = Duration.CalendarDays(random.Next(5, 46));
            ends[i] = starts[i].AddDays(random.Next(0, 40));
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "naive day-by-day Add (working units)")]
    public long NaiveAdd()
    {
        long sum = 0;
        for (var i = 0; i < Count; i++)
        {
            sum += NaiveWorkingTime.Add(calendar, starts[i], workingDurations[i]).UtcTicks;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "WorkingCalendar.Add (working units)")]
    public long TableAdd()
    {
        long sum = 0;
        for (var i = 0; i < Count; i++)
        {
            sum += calendar.Add(starts[i], workingDurations[i]).UtcTicks;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "naive day-by-day Add (calendar days)")]
    public long NaiveAddCalendarDays()
    {
        long sum = 0;
        for (var i = 0; i < Count; i++)
        {
            sum += NaiveWorkingTime.Add(calendar, starts[i], calendarDurations[i]).UtcTicks;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "WorkingCalendar.Add (calendar days)")]
    public long TableAddCalendarDays()
    {
        long sum = 0;
        for (var i = 0; i < Count; i++)
        {
            sum += calendar.Add(starts[i], calendarDurations[i]).UtcTicks;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "WorkingCalendar.WorkingTimeBetween")]
    public long Between()
    {
        long sum = 0;
        for (var i = 0; i < Count; i++)
        {
            sum += calendar.WorkingTimeBetween(starts[i], ends[i]).Ticks;
        }

        return sum;
    }

    internal static string FindVnYaml()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "definitions", "calendars", "vn.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "definitions", "calendars", "vn.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("definitions/calendars/vn.yaml not found");
    }
}

/// <summary>What loading a calendar costs: parsing vn.yaml (baseline), a cached load, a full 1900–2199 table build, one lunar new year.</summary>
[MemoryDiagnoser]
public class CalendarLoadBenchmarks
{
    private string yaml = string.Empty;
    private int builds;

    [GlobalSetup]
    public void Setup() => yaml = File.ReadAllText(CalendarDueDateBenchmarks.FindVnYaml());

    [Benchmark(Baseline = true, Description = "parse vn.yaml")]
    public CalendarSpec? Parse() => CalendarSpec.Parse(yaml, "vn.yaml").Spec;

    [Benchmark(Description = "parse vn.yaml + WorkingCalendar (day tables shared from the cache)")]
    public WorkingCalendar Load() => WorkingCalendar.Load(yaml, "vn.yaml");

    [Benchmark(Description = "WorkingCalendar with new decisions (builds the 1900-2199 day tables)")]
    public WorkingCalendar BuildTables()
    {
        // A decision never seen before defeats the table cache, so this measures a full build.
        var reason = $"benchmark {++builds}";
        var years = new Dictionary<int, YearDecision> { [2026] = new([new DecidedDay(new DateOnly(2026, 3, 3), reason)], []) };
        return new WorkingCalendar(CalendarSpec.Vietnam with { Years = years });
    }

    [Benchmark(Description = "lunar new year, one year")]
    public DateOnly LunarNewYear() => VietnameseLunarCalendar.LunarNewYear(2026, 7.0);
}
