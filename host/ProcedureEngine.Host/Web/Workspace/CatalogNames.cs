namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>Names for the ids the read models store: agencies, fields, procedures and steps, from the catalogue.</summary>
public sealed class CatalogNames(DefinitionRegistry registry)
{
    public string Agency(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "";
        }

        var catalog = registry.Catalog;
        return catalog.Agencies.FirstOrDefault(a => a.Id == id)?.Name
            ?? catalog.Definitions.Select(d => d.FindAgency(id)?.Name).FirstOrDefault(n => n is not null)
            ?? id;
    }

    public string? FieldOf(string? procedureCode) =>
        procedureCode is not null && registry.Catalog.Versions(procedureCode) is { Count: > 0 } versions ? versions[^1].Field : null;

    public string Field(string? id) =>
        id is null ? "(không rõ lĩnh vực)" : registry.Catalog.Fields.FirstOrDefault(f => f.Id == id)?.Name ?? id;

    public string Procedure(string? code) =>
        code is not null && registry.Catalog.Versions(code) is { Count: > 0 } versions ? versions[^1].Name : code ?? "(không rõ thủ tục)";

    /// <summary>The codes of every procedure of a field (for a filter by field).</summary>
    public IReadOnlyList<string> ProceduresOfField(string field) =>
        [.. registry.Catalog.Definitions.Where(d => d.Field == field).Select(d => d.Code).Distinct(StringComparer.Ordinal)];

    /// <summary>The codes of every procedure the agency receives as one of its one-stop units (any version).</summary>
    public IReadOnlyList<string> ProceduresReceivedBy(string agency) =>
        [.. registry.Catalog.Definitions.Where(d => d.Agencies.Any(a => a.OneStop && a.Id == agency)).Select(d => d.Code).Distinct(StringComparer.Ordinal)];

    public string Step(string? procedureCode, long? version, string stepId)
    {
        if (procedureCode is null)
        {
            return stepId;
        }

        var definition = version is { } v ? registry.Catalog.Find(procedureCode, (int)v) : null;
        definition ??= registry.Catalog.Versions(procedureCode) is { Count: > 0 } all ? all[^1] : null;
        return definition?.FindStep(stepId)?.Name ?? stepId;
    }
}
