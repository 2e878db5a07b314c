using System.Text.RegularExpressions;
using ProcedureEngine.Definitions.Diagnostics;

namespace ProcedureEngine.Definitions.Tests;

/// <summary>
/// Broken/*.yaml: one defect per file; its header says the code and line the validator must report
/// ("# expect: PE012 line 37"), plus any code that necessarily comes with it ("# also: PE013").
/// </summary>
public partial class BrokenCorpusTests
{
    private static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(TestFiles.Broken, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static TheoryData<string> Files() => new(Names());

    [Fact]
    public void Corpus_covers_many_codes()
    {
        var codes = Names().Select(n => Expectation(Path.Combine(TestFiles.Broken, n)).Code).Distinct().Count();
        codes.ShouldBeGreaterThanOrEqualTo(30);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Broken_definition_is_reported_with_its_code_at_its_line(string name)
    {
        var path = Path.Combine(TestFiles.Broken, name);
        var (code, line, also) = Expectation(path);

        var diagnostics = Validate(path);

        diagnostics.ShouldContain(d => d.Code == code && d.Location.Line == line,
            $"expected {code} at line {line}; got:\n{string.Join("\n", diagnostics)}");
        diagnostics.ShouldAllBe(d => d.Code == code || also.Contains(d.Code),
            $"only {code} (and {string.Join(", ", also)}) expected; got:\n{string.Join("\n", diagnostics)}");
        diagnostics.ShouldAllBe(d => d.Path == path && d.Location.Line > 0 && d.Location.Column > 0);
    }

    private static IReadOnlyList<Diagnostic> Validate(string path)
    {
        var source = DefinitionCatalog.ReadSource(path, Path.GetFileName(path));
        return source.Text is null ? source.Diagnostics! : Validator.Validate(source.Text, path).Diagnostics;
    }

    private static (string Code, int Line, string[] Also) Expectation(string path)
    {
        var header = File.ReadLines(path, System.Text.Encoding.Latin1).Take(4).ToList();
        var expect = header.Select(l => ExpectLine().Match(l)).First(m => m.Success);
        var also = header.Select(l => AlsoLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToArray();
        return (expect.Groups[1].Value, int.Parse(expect.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), also);
    }

    [GeneratedRegex(@"^# expect: (PE\d{3}) line (\d+)")]
    private static partial Regex ExpectLine();

    [GeneratedRegex(@"^# also: (PE\d{3})")]
    private static partial Regex AlsoLine();
}
