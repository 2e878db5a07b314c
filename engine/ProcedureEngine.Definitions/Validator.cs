using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Definitions.Parsing;

namespace ProcedureEngine.Definitions;

/// <summary>What validating one YAML text found: its problems and, when it could be read, the definition or overlay.</summary>
public sealed record ValidationReport(string Path, IReadOnlyList<Diagnostic> Diagnostics, ProcedureDefinition? Definition, LocalOverlay? Overlay)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public int ErrorCount => Diagnostics.Count(d => d.IsError);

    public int WarningCount => Diagnostics.Count(d => !d.IsError);

    /// <summary>True when the text is a local overlay (top-level <c>overlay:</c> key).</summary>
    public bool IsOverlay => Overlay is not null;
}

/// <summary>
/// Validates one definition or overlay held in a string (for the HTTP API and the designer):
/// syntax and every per-file rule. Cross-file rules (versions, overlays against their procedure,
/// fields.yaml) need the catalogue: see <see cref="DefinitionCatalog"/>.
/// </summary>
public static class Validator
{
    public static ValidationReport Validate(string text, string path = "definition.yaml")
    {
        ArgumentNullException.ThrowIfNull(text);
        var bag = new DiagnosticBag(path);
        var root = YamlTreeReader.Read(text, bag);
        if (root is null)
        {
            return new ValidationReport(path, bag.Sorted(), null, null);
        }

        if (DefinitionParser.IsOverlay(root))
        {
            var overlay = DefinitionParser.ReadOverlay(root, bag);
            return new ValidationReport(path, bag.Sorted(), null, overlay);
        }

        var definition = DefinitionParser.ReadDefinition(root, bag);
        return new ValidationReport(path, bag.Sorted(), definition, null);
    }
}
