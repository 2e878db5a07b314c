using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ProcedureEngine.Catalogue.Tests;

/// <summary>
/// The repository is self-contained: the national database records the catalogue was written from are
/// inside it (definitions/sources/), unchanged, and nothing the build, the tests or the tools read points
/// outside the repository (a fresh clone has no ../shared beside it).
/// </summary>
public sealed partial class SelfContainedTests
{
    [Fact]
    public void Every_definition_has_its_source_record_inside_the_repository()
    {
        Path.GetFullPath(CatalogueFiles.RecordsDir).ShouldStartWith(Path.GetFullPath(CatalogueFiles.RepoRoot));
        var missing = CatalogueFiles.DefinitionFiles
            .Select(f => CatalogueFiles.ReadYaml(f).Scalar("code")!)
            .Distinct()
            .Where(code => !File.Exists(Path.Combine(CatalogueFiles.RecordsDir, code + ".json")))
            .ToList();
        missing.ShouldBeEmpty("definitions without their national database record in definitions/sources/xay-dung");
    }

    [Fact]
    public void Source_records_are_as_copied_from_the_national_database()
    {
        var sums = File.ReadAllLines(Path.Combine(CatalogueFiles.RecordsDir, "SHA256SUMS"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split("  ", 2))
            .ToDictionary(p => p[1], p => p[0], StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(CatalogueFiles.RecordsDir, "*.json").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        files.SetEquals(sums.Keys).ShouldBeTrue("every record has exactly one checksum line in SHA256SUMS");
        foreach (var (file, sum) in sums)
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(CatalogueFiles.RecordsDir, file))));
            actual.ShouldBe(sum, $"{file} differs from the record as copied");
        }
    }

    [Fact]
    public void Nothing_the_build_tests_or_tools_read_lies_outside_the_repository()
    {
        string[] roots = ["engine", "host", "tests", "tools", "scripts", "designer"];
        string[] kinds = [".cs", ".csproj", ".props", ".py", ".sh", ".js", ".mjs", ".ts", ".json"];
        var offenders = new List<string>();
        foreach (var root in roots.Select(r => Path.Combine(CatalogueFiles.RepoRoot, r)).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var rel = CatalogueFiles.Relative(file);
                if (!kinds.Contains(Path.GetExtension(file)) || rel.Contains("/bin/", StringComparison.Ordinal)
                    || rel.Contains("/obj/", StringComparison.Ordinal) || rel.Contains("node_modules/", StringComparison.Ordinal)
                    || file.EndsWith(nameof(SelfContainedTests) + ".cs", StringComparison.Ordinal))
                {
                    continue;
                }

                var text = File.ReadAllText(file);
                foreach (Match m in OutsidePath().Matches(text))
                {
                    offenders.Add($"{rel}: {m.Value}");
                }
            }
        }

        offenders.ShouldBeEmpty("files that read the workplace's shared folder instead of the repository");
    }

    // "../shared/...", "shared/domain", or the path built piece by piece ("shared", "domain", "national-db").
    [GeneratedRegex(@"\.\./shared\b|shared/(?:domain|spec)|""shared""\s*,\s*""domain""|national-db")]
    private static partial Regex OutsidePath();
}
