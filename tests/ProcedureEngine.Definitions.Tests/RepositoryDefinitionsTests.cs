using ProcedureEngine.Definitions.Parsing;

namespace ProcedureEngine.Definitions.Tests;

/// <summary>The repository's own definitions/ folder and test fixtures must validate.</summary>
public class RepositoryDefinitionsTests
{
    private static string DefinitionsRoot => Path.Combine(TestFiles.RepoRoot, "definitions");

    [Fact]
    public void Every_file_in_definitions_validates_without_errors()
    {
        var catalog = DefinitionCatalog.Load(DefinitionsRoot);
        catalog.Diagnostics.Where(d => d.IsError).ShouldBeEmpty(string.Join("\n", catalog.Diagnostics.Where(d => d.IsError)));
        var yamlFiles = Directory.EnumerateFiles(DefinitionsRoot, "*.yaml", SearchOption.AllDirectories).Count();
        catalog.FileCount.ShouldBe(yamlFiles);
    }

    [Fact]
    public void Every_definition_file_is_published_by_the_catalogue()
    {
        var catalog = DefinitionCatalog.Load(DefinitionsRoot);
        var definitionFiles = Directory.EnumerateFiles(DefinitionsRoot, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}local{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}calendars{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && Path.GetFileName(f) is not ("fields.yaml" or "agencies.yaml"))
            .ToList();
        catalog.Definitions.Count.ShouldBe(definitionFiles.Count);
        foreach (var file in definitionFiles)
        {
            var r = DefinitionParser.ParseDefinition(File.ReadAllText(file), file);
            r.HasErrors.ShouldBeFalse(string.Join("\n", r.Diagnostics));
        }
    }

    [Theory]
    [InlineData("spec-example.yaml")]
    [InlineData("spec-overlay.yaml")]
    public void Spec_samples_validate_on_their_own(string name) =>
        Validator.Validate(TestFiles.Fixture(name), name).Diagnostics.ShouldBeEmpty();
}
