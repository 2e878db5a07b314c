using System.Diagnostics;
using System.Text;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Parsing;

namespace ProcedureEngine.Definitions.Tests;

/// <summary>Hostile or broken input always ends in a diagnostic, never an exception, in bounded time.</summary>
public class MalformedInputTests
{
    private static Diagnostic Single(string text, string code)
    {
        var r = Validator.Validate(text, "x.yaml");
        r.HasErrors.ShouldBeTrue();
        var d = r.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe(code);
        return d;
    }

    [Fact]
    public void Empty_text_is_reported_as_an_empty_file()
    {
        Single(string.Empty, DiagnosticCodes.EmptyFile).Location.ShouldBe(new Model.SourceLocation(1, 1));
        Single("   \n\n# only a comment\n", DiagnosticCodes.EmptyFile);
        Single("~\n", DiagnosticCodes.EmptyFile);
    }

    [Fact]
    public void Fifty_megabyte_text_is_refused_before_parsing_in_bounded_time()
    {
        var huge = new StringBuilder(50 * 1024 * 1024 + 100).Append("code: \"1.000001\"\nname: ");
        huge.Append('x', 50 * 1024 * 1024);
        var text = huge.ToString();
        var watch = Stopwatch.StartNew();
        var d = Single(text, DiagnosticCodes.TooLarge);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        d.Message.ShouldContain("limited to 1024 KiB");
    }

    [Fact]
    public void Fifty_megabyte_file_is_refused_without_being_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pe-huge-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var f = File.Create(path))
            {
                f.SetLength(50L * 1024 * 1024);
            }

            var watch = Stopwatch.StartNew();
            var source = DefinitionCatalog.ReadSource(path, "huge.yaml");
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
            source.Text.ShouldBeNull();
            source.Diagnostics.ShouldNotBeNull().ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.TooLarge);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Deep_nesting_is_refused_without_stack_overflow()
    {
        var deep = "steps: " + new string('[', 200_000) + new string(']', 200_000);
        Single(deep, DiagnosticCodes.TooDeep).Location.Line.ShouldBe(1);
        var deepBlock = string.Concat(Enumerable.Range(0, 100).Select(i => new string(' ', i * 2) + "k" + i + ":\n"));
        Single(deepBlock, DiagnosticCodes.TooDeep);
    }

    [Fact]
    public void Alias_bombs_are_refused()
    {
        const string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
        Single(bomb, DiagnosticCodes.AliasOrTag).Location.ShouldBe(new Model.SourceLocation(1, 4));
    }

    [Fact]
    public void Custom_tags_are_refused()
    {
        Single("code: !!binary aGVsbG8=\n", DiagnosticCodes.AliasOrTag);
    }

    [Fact]
    public void Wrong_types_are_reported_at_the_value()
    {
        var r = Validator.Validate("code: \"1.000001\"\nversion: [1]\nname: {a: b}\nsteps: 3\n", "x.yaml");
        r.Diagnostics.Where(d => d.Code == DiagnosticCodes.WrongType).Select(d => d.Location.Line).ShouldBe([2, 3, 4]);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20260424);
        var buffer = new byte[2048];
        for (var i = 0; i < 300; i++)
        {
            random.NextBytes(buffer);
            var source = DefinitionCatalog.Decode("r.yaml", "r.yaml", buffer.AsSpan(0, random.Next(1, buffer.Length)));
            var diagnostics = source.Text is null ? source.Diagnostics! : Validator.Validate(source.Text, "r.yaml").Diagnostics;
            diagnostics.ShouldNotBeEmpty();
        }
    }

    [Fact]
    public void Mutated_valid_definitions_never_throw_and_always_point_inside_the_file()
    {
        var valid = TestFiles.Fixture("spec-example.yaml");
        var random = new Random(7);
        const string alphabet = " \t\n:-[]{}#&*!|>'\"%@`,?x1";
        for (var i = 0; i < 500; i++)
        {
            var chars = valid.ToCharArray();
            for (var k = 0; k < 3; k++)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars);
            var lines = text.Split('\n').Length;
            var r = Validator.Validate(text, "m.yaml");
            r.Diagnostics.ShouldAllBe(d => d.Location.Line >= 1 && d.Location.Line <= lines + 1 && d.Location.Column >= 1);
        }
    }

    [Fact]
    public void Overlay_parser_rejects_a_definition_and_definition_parser_rejects_an_overlay()
    {
        DefinitionParser.ParseDefinition(TestFiles.Fixture("spec-overlay.yaml"), "o.yaml").HasErrors.ShouldBeTrue();
        DefinitionParser.ParseOverlay(TestFiles.Fixture("spec-example.yaml"), "d.yaml").HasErrors.ShouldBeTrue();
    }
}
