namespace ProcedureEngine.Catalogue.Tests;

/// <summary>What the catalogue covers, measured against the national database.</summary>
public sealed class CatalogueCoverageTests
{
    private const string ConstructionField = "Hoạt động xây dựng";

    private static Dictionary<string, string> DefinedCodes() => CatalogueFiles.DefinitionFiles
        .Select(f => CatalogueFiles.ReadYaml(f))
        .ToDictionary(d => d.Scalar("code")!, d => d.Scalar("field")!);

    [Fact]
    public void Every_provincial_procedure_of_the_construction_field_is_defined()
    {
        var provincial = CatalogueFiles.AllRecords().Where(r => r.Field == ConstructionField && r.IsProvincial).Select(r => r.Code).ToList();
        provincial.Count.ShouldBeGreaterThanOrEqualTo(16);
        var defined = DefinedCodes();
        provincial.Where(c => !defined.ContainsKey(c)).ShouldBeEmpty("provincial construction procedures without a definition");
    }

    [Fact]
    public void The_whole_construction_field_is_defined_with_at_least_19_procedures()
    {
        var field = CatalogueFiles.AllRecords().Where(r => r.Field == ConstructionField).Select(r => r.Code).ToHashSet();
        var construction = DefinedCodes().Where(d => d.Value == "construction").Select(d => d.Key).ToHashSet();
        construction.SetEquals(field).ShouldBeTrue("definitions/construction holds exactly the records of the field");
        construction.Count.ShouldBeGreaterThanOrEqualTo(19);
    }

    [Fact]
    public void At_least_twenty_procedures_outside_construction_cover_seven_fields_in_all()
    {
        var defined = DefinedCodes();
        defined.Count(d => d.Value != "construction").ShouldBeGreaterThanOrEqualTo(20);
        defined.Values.Distinct().Count().ShouldBeGreaterThanOrEqualTo(7);
    }

    [Fact]
    public void One_file_per_procedure_version()
    {
        var keys = CatalogueFiles.DefinitionFiles
            .Select(f => CatalogueFiles.ReadYaml(f))
            .Select(d => (d.Scalar("code"), d.Scalar("version")))
            .ToList();
        keys.Distinct().Count().ShouldBe(keys.Count);
    }
}
