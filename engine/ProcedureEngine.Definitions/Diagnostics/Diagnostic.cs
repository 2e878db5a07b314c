using ProcedureEngine.Definitions.Model;

namespace ProcedureEngine.Definitions.Diagnostics;

public enum Severity
{
    Warning,
    Error,
}

/// <summary>
/// One problem found in a definition, printed as
/// <c>path:line:column: error|warning CODE: message</c>. Codes are stable (see docs/diagnostics.md).
/// </summary>
public sealed record Diagnostic(string Path, SourceLocation Location, Severity Severity, string Code, string Message)
{
    public bool IsError => Severity == Severity.Error;

    public override string ToString() =>
        $"{Path}:{Location.Line}:{Location.Column}: {(IsError ? "error" : "warning")} {Code}: {Message}";
}

/// <summary>What parsing one file produced: the value when it could be built, and every problem found.</summary>
public sealed record ParseResult<T>(T? Value, IReadOnlyList<Diagnostic> Diagnostics)
    where T : class
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
