using ProcedureEngine.Definitions;
using ProcedureEngine.Definitions.Model;

namespace ProcedureEngine.Catalogue.Tests;

/// <summary>The province's local reductions (definitions/local/&lt;province&gt;/) against the procedures they shorten.</summary>
public sealed class OverlayTests
{
    public static TheoryData<string> Overlays()
    {
        var data = new TheoryData<string>();
        foreach (var f in CatalogueFiles.OverlayFiles)
        {
            data.Add(CatalogueFiles.Relative(f));
        }

        return data;
    }

    private static ProcedureDefinition Base(string code)
    {
        var file = CatalogueFiles.DefinitionFiles.Single(f => Path.GetFileNameWithoutExtension(f) == code);
        return Validator.Validate(File.ReadAllText(file), file).Definition!;
    }

    [Fact]
    public void The_example_province_shortens_several_procedures()
    {
        CatalogueFiles.OverlayFiles.Count.ShouldBeGreaterThanOrEqualTo(3);
        CatalogueFiles.OverlayFiles.Select(f => Path.GetFileName(Path.GetDirectoryName(f))).Distinct().ShouldBe(["son-ha"]);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_only_shortens_its_procedure_and_still_fits_its_steps(string file)
    {
        var overlay = Validator.Validate(File.ReadAllText(Path.Combine(CatalogueFiles.RepoRoot, file)), file).Overlay!;
        Path.GetFileNameWithoutExtension(file).ShouldBe(overlay.ProcedureCode);
        var definition = Base(overlay.ProcedureCode);

        overlay.TimeLimit.ShouldNotBeNull();
        overlay.TimeLimit.Value.Unit.ShouldBe(definition.TimeLimit.Unit, "a reduction keeps the unit the law uses");
        overlay.TimeLimit.Value.Halves.ShouldBeLessThan(definition.TimeLimit.Halves, "a local overlay only shortens");
        foreach (var (step, duration) in overlay.StepDurations)
        {
            var original = definition.FindStep(step);
            original.ShouldNotBeNull($"{file} names unknown step '{step}'");
            duration.Unit.ShouldBe(original.Duration.Unit);
            duration.Halves.ShouldBeLessThanOrEqualTo(original.Duration.Halves, $"{file} lengthens step '{step}'");
        }

        // The shortened procedure, written back as the administrator would see it, passes the validator
        // (its longest path fits the new limit).
        var shortened = overlay.ApplyTo(definition);
        var text = File.ReadAllText(definition.SourcePath ?? CatalogueFiles.DefinitionFiles.Single(f => Path.GetFileNameWithoutExtension(f) == overlay.ProcedureCode));
        text = ReplaceLimits(text, shortened);
        var report = Validator.Validate(text, file + " (applied)");
        report.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ShouldBeEmpty();
    }

    private static string ReplaceLimits(string yaml, ProcedureDefinition shortened)
    {
        var lines = yaml.Split('\n');
        string? step = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("timeLimit:", StringComparison.Ordinal))
            {
                lines[i] = "timeLimit: " + shortened.TimeLimit;
            }
            else if (lines[i].StartsWith("  - id: ", StringComparison.Ordinal))
            {
                step = lines[i][8..].Trim();
            }
            else if (step is not null && lines[i].StartsWith("    duration: ", StringComparison.Ordinal) && shortened.FindStep(step) is { } s)
            {
                lines[i] = "    duration: " + s.Duration;
            }
        }

        return string.Join('\n', lines);
    }
}
