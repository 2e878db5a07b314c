using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions;

namespace ProcedureEngine.Catalogue.Tests;

/// <summary>The whole catalogue loaded the way the engine loads it (cross-file rules included).</summary>
public sealed class CatalogueLoadTests
{
    private static readonly Lazy<DefinitionCatalog> Catalog = new(() => DefinitionCatalog.Load(CatalogueFiles.DefinitionsDir));

    [Fact]
    public void The_catalogue_loads_without_errors()
    {
        var catalog = Catalog.Value;
        catalog.Diagnostics.Where(d => d.IsError || d.Code != "PE036").Select(d => d.ToString()).ShouldBeEmpty();
        catalog.Definitions.Count.ShouldBe(CatalogueFiles.DefinitionFiles.Count);
        catalog.Overlays.Count.ShouldBe(CatalogueFiles.OverlayFiles.Count);
        catalog.Fields.Count.ShouldBeGreaterThanOrEqualTo(7);
    }

    [Fact]
    public void The_province_structure_has_a_one_stop_centre_departments_a_district_and_communes()
    {
        var agencies = Catalog.Value.Agencies;
        agencies.Count(a => a.OneStop).ShouldBeGreaterThanOrEqualTo(1);
        agencies.Single(a => a.Id == "one-stop").Code.ShouldBe("000.00.07.H13");
        agencies.Select(a => a.Kind.ToString().ToLowerInvariant()).ShouldContain("department");
        agencies.Select(a => a.Kind.ToString().ToLowerInvariant()).ShouldContain("district");
        agencies.Count(a => a.Kind.ToString().Equals("commune", StringComparison.OrdinalIgnoreCase)).ShouldBeGreaterThanOrEqualTo(3);
        agencies.Where(a => a.Code is not null).Select(a => a.Code).ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c!, @"^000\.\d{2}\.\d{2}\.[A-Z]\d{2}$"));
    }

    [Fact]
    public void A_dossier_received_in_son_ha_gets_the_provinces_shorter_limit()
    {
        var day = new DateOnly(2026, 4, 16);
        Catalog.Value.Resolve("1.013236", day, jurisdiction: null)!.TimeLimit.ShouldBe(Duration.CalendarDays(20));
        var local = Catalog.Value.Resolve("1.013236", day, "son-ha")!;
        local.TimeLimit.ShouldBe(Duration.CalendarDays(15));
        local.FindStep("appraise")!.Duration.ShouldBe(Duration.WorkingDays(8));

        // before the province's decision took effect, the national limit applies
        Catalog.Value.Resolve("1.013236", new DateOnly(2025, 12, 31), "son-ha")!.TimeLimit.ShouldBe(Duration.CalendarDays(20));
    }
}
