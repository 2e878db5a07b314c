using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using ProcedureEngine.Definitions;
using ProcedureEngine.Definitions.Parsing;
using YamlDotNet.RepresentationModel;

namespace ProcedureEngine.Benchmarks;

/// <summary>
/// Validating one province's catalogue: 1,536 definitions (the size of a provincial one-stop centre's
/// list), generated in memory from the repository's real definitions (each copy gets its own code and
/// name). Baseline: YamlDotNet parsing the same texts to its representation model, nothing else.
/// "catalogue" is the full validation: YAML with locations, model, every per-file rule (DAG, conditions,
/// longest path) and the cross-file rules (versions, fields.yaml, schema line).
/// </summary>
[MemoryDiagnoser]
public partial class DefinitionsValidationBenchmarks
{
    private const int Count = 1536;
    private readonly List<SourceFile> sources = [];
    private string[] texts = [];

    [GlobalSetup]
    public void Setup()
    {
        var root = Path.Combine(FindRepositoryRoot(), "definitions");
        var templates = Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !Regex.IsMatch(f, @"[/\\](calendars|schema|local)[/\\]") && Path.GetFileName(f) is not ("fields.yaml" or "agencies.yaml"))
            .Order(StringComparer.Ordinal)
            .Select(f => (Folder: Path.GetFileName(Path.GetDirectoryName(f))!, Text: File.ReadAllText(f)))
            .ToList();
        if (templates.Count == 0)
        {
            throw new InvalidOperationException($"no definitions under {root}");
        }

        texts = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            var (folder, template) = templates[i % templates.Count];
            var code = $"9.{i + 1:D6}";
            var text = CodeLine().Replace(template, $"code: \"{code}\"", 1);
            text = NameLine().Replace(text, m => RenameCopy(m, i + 1), 1);
            texts[i] = text;
            sources.Add(new SourceFile($"definitions/{folder}/{code}.yaml", $"{folder}/{code}.yaml", text));
        }

        sources.Add(new SourceFile("definitions/fields.yaml", "fields.yaml", File.ReadAllText(Path.Combine(root, "fields.yaml"))));
        var check = DefinitionCatalog.Build(sources);
        if (check.HasErrors || check.Definitions.Count != Count)
        {
            throw new InvalidOperationException($"generated catalogue is not clean: {check.Definitions.Count} definitions, first problem: {check.Diagnostics.FirstOrDefault(d => d.IsError)}");
        }
    }

    [Benchmark(Baseline = true, Description = "YamlDotNet: parse 1,536 texts to YamlStream")]
    public int YamlDotNetParseOnly()
    {
        var nodes = 0;
        foreach (var text in texts)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            nodes += stream.Documents.Count;
        }

        return nodes;
    }

    [Benchmark(Description = "ParseDefinition: 1,536 texts, per-file rules")]
    public int ParseEachDefinition()
    {
        var ok = 0;
        foreach (var text in texts)
        {
            ok += DefinitionParser.ParseDefinition(text, "d.yaml").HasErrors ? 0 : 1;
        }

        return ok;
    }

    [Benchmark(Description = "DefinitionCatalog.Build: 1,536 definitions, all rules")]
    public int ValidateCatalogue() => DefinitionCatalog.Build(sources).Definitions.Count;

    [GeneratedRegex(@"^code: .*$", RegexOptions.Multiline)]
    private static partial Regex CodeLine();

    [GeneratedRegex(@"^name: (.*)$", RegexOptions.Multiline)]
    private static partial Regex NameLine();

    /// <summary>Appends " (bản N)" to a one-line name, plain or quoted; block names are left as they are.</summary>
    private static string RenameCopy(Match m, int n)
    {
        var value = m.Groups[1].Value.TrimEnd();
        return value switch
        {
            ['"', .., '"'] or ['\'', .., '\''] => $"name: {value[..^1]} (bản {n}){value[^1]}",
            ['>' or '|', ..] => m.Value,
            _ when value.Contains(" #", StringComparison.Ordinal) => m.Value,
            _ => $"name: {value} (bản {n})",
        };
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProcedureEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (with ProcedureEngine.sln) not found");
    }
}
