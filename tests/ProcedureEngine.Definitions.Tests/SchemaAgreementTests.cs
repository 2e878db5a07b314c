using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Parsing;

namespace ProcedureEngine.Definitions.Tests;

/// <summary>
/// definitions/schema/*.schema.json (what an editor checks while typing) and the validator agree:
/// both accept every sample file, the schema rejects every broken file whose defect is one of shape,
/// and accepts the ones whose defect only the validator can see (graph, cross-references, time).
/// The schema is checked with ajv under node (tests/schema-check, installed by ./test.sh with npm ci).
/// </summary>
public partial class SchemaAgreementTests
{
    /// <summary>Codes of defects a JSON Schema expresses (syntax, keys, types, enumerations, patterns).</summary>
    private static readonly HashSet<string> ShapeCodes =
    [
        DiagnosticCodes.YamlSyntax, DiagnosticCodes.DuplicateKey, DiagnosticCodes.EmptyFile, DiagnosticCodes.NotText,
        DiagnosticCodes.MultipleDocuments, DiagnosticCodes.NotAMapping, DiagnosticCodes.UnknownKey, DiagnosticCodes.MissingKey,
        DiagnosticCodes.WrongType, DiagnosticCodes.InvalidValue, DiagnosticCodes.InvalidDuration, DiagnosticCodes.InvalidVersion,
        DiagnosticCodes.Empty, DiagnosticCodes.InvalidId, DiagnosticCodes.MalformedCondition, DiagnosticCodes.InvalidEnumValues,
    ];

    /// <summary>Broken files whose defect is of shape but beyond JSON Schema, and why.</summary>
    private static readonly Dictionary<string, string> SchemaBlind = new()
    {
        ["anchor.yaml"] = "JSON Schema sees the resolved data, not YAML anchors",
        ["invalid-date.yaml"] = "the pattern checks the form YYYY-MM-DD, not that February 30 does not exist",
        ["calendar-days-fraction.yaml"] = "one duration pattern serves all units; whole calendar days are the validator's rule",
    };

    [Fact]
    public void Schema_agrees_with_the_validator_on_every_sample_and_repository_file()
    {
        var files = Directory.EnumerateFiles(Path.Combine(TestFiles.RepoRoot, "definitions"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => !Regex.IsMatch(f, @"[/\\](calendars|schema)[/\\]") && Path.GetFileName(f) is not ("fields.yaml" or "agencies.yaml"))
            .Append(Path.Combine(TestFiles.Fixtures, "spec-example.yaml"))
            .Append(Path.Combine(TestFiles.Fixtures, "spec-example-vi.yaml"))
            .Append(Path.Combine(TestFiles.Fixtures, "spec-overlay.yaml"))
            .ToList();
        files.Count.ShouldBeGreaterThan(2);

        var results = SchemaCheck(files);

        foreach (var file in files)
        {
            var validator = Validator.Validate(File.ReadAllText(file), file);
            validator.HasErrors.ShouldBeFalse(string.Join("\n", validator.Diagnostics));
            results[file].Valid.ShouldBeTrue($"{file}: schema says {string.Join("; ", results[file].Errors)}");
        }
    }

    [Fact]
    public void Schema_rejects_shape_defects_and_leaves_semantic_ones_to_the_validator()
    {
        var files = Directory.EnumerateFiles(TestFiles.Broken, "*.yaml").Order(StringComparer.Ordinal).ToList();
        var results = SchemaCheck(files);
        var disagreements = new List<string>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var code = ExpectedCode().Match(File.ReadAllText(file, System.Text.Encoding.Latin1)).Groups[1].Value;
            var schemaShouldReject = ShapeCodes.Contains(code) && !SchemaBlind.ContainsKey(name);
            if (results[file].Valid == schemaShouldReject)
            {
                disagreements.Add($"{name} ({code}): schema {(results[file].Valid ? "accepts" : "rejects: " + string.Join("; ", results[file].Errors))}");
            }
        }

        disagreements.ShouldBeEmpty();
    }

    [Fact]
    public void Schema_lists_exactly_the_keys_the_parser_accepts()
    {
        using var procedure = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestFiles.RepoRoot, "definitions", "schema", "procedure.schema.json")));
        using var overlay = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestFiles.RepoRoot, "definitions", "schema", "overlay.schema.json")));
        var p = procedure.RootElement.GetProperty("properties");
        Keys(p).ShouldBe(DefinitionParser.TopKeys, ignoreOrder: true);
        Keys(p.GetProperty("effective").GetProperty("properties")).ShouldBe(DefinitionParser.EffectiveKeys, ignoreOrder: true);
        Keys(p.GetProperty("fee").GetProperty("properties")).ShouldBe(DefinitionParser.FeeKeys, ignoreOrder: true);
        Keys(ItemProperties(p, "agencies")).ShouldBe(DefinitionParser.AgencyKeys, ignoreOrder: true);
        Keys(ItemProperties(p, "inputs")).ShouldBe(DefinitionParser.InputKeys, ignoreOrder: true);
        Keys(ItemProperties(p, "documents")).ShouldBe(DefinitionParser.DocumentKeys, ignoreOrder: true);
        Keys(ItemProperties(p, "steps")).ShouldBe(DefinitionParser.StepKeys, ignoreOrder: true);
        Keys(overlay.RootElement.GetProperty("properties")).ShouldBe(DefinitionParser.OverlayKeys, ignoreOrder: true);
    }

    [Fact]
    public void Every_repository_definition_points_its_editor_at_the_schema()
    {
        var root = Path.Combine(TestFiles.RepoRoot, "definitions");
        foreach (var file in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
                     .Where(f => !Regex.IsMatch(f, @"[/\\](calendars|schema)[/\\]") && Path.GetFileName(f) is not ("fields.yaml" or "agencies.yaml")))
        {
            var first = File.ReadLines(file).First();
            var m = Regex.Match(first, @"^# yaml-language-server: \$schema=(\S+)$");
            m.Success.ShouldBeTrue($"{file}: first line is '{first}'");
            File.Exists(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, m.Groups[1].Value))).ShouldBeTrue($"{file}: {m.Groups[1].Value} does not exist");
        }
    }

    private static IEnumerable<string> Keys(JsonElement properties) => properties.EnumerateObject().Select(x => x.Name);

    private static JsonElement ItemProperties(JsonElement properties, string list) =>
        properties.GetProperty(list).GetProperty("items").GetProperty("properties");

    private sealed record SchemaResult(bool Valid, string[] Errors);

    private static Dictionary<string, SchemaResult> SchemaCheck(IReadOnlyList<string> files)
    {
        var dir = Path.Combine(TestFiles.RepoRoot, "tests", "schema-check");
        File.Exists(Path.Combine(dir, "node_modules", "ajv", "package.json"))
            .ShouldBeTrue($"ajv is not installed: run 'npm ci' in {dir} (./test.sh does)");
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("check.mjs");
        info.ArgumentList.Add(Path.Combine(TestFiles.RepoRoot, "definitions", "schema"));
        foreach (var f in files)
        {
            info.ArgumentList.Add(f);
        }

        using var process = Process.Start(info).ShouldNotBeNull("node could not be started");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit(120_000).ShouldBeTrue("schema check did not finish within 120 s");
        process.ExitCode.ShouldBe(0, error.Result);
        var results = new Dictionary<string, SchemaResult>(StringComparer.Ordinal);
        foreach (var line in output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            results[r.GetProperty("file").GetString()!] = new SchemaResult(
                r.GetProperty("valid").GetBoolean(),
                [.. r.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)]);
        }

        results.Count.ShouldBe(files.Count);
        return results;
    }

    [GeneratedRegex(@"# expect: (PE\d{3})")]
    private static partial Regex ExpectedCode();
}
