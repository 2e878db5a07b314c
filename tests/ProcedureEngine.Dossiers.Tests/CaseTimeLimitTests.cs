using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Parsing;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.Dossiers.Tests.Support;

namespace ProcedureEngine.Dossiers.Tests;

/// <summary>
/// 1.013229 (repair permit, commune level): 20 days for works, 15 for a detached house (nhà ở riêng lẻ). The
/// receipt promises the case's own limit, not the longest, and everything counted from it follows.
/// </summary>
public class CaseTimeLimitTests
{
    private static readonly Definitions.Model.ProcedureDefinition RepairPermit = Load("construction/1.013229.yaml");
    private static readonly DossierContext Ctx = new(RepairPermit, Samples.Calendar);
    private static readonly Actor Counter = new("cb-motcua-xa", "mot-cua-xa");

    private static Definitions.Model.ProcedureDefinition Load(string file)
    {
        var path = Path.Combine(Samples.Root, "definitions", file);
        var result = DefinitionParser.ParseDefinition(File.ReadAllText(path), path);
        result.HasErrors.ShouldBeFalse(string.Join(Environment.NewLine, result.Diagnostics));
        return result.Value!;
    }

    private static DossierState Receive(string kind)
    {
        var inputs = ImmutableDictionary<string, string>.Empty.Add("works.kind", kind).Add("works.grade", "III").Add("works.fireRisk", "false");
        var documents = RepairPermit.Documents.Where(d => d.When is null || d.When.Evaluate(inputs)).Select(d => d.Id).ToImmutableArray();
        var d = Decider.Decide(new ReceiveDossier(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(7)), Counter, "d-1", new Applicant("Nguyễn Văn A"), inputs, documents), DossierState.Initial, Ctx);
        d.Rejection.ShouldBeNull();
        d.State.Status.ShouldBe(DossierStatus.InProgress);
        return d.State;
    }

    [Fact]
    public void A_household_building_its_house_is_promised_the_15_days_the_law_gives_it_not_the_20_of_other_works()
    {
        var house = Receive("detached-house");
        var other = Receive("non-linear");

        house.TimeLimit.ShouldBe("15 days");
        other.TimeLimit.ShouldBe("20 days");
        house.AppointmentAt.ShouldBe(Samples.Calendar.Add(house.ReceivedAt!.Value, Duration.CalendarDays(15)));
        other.AppointmentAt.ShouldBe(Samples.Calendar.Add(other.ReceivedAt!.Value, Duration.CalendarDays(20)));
        house.AppointmentAt.ShouldNotBeNull().ShouldBeLessThan(other.AppointmentAt!.Value);
    }

    [Fact]
    public void The_apology_bound_and_a_restarted_clock_count_the_cases_own_limit()
    {
        var house = Receive("detached-house");
        var current = house.AppointmentAt!.Value;
        var bound = Samples.Calendar.Add(current, Duration.CalendarDays(15));
        var officer = new Actor("kt-xa", "phong-kt-xa");
        var beyond = Decider.Decide(new IssueApology(current.AddDays(-2), officer, null, "Chậm", bound.AddHours(1)), house, Ctx);
        beyond.Rejection.ShouldNotBeNull().Code.ShouldBe(RejectionCodes.AppointmentBeyondBound);
        Decider.Decide(new IssueApology(current.AddDays(-2), officer, null, "Chậm", bound), house, Ctx).Rejection.ShouldBeNull();

        // nd118-2025 restarts the limit from zero when the supplement comes back: 15 days again, not 20.
        var requested = Decider.Decide(new RequestSupplement(house.ReceivedAt!.Value.AddDays(1), officer, "appraise-house", [RepairPermit.Documents[0].Id], "Bổ sung"), house, Ctx);
        requested.Rejection.ShouldBeNull();
        var back = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(7));
        var provided = Decider.Decide(new ProvideSupplement(back, Counter, [RepairPermit.Documents[0].Id]), requested.State, Ctx);
        provided.Rejection.ShouldBeNull();
        provided.State.AppointmentAt.ShouldBe(Samples.Calendar.Add(back, Duration.CalendarDays(15)));
    }
}
