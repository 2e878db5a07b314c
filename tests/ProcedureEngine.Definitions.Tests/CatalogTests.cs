using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;

namespace ProcedureEngine.Definitions.Tests;

public class CatalogTests
{
    private const string Fields = "fields:\n  - { id: construction, name: Hoạt động xây dựng }\n  - { id: housing, name: Nhà ở }\n";

    private static readonly string Spec = TestFiles.Fixture("spec-example.yaml");

    /// <summary>The spec's example as catalogue file construction/&lt;code&gt;.yaml, with a few values changed.</summary>
    private static SourceFile Definition(string name, int version = 3, string from = "2021-03-03", string? until = "2030-12-31", string field = "construction", string? calendar = null)
    {
        var text = Spec
            .Replace("../../../definitions/schema/", "../schema/", StringComparison.Ordinal)
            .Replace("version: 3 ", $"version: {version} ", StringComparison.Ordinal)
            .Replace("from: 2021-03-03", $"from: {from}", StringComparison.Ordinal)
            .Replace("  until: 2030-12-31", until is null ? string.Empty : $"  until: {until}", StringComparison.Ordinal)
            .Replace("field: construction", $"field: {field}", StringComparison.Ordinal);
        if (calendar is not null)
        {
            text = text.Replace("calendar: vn ", $"calendar: {calendar} ", StringComparison.Ordinal);
        }

        return new SourceFile($"definitions/{name}", name, text);
    }

    private static SourceFile Overlay(string jurisdiction, string body, string? folder = null, string from = "2024-01-01")
    {
        var rel = $"local/{folder ?? jurisdiction}/1.009792.yaml";
        var text = $"# yaml-language-server: $schema=../../schema/overlay.schema.json\noverlay: \"1.009792\"\njurisdiction: {jurisdiction}\neffective: {{ from: {from} }}\n{body}";
        return new SourceFile($"definitions/{rel}", rel, text);
    }

    private static SourceFile FieldsFile(string rel = "fields.yaml", string text = Fields) => new($"definitions/{rel}", rel, text);

    private static DefinitionCatalog Build(params SourceFile[] files) => DefinitionCatalog.Build(files);

    private static Diagnostic Only(DefinitionCatalog c, string code)
    {
        var d = c.Diagnostics.ShouldHaveSingleItem($"diagnostics: {string.Join("\n", c.Diagnostics)}");
        d.Code.ShouldBe(code);
        return d;
    }

    [Fact]
    public void Clean_catalogue_lists_its_definition_and_overlay_without_problems()
    {
        var c = Build(FieldsFile(), Definition("construction/1.009792.yaml"), Overlay("bac-ninh", "timeLimit: 12 working days\nsteps:\n  appraise: { duration: 6 working days }\n"));
        c.Diagnostics.ShouldBeEmpty();
        c.FileCount.ShouldBe(3);
        c.Definitions.ShouldHaveSingleItem().Code.ShouldBe("1.009792");
        c.Overlays.ShouldHaveSingleItem().Jurisdiction.ShouldBe("bac-ninh");
        c.Fields.Select(f => f.Id).ShouldBe(["construction", "housing"]);
    }

    [Fact]
    public void Same_code_and_version_twice_is_an_error_on_the_second_file_which_is_not_published()
    {
        var c = Build(FieldsFile(), Definition("construction/1.009792.yaml"), Definition("construction/1.009792-copy.yaml"));
        var d = Only(c, DiagnosticCodes.DuplicateVersion);
        d.Path.ShouldBe("definitions/construction/1.009792.yaml");
        d.Location.Line.ShouldBe(3);
        c.Definitions.Count.ShouldBe(1);
    }

    [Fact]
    public void Overlapping_versions_of_one_code_are_an_error_at_the_later_version()
    {
        var c = Build(FieldsFile(), Definition("construction/1.009792.v2.yaml", version: 2, from: "2020-01-01", until: "2021-06-30"), Definition("construction/1.009792.yaml"));
        var d = Only(c, DiagnosticCodes.OverlappingVersions);
        d.Path.ShouldBe("definitions/construction/1.009792.yaml");
        d.Message.ShouldContain("overlaps version 2");
        c.Definitions.Select(x => x.Version).ShouldBe([2]);
    }

    [Fact]
    public void Resolve_picks_the_version_in_effect_on_the_day_of_receipt()
    {
        var c = Build(FieldsFile(), Definition("construction/1.009792.v2.yaml", version: 2, from: "2020-01-01", until: "2021-03-02"), Definition("construction/1.009792.yaml"));
        c.Diagnostics.ShouldBeEmpty();
        c.Resolve("1.009792", new DateOnly(2019, 12, 31), null).ShouldBeNull();
        c.Resolve("1.009792", new DateOnly(2021, 3, 2), null)!.Version.ShouldBe(2);
        c.Resolve("1.009792", new DateOnly(2021, 3, 3), null)!.Version.ShouldBe(3);
        c.Resolve("1.009792", new DateOnly(2031, 1, 1), null).ShouldBeNull();
        c.Resolve("9.999999", new DateOnly(2025, 1, 1), null).ShouldBeNull();
        c.Versions("1.009792").Select(v => v.Version).ShouldBe([2, 3]);
    }

    [Fact]
    public void Resolve_applies_the_jurisdictions_overlay_only_while_it_is_in_effect()
    {
        var c = Build(FieldsFile(), Definition("construction/1.009792.yaml"), Overlay("bac-ninh", "timeLimit: 12 working days\nsteps:\n  appraise: { duration: 6 working days }\n"));
        var local = c.Resolve("1.009792", new DateOnly(2024, 5, 2), "bac-ninh")!;
        local.TimeLimit.ShouldBe(Duration.WorkingDays(12));
        local.FindStep("appraise")!.Duration.ShouldBe(Duration.WorkingDays(6));
        c.Resolve("1.009792", new DateOnly(2023, 12, 31), "bac-ninh")!.TimeLimit.ShouldBe(Duration.WorkingDays(15));
        c.Resolve("1.009792", new DateOnly(2024, 5, 2), "ha-noi")!.TimeLimit.ShouldBe(Duration.WorkingDays(15));
        c.Resolve("1.009792", new DateOnly(2024, 5, 2), null)!.TimeLimit.ShouldBe(Duration.WorkingDays(15));
    }

    [Fact]
    public void Overlay_for_an_unknown_procedure_is_an_error()
    {
        var o = Overlay("bac-ninh", "timeLimit: 12 working days\n") with { Text = Overlay("bac-ninh", "timeLimit: 12 working days\n").Text!.Replace("\"1.009792\"", "\"1.000000\"", StringComparison.Ordinal) };
        var d = Only(Build(FieldsFile(), Definition("construction/1.009792.yaml"), o), DiagnosticCodes.OverlayUnknownProcedure);
        d.Location.Line.ShouldBe(2);
    }

    [Fact]
    public void Overlay_naming_an_unknown_step_is_an_error_at_the_step()
    {
        var d = Only(Build(FieldsFile(), Definition("construction/1.009792.yaml"), Overlay("bac-ninh", "steps:\n  apraise: { duration: 6 working days }\n")), DiagnosticCodes.OverlayUnknownStep);
        d.Location.ShouldBe(new Model.SourceLocation(6, 3));
        d.Message.ShouldContain("did you mean 'appraise'");
    }

    [Fact]
    public void Overlay_may_not_lengthen_the_limit_or_a_step()
    {
        var c = Build(FieldsFile(), Definition("construction/1.009792.yaml"), Overlay("bac-ninh", "timeLimit: 16 working days\nsteps:\n  appraise: { duration: 9 working days }\n"));
        c.Diagnostics.Select(d => (d.Code, d.Location.Line)).ShouldBe([(DiagnosticCodes.OverlayLengthens, 5), (DiagnosticCodes.OverlayLengthens, 7)]);
        c.Overlays.ShouldBeEmpty();
    }

    /// <summary>The spec's example with a shorter limit for grade IV works (a time limit case).</summary>
    private static SourceFile DefinitionWithCase() =>
        Definition("construction/1.009792.yaml") is var d
            ? d with { Text = d.Text!.Replace("timeLimit: 15 working days", "timeLimit: 15 working days\ntimeLimitCases:\n  - { id: grade-iv, when: { input: works.grade, equals: IV }, timeLimit: 13 working days }", StringComparison.Ordinal) }
            : throw new InvalidOperationException();

    [Fact]
    public void An_overlay_shortens_a_time_limit_case_by_id_never_lengthens_it_and_names_only_existing_cases()
    {
        var shortened = Build(FieldsFile(), DefinitionWithCase(), Overlay("bac-ninh", "timeLimitCases:\n  grade-iv: { timeLimit: 12 working days }\n"));
        shortened.Diagnostics.ShouldBeEmpty();
        var local = shortened.Resolve("1.009792", new DateOnly(2025, 1, 2), "bac-ninh")!;
        local.TimeLimitFor(new Dictionary<string, string> { ["works.grade"] = "IV" }).ShouldBe(Duration.WorkingDays(12));
        local.TimeLimitFor(new Dictionary<string, string> { ["works.grade"] = "I" }).ShouldBe(Duration.WorkingDays(15));
        shortened.Resolve("1.009792", new DateOnly(2025, 1, 2), null)!.TimeLimitFor(new Dictionary<string, string> { ["works.grade"] = "IV" }).ShouldBe(Duration.WorkingDays(13));

        var longer = Build(FieldsFile(), DefinitionWithCase(), Overlay("bac-ninh", "timeLimitCases:\n  grade-iv: { timeLimit: 14 working days }\n"));
        Only(longer, DiagnosticCodes.OverlayLengthens).Location.Line.ShouldBe(6);
        var unknown = Build(FieldsFile(), DefinitionWithCase(), Overlay("bac-ninh", "timeLimitCases:\n  grade-4: { timeLimit: 12 working days }\n"));
        Only(unknown, DiagnosticCodes.OverlayUnknownStep).Message.ShouldContain("did you mean 'grade-iv'");
    }

    [Fact]
    public void Overlay_in_another_unit_is_an_error_because_it_cannot_be_proven_shorter()
    {
        Only(Build(FieldsFile(), Definition("construction/1.009792.yaml"), Overlay("bac-ninh", "timeLimit: 14 days\n")), DiagnosticCodes.OverlayUnitMismatch);
    }

    [Fact]
    public void Overlay_in_working_hours_against_working_days_is_compared_exactly()
    {
        Build(FieldsFile(), Definition("construction/1.009792.yaml"), Overlay("bac-ninh", "steps:\n  receive: { duration: 2 working hours }\n")).Diagnostics.ShouldBeEmpty();
        Only(Build(FieldsFile(), Definition("construction/1.009792.yaml"), Overlay("bac-ninh", "steps:\n  receive: { duration: 1 working days }\n")), DiagnosticCodes.OverlayLengthens);
    }

    [Fact]
    public void Overlay_shortening_the_limit_below_its_steps_is_an_error_at_its_time_limit()
    {
        var d = Only(Build(FieldsFile(), Definition("construction/1.009792.yaml"), Overlay("bac-ninh", "timeLimit: 9 working days\n")), DiagnosticCodes.LongestPathExceedsLimit);
        d.Path.ShouldBe("definitions/local/bac-ninh/1.009792.yaml");
        d.Location.Line.ShouldBe(5);
        d.Message.ShouldContain("receive → appraise → sign → return");
    }

    [Fact]
    public void Two_overlays_of_one_jurisdiction_may_not_overlap_in_time()
    {
        var first = Overlay("bac-ninh", "timeLimit: 12 working days\n");
        var second = Overlay("bac-ninh", "timeLimit: 11.5 working days\n", from: "2025-01-01") with { Path = "definitions/local/bac-ninh/1.009792-2025.yaml", RelativePath = "local/bac-ninh/1.009792-2025.yaml" };
        Only(Build(FieldsFile(), Definition("construction/1.009792.yaml"), first, second), DiagnosticCodes.OverlappingOverlays).Path.ShouldEndWith("-2025.yaml");
    }

    [Fact]
    public void Overlay_in_the_wrong_folder_is_a_warning_and_outside_every_version_a_warning()
    {
        var c = Build(FieldsFile(), Definition("construction/1.009792.yaml"), Overlay("bac-ninh", "timeLimit: 12 working days\n", folder: "ha-noi"));
        Only(c, DiagnosticCodes.OverlayJurisdictionFolder).Severity.ShouldBe(Severity.Warning);
        var late = Build(FieldsFile(), Definition("construction/1.009792.yaml"), Overlay("bac-ninh", "timeLimit: 12 working days\n", from: "2031-01-01"));
        Only(late, DiagnosticCodes.OverlayOutsideVersions).Severity.ShouldBe(Severity.Warning);
    }

    [Fact]
    public void Definition_under_local_is_an_error()
    {
        var d = Definition("construction/1.009792.yaml") with { RelativePath = "local/bac-ninh/1.009792.yaml", Path = "definitions/local/bac-ninh/1.009792.yaml" };
        Only(Build(FieldsFile(), d), DiagnosticCodes.OverlayJurisdictionFolder).IsError.ShouldBeTrue();
    }

    [Fact]
    public void Field_is_checked_against_the_nearest_fields_file()
    {
        var d = Only(Build(FieldsFile(), Definition("construction/1.009792.yaml", field: "constructon")), DiagnosticCodes.UnknownField);
        d.Location.ShouldBe(new Model.SourceLocation(5, 8));
        d.Message.ShouldContain("did you mean 'construction'");

        var nested = FieldsFile("construction/fields.yaml", "fields:\n  - { id: permits, name: Cấp phép }\n");
        Build(FieldsFile(), nested, Definition("construction/1.009792.yaml", field: "permits")).Diagnostics.ShouldBeEmpty();
        Only(Build(FieldsFile(), nested, Definition("construction/1.009792.yaml")), DiagnosticCodes.UnknownField).Message.ShouldContain("construction/fields.yaml");
    }

    [Fact]
    public void Without_any_fields_file_the_field_is_only_a_warning()
    {
        var c = Build(Definition("construction/1.009792.yaml"));
        Only(c, DiagnosticCodes.NoFieldsFile).Severity.ShouldBe(Severity.Warning);
        c.Definitions.ShouldHaveSingleItem();
    }

    [Fact]
    public void Calendar_must_have_a_file_when_the_catalogue_has_calendars()
    {
        var calendar = new SourceFile("definitions/calendars/vn.yaml", "calendars/vn.yaml", "id: vn\n");
        Build(FieldsFile(), calendar, Definition("construction/1.009792.yaml")).Diagnostics.ShouldBeEmpty();
        var d = Only(Build(FieldsFile(), calendar, Definition("construction/1.009792.yaml", calendar: "vn-bac-ninh")), DiagnosticCodes.UnknownCalendar);
        d.Message.ShouldContain("calendars/vn-bac-ninh.yaml");
    }

    [Fact]
    public void Agency_code_differing_from_agencies_yaml_is_a_warning()
    {
        var agencies = new SourceFile("definitions/agencies.yaml", "agencies.yaml",
            "agencies:\n  - { id: one-stop, name: Trung tâm PVHCC, code: \"000.00.07.H13\", oneStop: true, kind: one-stop }\n");
        var def = Definition("construction/1.009792.yaml");
        def = def with { Text = def.Text!.Replace("oneStop: true }", "oneStop: true, code: \"000.00.08.H13\" }", StringComparison.Ordinal) };
        var c = Build(FieldsFile(), agencies, def);
        Only(c, DiagnosticCodes.AgencyMismatch).Severity.ShouldBe(Severity.Warning);
        c.Agencies.ShouldHaveSingleItem().Code.ShouldBe("000.00.07.H13");
    }

    [Fact]
    public void Side_files_are_validated_too()
    {
        var bad = FieldsFile(text: "fields:\n  - { id: construction, name: Xây dựng }\n  - { id: construction, name: Lặp }\n  - { id: roads, nam: Đường bộ }\n");
        Build(bad).Diagnostics.Select(d => d.Code).ShouldBe([DiagnosticCodes.DuplicateId, DiagnosticCodes.UnknownKey, DiagnosticCodes.MissingKey], ignoreOrder: true);
    }

    [Fact]
    public void Missing_or_wrong_schema_line_and_a_file_name_without_the_code_are_warnings()
    {
        var def = Definition("construction/1.009792.yaml");
        var text = def.Text!;
        var noLine = def with { Text = text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..] };
        Only(Build(FieldsFile(), noLine), DiagnosticCodes.SchemaLine).Message.ShouldContain("../schema/procedure.schema.json");
        var wrongDepth = def with { RelativePath = "construction/permits/1.009792.yaml" };
        Only(Build(FieldsFile(), wrongDepth), DiagnosticCodes.SchemaLine).Message.ShouldContain("../../schema/procedure.schema.json");
        Only(Build(FieldsFile(), Definition("construction/gpxd.yaml")), DiagnosticCodes.CodeFileName);
    }

    [Fact]
    public void Load_reads_a_folder_and_reports_paths_as_given()
    {
        var root = Path.Combine(Path.GetTempPath(), $"pe-catalog-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "construction"));
            Directory.CreateDirectory(Path.Combine(root, "local", "bac-ninh"));
            Directory.CreateDirectory(Path.Combine(root, "schema"));
            File.WriteAllText(Path.Combine(root, "fields.yaml"), Fields);
            File.WriteAllText(Path.Combine(root, "schema", "procedure.schema.json"), "{}");
            File.WriteAllText(Path.Combine(root, "construction", "1.009792.yaml"), Definition("x").Text!);
            File.WriteAllText(Path.Combine(root, "local", "bac-ninh", "1.009792.yaml"), Overlay("bac-ninh", "timeLimit: 20 working days\n").Text!);
            File.WriteAllBytes(Path.Combine(root, "construction", "1.000001.yaml"), [0x63, 0x3a, 0x20, 0xC3, 0x28]);

            var c = DefinitionCatalog.Load(root);

            c.FileCount.ShouldBe(4);
            c.Diagnostics.Select(d => d.Code).ShouldBe([DiagnosticCodes.NotText, DiagnosticCodes.OverlayLengthens]);
            c.Diagnostics[0].Path.ShouldBe(Path.Combine(root, "construction", "1.000001.yaml"));
            c.Diagnostics[0].Location.ShouldBe(new Model.SourceLocation(1, 4));
            c.Definitions.ShouldHaveSingleItem();
            c.Overlays.ShouldBeEmpty();

            var single = DefinitionCatalog.LoadFiles([Path.Combine(root, "construction", "1.009792.yaml")]);
            single.Diagnostics.ShouldBeEmpty();
            single.Fields.Count.ShouldBe(2);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
