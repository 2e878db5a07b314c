using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ProcedureEngine.Definitions.Diagnostics;

namespace ProcedureEngine.Definitions.Tests;

/// <summary>
/// Broken/syntax/*.yaml: one YAML syntax error per file (unclosed brackets and quotes, bad indentation, stray colons,
/// tabs, reserved characters, a byte-order mark mid-file). The header says where the reader must stop and what it
/// must say it expected ("# expect: PE001 line 13 column 3", "# says: ..."). Each file is read as written (LF), with
/// Windows line ends (CRLF) and with a byte-order mark in front: the answer is the same line, column and reason.
/// </summary>
public partial class YamlSyntaxCorpusTests
{
    private static string Folder => Path.Combine(TestFiles.Broken, "syntax");

    private static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Folder, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Names())
        {
            foreach (var variant in new[] { "lf", "crlf", "bom" })
            {
                data.Add(name, variant);
            }
        }

        return data;
    }

    [Fact]
    public void The_corpus_holds_at_least_twenty_syntax_errors()
    {
        Names().Count().ShouldBeGreaterThanOrEqualTo(20);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_syntax_error_names_the_line_and_column_where_reading_stopped_and_what_was_expected(string name, string variant)
    {
        var path = Path.Combine(Folder, name);
        var text = File.ReadAllText(path, new UTF8Encoding(false, true));
        var (line, column, says) = Expectation(text);
        var bytes = variant switch
        {
            "crlf" => Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)),
            "bom" => [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)],
            _ => Encoding.UTF8.GetBytes(text),
        };

        var watch = Stopwatch.StartNew();
        var source = DefinitionCatalog.Decode(path, name, bytes);
        source.Text.ShouldNotBeNull();
        var diagnostics = Validator.Validate(source.Text, path).Diagnostics;
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));

        var found = string.Join("\n", diagnostics);
        var d = diagnostics.ShouldHaveSingleItem(found);
        (d.Code, d.Location.Line, d.Location.Column).ShouldBe((DiagnosticCodes.YamlSyntax, line, column), found);
        d.Message.ShouldContain(says, Case.Sensitive, found);
        d.Message.ShouldNotContain("current state of the object");
        d.Message.ShouldNotContain("Exception");
    }

    private static (int Line, int Column, string Says) Expectation(string text)
    {
        var header = text.Split('\n').Take(3).ToArray();
        var expect = ExpectLine().Match(header[1]);
        expect.Success.ShouldBeTrue($"second line must be '# expect: PE001 line L column C', is '{header[1]}'");
        header[2].ShouldStartWith("# says: ");
        return (int.Parse(expect.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(expect.Groups[2].Value, CultureInfo.InvariantCulture), header[2]["# says: ".Length..]);
    }

    [GeneratedRegex(@"^# expect: PE001 line (\d+) column (\d+)$")]
    private static partial Regex ExpectLine();
}
