using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ProcedureEngine.Catalogue.Tests;

/// <summary>Locates the repository's definitions/ and the national database records it was drawn from (definitions/sources/), and reads both.</summary>
internal static partial class CatalogueFiles
{
    public static string RepoRoot { get; } = FindUp(d => File.Exists(Path.Combine(d, "ProcedureEngine.sln")))
        ?? throw new InvalidOperationException("ProcedureEngine.sln not found above " + AppContext.BaseDirectory);

    public static string DefinitionsDir => Path.Combine(RepoRoot, "definitions");

    /// <summary>The national procedure database records the catalogue was written from, kept inside the repository.</summary>
    public static string RecordsDir => Path.Combine(DefinitionsDir, "sources", "xay-dung");

    /// <summary>Procedure definition files (not fields/agencies, calendars, schema or local overlays).</summary>
    public static IReadOnlyList<string> DefinitionFiles { get; } = Directory
        .EnumerateFiles(DefinitionsDir, "*.yaml", SearchOption.AllDirectories)
        .Where(f =>
        {
            var rel = Path.GetRelativePath(DefinitionsDir, f).Replace('\\', '/');
            return rel.Contains('/', StringComparison.Ordinal) && !rel.StartsWith("local/", StringComparison.Ordinal)
                && !rel.StartsWith("calendars/", StringComparison.Ordinal) && !rel.StartsWith("schema/", StringComparison.Ordinal)
                && !rel.StartsWith("sources/", StringComparison.Ordinal);
        })
        .Order(StringComparer.Ordinal)
        .ToList();

    public static IReadOnlyList<string> OverlayFiles { get; } = Directory.Exists(Path.Combine(DefinitionsDir, "local"))
        ? Directory.EnumerateFiles(Path.Combine(DefinitionsDir, "local"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
        : [];

    public static string Relative(string path) => Path.GetRelativePath(RepoRoot, path).Replace('\\', '/');

    public static YamlMappingNode ReadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static string? Scalar(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    public static YamlNode? Child(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    public static IEnumerable<YamlMappingNode> Items(this YamlMappingNode node, string key) =>
        node.Child(key) is YamlSequenceNode seq ? seq.Children.OfType<YamlMappingNode>() : [];

    public static SourceRecord Record(string code) => SourceRecord.Load(Path.Combine(RecordsDir, code + ".json"));

    public static IEnumerable<SourceRecord> AllRecords() =>
        Directory.EnumerateFiles(RecordsDir, "*.json").Select(SourceRecord.Load);

    public static string Normalize(string text) => Spaces().Replace(text, " ").Trim().TrimEnd('.').Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static string? FindUp(Func<string, bool> found)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (found(dir.FullName))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

/// <summary>One record of the national procedure database, with its time limits parsed from the channel table.</summary>
internal sealed partial record SourceRecord(string Code, string Name, string Level, string Field, string Channels, string LegalBasis, string Path)
{
    /// <summary>The record's "trình tự thực hiện" (sequence), where case-dependent limits are stated.</summary>
    public string Sequence { get; init; } = "";
}

internal sealed partial record SourceRecord
{
    public static SourceRecord Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var r = doc.RootElement;
        string S(string k) => r.GetProperty(k).GetString() ?? "";
        return new SourceRecord(S("ma_thu_tuc"), S("ten_thu_tuc"), S("cap_thuc_hien"), S("linh_vuc"), S("cach_thuc_thuc_hien"), S("can_cu_phap_ly"), path)
        {
            Sequence = S("trinh_tu_thuc_hien"),
        };
    }

    /// <summary>Every limit of the channel table ("Trực tuyến20 Ngày", "Trực tiếp5 Ngày làm việc") as (amount, unit).</summary>
    public IReadOnlyList<(decimal Amount, string Unit)> Limits =>
        LimitPattern().Matches(Channels)
            .Select(m => (decimal.Parse(m.Groups[2].Value.Replace(',', '.'), CultureInfo.InvariantCulture), m.Groups[3].Value))
            .ToList();

    /// <summary>The longest limit, written the way a definition writes it ("20 days", "5 working days").</summary>
    public string LongestLimitAsDuration
    {
        get
        {
            var (amount, unit) = Limits.MaxBy(l => l.Amount);
            return unit switch
            {
                "Ngày làm việc" => $"{amount.ToString(CultureInfo.InvariantCulture)} working days",
                "Ngày" => $"{amount.ToString(CultureInfo.InvariantCulture)} days",
                _ => throw new InvalidOperationException($"{Code}: unsupported unit '{unit}'"),
            };
        }
    }

    public bool IsProvincial => Level.Contains("Cấp tỉnh", StringComparison.Ordinal);

    public IReadOnlyList<string> Levels => [.. Level.Split(',').Select(l => l.Trim() switch
    {
        "Cấp bộ" => "ministry",
        "Cấp tỉnh" => "province",
        "Cấp xã" => "commune",
        _ => "other",
    })];

    /// <summary>Codes of the legal documents the record lists (e.g. "175/2024/NĐ-CP").</summary>
    public IReadOnlySet<string> LegalCodes => LawCode().Matches(LegalBasis).Select(m => m.Value).ToHashSet();

    [GeneratedRegex(@"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)\s*([\d.,]+)\s*(Ngày làm việc|Ngày|Giờ|Tháng)")]
    private static partial Regex LimitPattern();

    [GeneratedRegex(@"\d+/\d{4}/(?:QH\d{2}|NĐ-CP|NQ-CP|TT-(?:BGTVT|BXD|BTC|BNNMT|BTNMT|BCA|BNV|BCT|BTP))")]
    private static partial Regex LawCode();
}
