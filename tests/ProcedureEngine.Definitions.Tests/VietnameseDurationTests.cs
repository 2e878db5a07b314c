namespace ProcedureEngine.Definitions.Tests;

/// <summary>A definition may write its durations in Vietnamese ("5 ngày làm việc"); the engine reads the same procedure.</summary>
public sealed class VietnameseDurationTests
{
    [Fact]
    public void A_definition_with_vietnamese_durations_reads_as_the_same_procedure_as_its_english_form()
    {
        var english = Validator.Validate(TestFiles.Fixture("spec-example.yaml"), "spec-example.yaml");
        var vietnamese = Validator.Validate(TestFiles.Fixture("spec-example-vi.yaml"), "spec-example-vi.yaml");

        vietnamese.HasErrors.ShouldBeFalse(string.Join("\n", vietnamese.Diagnostics));
        var e = english.Definition!;
        var v = vietnamese.Definition!;
        v.TimeLimit.ShouldBe(e.TimeLimit);
        v.Steps.Select(s => (s.Id, s.Duration)).ShouldBe(e.Steps.Select(s => (s.Id, s.Duration)));
    }
}
