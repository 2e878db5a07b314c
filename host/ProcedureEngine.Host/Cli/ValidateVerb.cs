using System.CommandLine;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine validate PATH...`: validates definition files and folders (recursively),
/// printing one line per problem (`path:line:column: error|warning CODE: message`) and a summary.
/// Exit code 0 clean (warnings allowed), 1 errors, 2 bad usage.
/// </summary>
internal static class ValidateVerb
{
    public const int Clean = 0;
    public const int Errors = 1;
    public const int BadUsage = 2;

    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Definition files or folders (searched recursively for .yaml/.yml)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("validate", "Validate procedure definitions, overlays, fields.yaml and agencies.yaml; report every problem with its line and column")
        {
            paths,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            if (parse.UnmatchedTokens.Count > 0)
            {
                Console.Error.WriteLine($"validate: unknown option {string.Join(" ", parse.UnmatchedTokens)}");
                Console.Error.WriteLine("usage: procedure-engine validate PATH...");
                return BadUsage;
            }

            return Run(parse.GetValue(paths) ?? [], Console.Out, Console.Error);
        });
        return command;
    }

    public static int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
    {
        if (paths.Count == 0)
        {
            error.WriteLine("validate: no PATH given");
            error.WriteLine("usage: procedure-engine validate PATH...   (definition files or folders)");
            return BadUsage;
        }

        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                error.WriteLine($"validate: '{path}' not found");
                return BadUsage;
            }
        }

        var catalog = DefinitionCatalog.LoadFiles(files);
        foreach (var d in catalog.Diagnostics)
        {
            output.WriteLine(d.ToString());
        }

        output.WriteLine($"{Plural(catalog.FileCount, "file")}, {Plural(catalog.ErrorCount, "error")}, {Plural(catalog.WarningCount, "warning")}");
        return catalog.HasErrors ? Errors : Clean;
    }

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}
