using System.Reflection;
using System.Text.RegularExpressions;
using ProcedureEngine.Definitions.Diagnostics;

namespace ProcedureEngine.Definitions.Tests;

public partial class DiagnosticCodesDocTests
{
    [Fact]
    public void Every_code_is_documented_once_in_the_table_and_the_table_has_no_unknown_code()
    {
        var doc = File.ReadAllText(Path.Combine(TestFiles.RepoRoot, "docs", "diagnostics.md"));
        var documented = TableRow().Matches(doc).Select(m => m.Groups[1].Value).ToList();
        var defined = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetValue(null)!).ToList();

        defined.Distinct().Count().ShouldBe(defined.Count, "two constants share a code");
        documented.Distinct().Count().ShouldBe(documented.Count, "a code has two rows");
        documented.ShouldBe(defined, ignoreOrder: true);
    }

    [Fact]
    public void Every_code_has_a_Vietnamese_title_for_the_designer()
    {
        var defined = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

        DiagnosticTitles.Codes.ShouldBe(defined, ignoreOrder: true);
        defined.ShouldAllBe(code => DiagnosticTitles.For(code)!.Length > 5 && DiagnosticTitles.For(code)!.Trim() == DiagnosticTitles.For(code));
        DiagnosticTitles.For(DiagnosticCodes.LongestPathExceedsLimit).ShouldBe("Tổng thời gian các bước vượt thời hạn giải quyết");
        DiagnosticTitles.For("PE999").ShouldBeNull();
    }

    [GeneratedRegex(@"^\| (PE0\d\d) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
