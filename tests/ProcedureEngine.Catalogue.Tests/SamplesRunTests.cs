using ProcedureEngine.Dossiers.Scenarios;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.Host.Simulation;

namespace ProcedureEngine.Catalogue.Tests;

/// <summary>
/// Every construction sample, run the way `procedure-engine simulate` runs it (same loader, same
/// runner), ends returned on the appointment date computed from the law's counting rules.
/// </summary>
public sealed class SamplesRunTests
{
    public static TheoryData<string> Codes() => SampleExpectationsTests.Codes();

    [Theory]
    [MemberData(nameof(Codes))]
    public void Sample_runs_to_a_returned_result_on_its_appointment_date(string code)
    {
        var path = Path.Combine(CatalogueFiles.RepoRoot, "samples", "construction", code + ".scenario.yaml");
        var (loaded, problems) = ScenarioLoader.Load(path);
        loaded.ShouldNotBeNull(string.Join('\n', problems));
        problems.Where(p => p.Contains(": error ", StringComparison.Ordinal)).ShouldBeEmpty();
        loaded.Definition.Code.ShouldBe(code);

        var run = ScenarioRunner.Run(loaded.Scenario, ScenarioRunner.CreateContext(loaded.Scenario, loaded.Definition, loaded.Calendar), loaded.DefaultDossierId);

        var expected = SampleExpectationsTests.Expected()[code];
        run.Rejected.Select(r => $"{r.Action.Do} {r.Action.Step}: {r.Rejection}").ShouldBeEmpty();
        run.State.Status.ShouldBe(DossierStatus.Returned);
        run.State.ReceivedAt.ShouldBe(expected.ReceivedAt);
        run.State.AppointmentAt.ShouldBe(expected.AppointmentAt);
        run.State.Overdue.ShouldBeFalse();
        run.Events.Select(e => e.Event.GetType().Name).ShouldContain("ResultReturned");
    }
}
