using ProcedureEngine.Definitions;

namespace ProcedureEngine.Catalogue.Tests;

/// <summary>The catalogue as the engine's own validator sees it.</summary>
public sealed class DefinitionsValidateTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in CatalogueFiles.DefinitionFiles.Concat(CatalogueFiles.OverlayFiles))
        {
            data.Add(CatalogueFiles.Relative(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void File_validates_without_errors(string file)
    {
        var report = Validator.Validate(File.ReadAllText(Path.Combine(CatalogueFiles.RepoRoot, file)), file);

        // PE036 (mixed units: working-day steps under a calendar-day limit, checked at their worst case)
        // is the one warning the catalogue expects: the law states those limits in calendar days.
        report.Diagnostics.Where(d => d.Code != "PE036").Select(d => d.ToString()).ShouldBeEmpty();
        (report.Definition ?? (object?)report.Overlay).ShouldNotBeNull();
    }
}
