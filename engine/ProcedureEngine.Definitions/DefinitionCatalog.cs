using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Definitions.Parsing;
using ProcedureEngine.Definitions.Validation;

namespace ProcedureEngine.Definitions;

/// <summary>
/// One file of a catalogue, already read. <paramref name="Path"/> is what diagnostics print;
/// <paramref name="RelativePath"/> (relative to the catalogue root, '/' separators) decides what the
/// file is: calendars/ and schema/ are skipped, local/ holds overlays, fields.yaml and agencies.yaml
/// are side files, everything else is a procedure definition. <paramref name="Diagnostics"/> carries
/// problems found while reading it (too large, not UTF-8); such a file has no text.
/// </summary>
public sealed record SourceFile(string Path, string RelativePath, string? Text, IReadOnlyList<Diagnostic>? Diagnostics = null);

/// <summary>
/// Every procedure definition and local overlay of a catalogue (definitions/), with every problem
/// found in them, per file and across files. Only definitions and overlays without errors are
/// listed in <see cref="Definitions"/> and <see cref="Overlays"/>: a definition with an error can't
/// be published and can't start a dossier. Build is pure; <see cref="Load"/> reads the files.
/// </summary>
public sealed partial class DefinitionCatalog
{
    private readonly Dictionary<string, List<ProcedureDefinition>> byCode;

    private DefinitionCatalog(IReadOnlyList<ProcedureDefinition> definitions, IReadOnlyList<LocalOverlay> overlays,
        IReadOnlyList<Diagnostic> diagnostics, int fileCount, IReadOnlyList<FieldDecl> fields, IReadOnlyList<ProvincialAgency> agencies)
    {
        Definitions = definitions;
        Overlays = overlays;
        Diagnostics = diagnostics;
        FileCount = fileCount;
        Fields = fields;
        Agencies = agencies;
        byCode = definitions.GroupBy(d => d.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.Version).ToList(), StringComparer.Ordinal);
    }

    /// <summary>Definitions without errors, ordered by code then version.</summary>
    public IReadOnlyList<ProcedureDefinition> Definitions { get; }

    /// <summary>Local overlays without errors.</summary>
    public IReadOnlyList<LocalOverlay> Overlays { get; }

    /// <summary>The jurisdictions the local overlays name (e.g. "son-ha"), sorted: the only values a dossier's jurisdiction may take.</summary>
    public IReadOnlyList<string> Jurisdictions => field ??= [.. Overlays.Select(o => o.Jurisdiction).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Every problem, per file and across files, ordered by path, line and column.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>How many files were examined (definitions, overlays and side files).</summary>
    public int FileCount { get; }

    /// <summary>Fields of the catalogue's root fields.yaml (and any nested ones).</summary>
    public IReadOnlyList<FieldDecl> Fields { get; }

    /// <summary>The provincial structure of agencies.yaml, if any.</summary>
    public IReadOnlyList<ProvincialAgency> Agencies { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public int ErrorCount => Diagnostics.Count(d => d.IsError);

    public int WarningCount => Diagnostics.Count(d => !d.IsError);

    /// <summary>All valid versions of a procedure, oldest first.</summary>
    public IReadOnlyList<ProcedureDefinition> Versions(string code) =>
        byCode.TryGetValue(code, out var list) ? list : [];

    public ProcedureDefinition? Find(string code, int version) =>
        Versions(code).FirstOrDefault(d => d.Version == version);

    /// <summary>
    /// The version of <paramref name="code"/> in effect for a dossier received on <paramref name="receivedOn"/>,
    /// with the overlay of <paramref name="jurisdiction"/> in effect that day applied (when there is one);
    /// null when no version is in effect.
    /// </summary>
    public ProcedureDefinition? Resolve(string code, DateOnly receivedOn, string? jurisdiction)
    {
        var definition = Versions(code).LastOrDefault(d => d.Effective.Contains(receivedOn));
        if (definition is null || jurisdiction is null)
        {
            return definition;
        }

        var overlay = Overlays
            .Where(o => o.ProcedureCode == code && o.Jurisdiction == jurisdiction && o.Effective.Contains(receivedOn))
            .MaxBy(o => o.Effective.From);
        return overlay is null ? definition : overlay.ApplyTo(definition);
    }

    /// <summary>Builds the catalogue from files already read (pure: no file access).</summary>
    public static DefinitionCatalog Build(IEnumerable<SourceFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var builder = new CatalogBuilder();
        foreach (var f in files)
        {
            builder.Add(f);
        }

        return builder.Finish((definitions, overlays, diagnostics, count, fields, agencies) =>
            new DefinitionCatalog(definitions, overlays, diagnostics, count, fields, agencies));
    }
}
