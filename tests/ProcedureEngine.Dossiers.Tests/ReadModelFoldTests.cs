using FsCheck;
using FsCheck.Fluent;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.Dossiers.Tests.Support;

namespace ProcedureEngine.Dossiers.Tests;

/// <summary>
/// The read models' rows folded event by event (pure, no database) show the decider's own status and appointment after
/// every event: the summary, the worklist header and the open appointment deadline say what <see cref="Decider.Evolve"/>
/// says, for every sample scenario and for generated command sequences.
/// </summary>
public class ReadModelFoldTests
{
    public static TheoryData<string> Scenarios { get; } = [.. Directory.GetFiles(Path.Combine(Samples.SamplesDir, "scenarios"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_sample_scenario_shows_the_deciders_status_and_appointment_in_the_read_models(string scenario)
    {
        var run = Samples.Run(scenario);
        run.Events.Length.ShouldBeGreaterThan(0);
        AgreeAfterEveryEvent(run.DossierId, run.Events.Select(e => e.Event));
    }

    [Fact]
    public void Any_command_sequence_shows_the_deciders_status_and_appointment_in_the_read_models()
    {
        foreach (var definition in new[] { Samples.LienThong12, Samples.Permit })
        {
            var context = new DossierContext(definition, Samples.Calendar);
            var property = Prop.ForAll(ReplayPropertyTests.Sequences, moves =>
            {
                var state = DossierState.Initial;
                var events = new List<DossierEvent>();
                var now = new DateTimeOffset(2026, 3, 2, 8, 0, 0, Samples.Vn);
                foreach (var move in moves)
                {
                    now = now.AddMinutes(Math.Max(0, move.Minutes));
                    var decision = move.Kind == 9 ? Decider.Tick(state, now, context) : Decider.Decide(ReplayPropertyTests.Command(definition, state, move, now), state, context);
                    events.AddRange(decision.Events);
                    state = decision.State;
                }

                AgreeAfterEveryEvent("d-1", events);
                return true;
            });
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
        }
    }

    [Fact]
    public void An_apology_moves_the_appointment_of_the_summary_and_the_timers_to_the_one_the_decider_holds()
    {
        var run = Samples.Run("08-missed-twice.yaml");
        var events = run.Events.Select(e => e.Event).ToList();
        var apology = events.OfType<ApologyIssued>().ShouldHaveSingleItem();
        var upToApology = events.Take(events.IndexOf(apology) + 1).ToList();

        var summary = upToApology.Aggregate(DossierSummaryRow.New(run.DossierId), DossierSummaryRow.Apply);
        var deadlines = OpenDeadlinesProjection.Expected(run.DossierId, upToApology);
        var state = Decider.Fold(upToApology);

        state.AppointmentAt.ShouldBe(apology.NewAppointmentAt);
        summary.AppointmentAt.ShouldBe(apology.NewAppointmentAt);
        deadlines.Single(d => d.Kind == "appointment").DueAt.ShouldBe(apology.NewAppointmentAt, "a missed appointment is a deadline again once an apology promises a new one");
    }

    private static void AgreeAfterEveryEvent(string dossierId, IEnumerable<DossierEvent> events)
    {
        var state = DossierState.Initial;
        var summary = DossierSummaryRow.New(dossierId);
        var deadlines = new Dictionary<(string Kind, string Ref), DossierDeadlineRow>();
        var worklist = new Dictionary<string, WorklistEntry>(StringComparer.Ordinal);
        long version = 0;
        foreach (var e in events)
        {
            state = Decider.Evolve(state, e);
            summary = DossierSummaryRow.Apply(summary, e);
            DossierDeadlineRow.Apply(dossierId, deadlines, e);
            WorklistEntry.Apply(dossierId, worklist, e, ++version);
            var where = $"after event {version} ({e.GetType().Name})";

            summary.AppointmentAt.ShouldBe(state.AppointmentAt, where);
            if (summary.Status == ReadModelStatus.Incomplete)
            {
                state.Status.ShouldBeOneOf([DossierStatus.New, DossierStatus.Submitted], where); // guidance: not received
            }
            else
            {
                ReadModelStatus.Parse(summary.Status).ShouldBe(state.Status, where);
            }

            if (deadlines.TryGetValue(("appointment", ""), out var appointment))
            {
                appointment.DueAt.ShouldBe(state.AppointmentAt!.Value, where);
            }

            if (worklist.TryGetValue("", out var header))
            {
                (header.Status, header.AppointmentAt).ShouldBe((summary.Status, state.AppointmentAt), where);
                state.IsFinished.ShouldBeFalse(where);
            }

            if (state.IsFinished)
            {
                (deadlines.Count, summary.CurrentAgency).ShouldBe((0, (string?)null), where);
            }
        }
    }
}
