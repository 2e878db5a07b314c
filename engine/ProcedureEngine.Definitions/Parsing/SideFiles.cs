using System.Collections.Frozen;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;

namespace ProcedureEngine.Definitions.Parsing;

/// <summary>A field (lĩnh vực) of definitions/fields.yaml.</summary>
public sealed record FieldDecl(string Id, string Name)
{
    public SourceLocation Location { get; init; }
}

/// <summary>A unit of the provincial structure in definitions/agencies.yaml.</summary>
public sealed record ProvincialAgency(string Id, string Name, string? Code, bool OneStop, AgencyKind Kind)
{
    public SourceLocation Location { get; init; }
}

public enum AgencyKind
{
    OneStop,
    Department,
    District,
    Commune,
    Police,
    Other,
}

/// <summary>Readers for the catalogue's side files: fields.yaml and agencies.yaml.</summary>
public static class SideFileParser
{
    private static readonly FrozenSet<string> FieldsTop = FrozenSet.ToFrozenSet(["fields"]);
    private static readonly FrozenSet<string> FieldKeys = FrozenSet.ToFrozenSet(["id", "name"]);
    private static readonly FrozenSet<string> AgenciesTop = FrozenSet.ToFrozenSet(["agencies"]);
    private static readonly FrozenSet<string> AgencyKeys = FrozenSet.ToFrozenSet(["id", "name", "code", "oneStop", "kind"]);
    private static readonly FrozenDictionary<string, AgencyKind> Kinds = new Dictionary<string, AgencyKind>
    {
        ["one-stop"] = AgencyKind.OneStop,
        ["department"] = AgencyKind.Department,
        ["district"] = AgencyKind.District,
        ["commune"] = AgencyKind.Commune,
        ["police"] = AgencyKind.Police,
        ["other"] = AgencyKind.Other,
    }.ToFrozenDictionary();

    public static ParseResult<IReadOnlyList<FieldDecl>> ParseFields(string text, string path)
    {
        var bag = new DiagnosticBag(path);
        var list = Read(text, bag, "fields", FieldsTop, FieldKeys, (r, m) =>
        {
            var id = r.Text(r.Required(m, "id", "a field"), "field id");
            var name = r.Text(r.Required(m, "name", "a field"), "field name");
            return id is null ? null : new FieldDecl(id, name ?? string.Empty) { Location = m.Location };
        });
        return new ParseResult<IReadOnlyList<FieldDecl>>(list, bag.Sorted());
    }

    public static ParseResult<IReadOnlyList<ProvincialAgency>> ParseAgencies(string text, string path)
    {
        var bag = new DiagnosticBag(path);
        var list = Read(text, bag, "agencies", AgenciesTop, AgencyKeys, (r, m) =>
        {
            var id = r.Text(r.Required(m, "id", "an agency"), "agency id");
            var name = r.Text(r.Required(m, "name", "an agency"), "agency name");
            var code = m.Get("code") is { } c ? r.Text(c, "agency code") : null;
            var oneStop = m.Get("oneStop") is { } o ? r.Bool(o, "oneStop") : false;
            var kind = m.Get("kind") is { } k ? r.Enum(k, "kind", Kinds) : AgencyKind.Other;
            return id is null ? null : new ProvincialAgency(id, name ?? string.Empty, code, oneStop ?? false, kind ?? AgencyKind.Other) { Location = m.Location };
        });
        return new ParseResult<IReadOnlyList<ProvincialAgency>>(list, bag.Sorted());
    }

    private static List<T>? Read<T>(string text, DiagnosticBag bag, string key, FrozenSet<string> top, FrozenSet<string> itemKeys, Func<NodeReader, YMapping, T?> read)
        where T : class
    {
        var root = YamlTreeReader.Read(text, bag);
        if (root is null)
        {
            return null;
        }

        var r = new NodeReader(bag);
        var map = r.Mapping(root, $"{key}.yaml");
        if (map is null)
        {
            return null;
        }

        r.OnlyKeys(map, $"{key}.yaml", top);
        var seq = r.Sequence(r.Required(map, key, $"{key}.yaml"), key);
        if (seq is null)
        {
            return null;
        }

        var result = new List<T>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in seq.Items)
        {
            var m = r.Mapping(item, $"each entry of {key}");
            if (m is null)
            {
                continue;
            }

            r.OnlyKeys(m, $"an entry of {key}", itemKeys);
            var value = read(r, m);
            if (value is null)
            {
                continue;
            }

            var id = m.Get("id") is YScalar s ? s.Value : string.Empty;
            if (!ids.Add(id))
            {
                bag.Error(m.Get("id")!.Location, DiagnosticCodes.DuplicateId, $"id '{id}' is listed twice in {key}");
                continue;
            }

            result.Add(value);
        }

        return result;
    }
}
