using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Definitions.Parsing;

namespace ProcedureEngine.Definitions.Tests;

public class ParserTests
{
    private static ProcedureDefinition SpecExample()
    {
        var result = DefinitionParser.ParseDefinition(TestFiles.Fixture("spec-example.yaml"), "spec-example.yaml");
        result.Diagnostics.ShouldBeEmpty();
        return result.Value.ShouldNotBeNull();
    }

    [Fact]
    public void Spec_example_reads_into_the_model_without_problems()
    {
        var d = SpecExample();
        d.Code.ShouldBe("1.009792");
        d.Version.ShouldBe(3);
        d.Level.ShouldBe(ProcedureLevel.Province);
        d.Effective.From.ShouldBe(new DateOnly(2021, 3, 3));
        d.Effective.Until.ShouldBe(new DateOnly(2030, 12, 31));
        d.TimeLimit.ShouldBe(Duration.WorkingDays(15));
        d.Fee.ShouldNotBeNull().Amount.ShouldBe(75000m);
        d.Calendar.ShouldBe("vn");
        d.Agencies.Select(a => a.Id).ShouldBe(["one-stop", "so-xay-dung", "pc07"]);
        d.Agencies[0].OneStop.ShouldBeTrue();
        d.Inputs.Single(i => i.Id == "works.grade").Values.ShouldBe(["special", "I", "II", "III", "IV"]);
        d.Documents.Single(x => x.Id == "ban-ve-thiet-ke").Copies.ShouldBe(2);
        d.Documents.Single(x => x.Id == "don-de-nghi").Original.ShouldBeTrue();
        d.Results.ShouldBe(["Giấy phép xây dựng"]);
    }

    [Fact]
    public void Steps_without_after_follow_the_step_above_and_explicit_after_is_kept()
    {
        var d = SpecExample();
        var receive = d.FindStep("receive").ShouldNotBeNull();
        receive.After.ShouldBeEmpty();
        receive.AfterExplicit.ShouldBeFalse();
        receive.Duration.ShouldBe(Duration.WorkingHours(4));
        var sign = d.FindStep("sign").ShouldNotBeNull();
        sign.After.ShouldBe(["appraise", "consult-fire"]);
        sign.AfterExplicit.ShouldBeTrue();
        d.FindStep("appraise")!.Outcomes.ShouldBe(["approved", "supplement", "rejected"]);
        d.FindStep("receive")!.Outcomes.ShouldBe(["done"]);
    }

    [Fact]
    public void Conditions_are_read_with_their_location_and_evaluate_over_inputs()
    {
        var d = SpecExample();
        var when = d.FindStep("consult-fire")!.When.ShouldBeOfType<EqualsCondition>();
        when.Input.ShouldBe("works.fireRisk");
        when.Location.ShouldBe(new SourceLocation(55, 11));
        when.Evaluate(new Dictionary<string, string> { ["works.fireRisk"] = "true" }).ShouldBeTrue();
        when.Evaluate(new Dictionary<string, string> { ["works.fireRisk"] = "false" }).ShouldBeFalse();
    }

    [Fact]
    public void Step_without_after_in_the_middle_follows_the_one_above()
    {
        const string yaml = """
            code: "1.000001"
            version: 1
            name: Thủ tục thử
            field: construction
            level: province
            effective: { from: 2025-01-01 }
            legalBasis: [Luật thử]
            timeLimit: 3 working days
            agencies: [{ id: one-stop, name: Một cửa, oneStop: true }]
            steps:
              - { id: a, name: A, agency: one-stop, duration: 1 working days }
              - { id: b, name: B, agency: one-stop, duration: 1 working days }
              - { id: c, name: C, agency: one-stop, duration: 1 working days }
            """;
        var r = DefinitionParser.ParseDefinition(yaml, "t.yaml");
        r.Diagnostics.ShouldBeEmpty();
        r.Value!.Steps.Select(s => s.After.SingleOrDefault()).ShouldBe([null, "a", "b"]);
    }

    [Fact]
    public void Overlay_reads_code_jurisdiction_and_shortened_limits()
    {
        var r = DefinitionParser.ParseOverlay(TestFiles.Fixture("spec-overlay.yaml"), "spec-overlay.yaml");
        r.Diagnostics.ShouldBeEmpty();
        var o = r.Value.ShouldNotBeNull();
        o.ProcedureCode.ShouldBe("1.009792");
        o.Jurisdiction.ShouldBe("bac-ninh");
        o.TimeLimit.ShouldBe(Duration.WorkingDays(12));
        o.StepDurations["appraise"].ShouldBe(Duration.WorkingDays(6));
    }

    [Fact]
    public void Diagnostic_prints_path_line_column_severity_code_and_message()
    {
        var yaml = TestFiles.Fixture("spec-example.yaml").Replace("after: [appraise, consult-fire]", "after: [apraise, consult-fire]", StringComparison.Ordinal);
        var r = DefinitionParser.ParseDefinition(yaml, "definitions/construction/gpxd.yaml");
        var d = r.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe(DiagnosticCodes.UnknownPredecessor);
        d.ToString().ShouldBe("definitions/construction/gpxd.yaml:60:13: error PE012: step 'sign' lists unknown predecessor 'apraise'; did you mean 'appraise'?");
    }
}
