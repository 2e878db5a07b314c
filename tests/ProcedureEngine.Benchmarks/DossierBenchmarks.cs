using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Definitions.Parsing;
using ProcedureEngine.Dossiers;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;

namespace ProcedureEngine.Benchmarks;

/// <summary>Shared fixture: the 12-step liên thông sample procedure on the pinned calendar.</summary>
internal static class DossierFixture
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    public static DossierContext Context()
    {
        var root = FindRoot();
        var path = Path.Combine(root, "samples", "definitions", "construction", "9.000012.yaml");
        var definition = DefinitionParser.ParseDefinition(File.ReadAllText(path), path).Value!;
        var calendar = WorkingCalendar.Load(File.ReadAllText(Path.Combine(root, "samples", "calendars", "vn-pinned.yaml")), "vn-pinned.yaml");
        return new DossierContext(definition, calendar);
    }

    /// <summary>The commands of one dossier through all 12 steps (every consultation applies): receipt, 10 completions, return.</summary>
    public static DossierCommand[] Commands(ProcedureDefinition definition)
    {
        var at = new DateTimeOffset(2026, 3, 2, 8, 0, 0, Vn);
        var docs = definition.Documents.Select(d => d.Id).ToImmutableArray();
        var inputs = ImmutableDictionary<string, string>.Empty.Add("works.fireRisk", "true").Add("works.nearRoad", "true").Add("works.floors", "9");
        var commands = new List<DossierCommand> { new ReceiveDossier(at, new Actor("u1", "one-stop"), "d-1", new Applicant("Công ty A"), inputs, docs) };
        foreach (var step in definition.Steps.Skip(1).Take(definition.Steps.Length - 2))
        {
            at = at.AddHours(5);
            commands.Add(new CompleteStep(at, new Actor("u-" + step.Agency, step.Agency), step.Id, step.Outcomes[0]));
        }

        commands.Add(new ReturnResult(at.AddHours(1), new Actor("u1", "one-stop")));
        return [.. commands];
    }

    /// <summary>A realistic 100-event stream: the dossier goes back and forth with the applicant during the check.</summary>
    public static DossierEvent[] HundredEvents(DossierContext context)
    {
        var commands = Commands(context.Definition);
        var state = DossierState.Initial;
        var events = new List<DossierEvent>();
        void Apply(DossierCommand c)
        {
            var d = Decider.Decide(c, state, context);
            if (d.Rejection is not null)
            {
                throw new InvalidOperationException(d.Rejection.MessageEn);
            }

            events.AddRange(d.Events);
            state = d.State;
        }

        Apply(commands[0]);
        Apply(commands[1]); // transfer
        var afterTransfer = state;
        var tail = 0;
        foreach (var c in commands.Skip(2))
        {
            var d = Decider.Decide(c, state, context);
            tail += d.Events.Length;
            state = d.State;
        }

        (state, var at) = (afterTransfer, commands[1].At);
        while (events.Count + tail < 100)
        {
            at = at.AddHours(2);
            Apply(new RequestSupplement(at, new Actor("u-sxd", "so-xay-dung"), "check", ["ban-ve-thiet-ke"], "Bổ sung bản vẽ"));
            at = at.AddHours(2);
            Apply(new ProvideSupplement(at, new Actor("citizen", "applicant"), ["ban-ve-thiet-ke"]));
        }

        foreach (var c in commands.Skip(2))
        {
            at = at.AddHours(1);
            Apply(c with { At = at });
        }

        return [.. events.Take(100)];
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

/// <summary>
/// Commands decided per second for a 12-step liên thông procedure: each invocation runs a whole dossier
/// (12 commands: receipt, 10 completions, return; about 40 events with due instants on the legal
/// calendar) and counts as 12 operations, so Mean is the time per command and Op/s is commands/s.
/// Baseline: appending the same events to a list (the floor any decider pays), counted the same way.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OperationsPerSecondConfig))]
public class DossierDecideBenchmarks
{
    private const int CommandsPerDossier = 12;

    private DossierContext context = null!;
    private DossierCommand[] commands = null!;
    private DossierEvent[] events = null!;

    [GlobalSetup]
    public void Setup()
    {
        context = DossierFixture.Context();
        commands = DossierFixture.Commands(context.Definition);
        if (commands.Length != CommandsPerDossier)
        {
            throw new InvalidOperationException($"the fixture has {commands.Length} commands, the benchmark counts {CommandsPerDossier}");
        }

        events = [.. Run().Events];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CommandsPerDossier, Description = "append the dossier's events to a list")]
    public int AppendEvents()
    {
        var list = new List<DossierEvent>();
        foreach (var e in events)
        {
            list.Add(e);
        }

        return list.Count;
    }

    [Benchmark(OperationsPerInvoke = CommandsPerDossier, Description = "decide the dossier's 12 commands (per command)")]
    public DossierState DecideDossier() => Run().State;

    private (DossierState State, List<DossierEvent> Events) Run()
    {
        var state = DossierState.Initial;
        var all = new List<DossierEvent>();
        foreach (var c in commands)
        {
            var d = Decider.Decide(c, state, context);
            if (d.Rejection is not null)
            {
                throw new InvalidOperationException(d.Rejection.MessageEn);
            }

            all.AddRange(d.Events);
            state = d.State;
        }

        return (state, all);
    }
}

/// <summary>State rebuild from 100 events (target under 20 µs). Baseline: a plain list append of the same events.</summary>
[MemoryDiagnoser]
public class DossierRebuildBenchmarks
{
    private DossierEvent[] events = null!;

    [GlobalSetup]
    public void Setup() => events = DossierFixture.HundredEvents(DossierFixture.Context());

    [Benchmark(Baseline = true, Description = "append 100 events to a list")]
    public int AppendEvents()
    {
        var list = new List<DossierEvent>();
        foreach (var e in events)
        {
            list.Add(e);
        }

        return list.Count;
    }

    [Benchmark(Description = "fold 100 events into DossierState")]
    public DossierState Rebuild() => Decider.Fold(events);
}

/// <summary>Adds the operations-per-second column (commands/s for the decider benchmark).</summary>
internal sealed class OperationsPerSecondConfig : ManualConfig
{
    public OperationsPerSecondConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
}
