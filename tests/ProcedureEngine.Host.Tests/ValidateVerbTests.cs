using System.Diagnostics;
using System.Text;

namespace ProcedureEngine.Host.Tests;

/// <summary>Runs the real `procedure-engine validate` executable, as an administrator would.</summary>
public sealed class ValidateVerbTests : IDisposable
{
    private static readonly string RepositoryRoot = Repository.Root;

    private static (int Exit, string Output, string Error) Run(string workingDirectory, params string[] args) => Cli.Run(workingDirectory, args, 60);
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("pe-validate-");

    public void Dispose() => temp.Delete(recursive: true);

    [Fact]
    public void Repository_definitions_validate_with_exit_code_0_and_a_summary()
    {
        var (exit, output, error) = Run(RepositoryRoot, "validate", "definitions");
        error.ShouldBeEmpty();
        exit.ShouldBe(0, output);
        var summary = output.TrimEnd().Split('\n')[^1];
        summary.ShouldMatch(@"^\d+ files, 0 errors, \d+ warnings?$");
        output.ShouldNotContain(": error ");
    }

    [Fact]
    public void Errors_print_one_line_each_with_location_then_the_summary_and_exit_1()
    {
        var spec = File.ReadAllText(Path.Combine(RepositoryRoot, "tests", "ProcedureEngine.Definitions.Tests", "Fixtures", "spec-example.yaml"));
        Write("gpxd.yaml", spec.Replace("after: [appraise, consult-fire]", "after: [apraise, consult-fire]", StringComparison.Ordinal)
            .Replace("level: province", "level: provincial", StringComparison.Ordinal));
        Write("ok.yaml", spec.Replace("version: 3 ", "version: 4 ", StringComparison.Ordinal).Replace("from: 2021-03-03", "from: 2031-01-01", StringComparison.Ordinal)
            .Replace("  until: 2030-12-31", string.Empty, StringComparison.Ordinal));

        var (exit, output, error) = Run(temp.FullName, "validate", ".");

        exit.ShouldBe(1);
        error.ShouldBeEmpty();
        var lines = output.TrimEnd().Split('\n');
        lines.ShouldContain("./gpxd.yaml:60:13: error PE012: step 'sign' lists unknown predecessor 'apraise'; did you mean 'appraise'?");
        lines.ShouldContain(l => l.StartsWith("./gpxd.yaml:7:8: error PE021: level 'provincial'", StringComparison.Ordinal));
        lines[^1].ShouldStartWith("2 files, 2 errors, ");
        output.ShouldNotContain("   at ");
    }

    [Fact]
    public void Binary_and_oversized_files_are_reported_not_thrown()
    {
        File.WriteAllBytes(Path.Combine(temp.FullName, "garbage.yaml"), [0xff, 0xfe, 0x00, 0x12, 0x89]);
        using (var f = File.Create(Path.Combine(temp.FullName, "huge.yaml")))
        {
            f.SetLength(50L * 1024 * 1024);
        }

        var (exit, output, _) = Run(temp.FullName, "validate", "garbage.yaml", "huge.yaml");

        exit.ShouldBe(1);
        output.ShouldContain("garbage.yaml:1:1: error PE004:");
        output.ShouldContain("huge.yaml:1:1: error PE005:");
        output.ShouldNotContain("Exception");
    }

    [Fact]
    public void No_path_is_bad_usage_with_exit_code_2()
    {
        var (exit, output, error) = Run(temp.FullName, "validate");
        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain("usage: procedure-engine validate PATH...");
    }

    [Fact]
    public void Missing_path_is_bad_usage_with_exit_code_2()
    {
        var (exit, _, error) = Run(temp.FullName, "validate", "no-such-folder");
        exit.ShouldBe(2);
        error.ShouldContain("'no-such-folder' not found");
    }

    [Fact]
    public void Warnings_alone_keep_exit_code_0()
    {
        var spec = File.ReadAllText(Path.Combine(RepositoryRoot, "tests", "ProcedureEngine.Definitions.Tests", "Fixtures", "spec-example.yaml"));
        Write("1.009792.yaml", spec.Replace("oneStop: true", "oneStop: false", StringComparison.Ordinal));
        var (exit, output, _) = Run(temp.FullName, "validate", "1.009792.yaml");
        exit.ShouldBe(0, output);
        output.ShouldContain("warning PE018");
        output.TrimEnd().Split('\n')[^1].ShouldBe("1 file, 0 errors, 3 warnings");
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(temp.FullName, name), text);
}
