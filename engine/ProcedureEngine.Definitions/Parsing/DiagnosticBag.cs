using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;

namespace ProcedureEngine.Definitions.Parsing;

/// <summary>Collects every problem of one file (never stops at the first).</summary>
internal sealed class DiagnosticBag(string path)
{
    private readonly List<Diagnostic> items = [];

    public string Path { get; } = path;

    public bool HasErrors { get; private set; }

    public IReadOnlyList<Diagnostic> Items => items;

    public void Error(SourceLocation at, string code, string message)
    {
        HasErrors = true;
        items.Add(new Diagnostic(Path, at, Severity.Error, code, message));
    }

    public void Warning(SourceLocation at, string code, string message) =>
        items.Add(new Diagnostic(Path, at, Severity.Warning, code, message));

    public void Add(Diagnostic d)
    {
        HasErrors |= d.IsError;
        items.Add(d);
    }

    /// <summary>The problems sorted by position, as printed.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. items.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column)];
}
