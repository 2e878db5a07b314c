namespace ProcedureEngine.Definitions.Model;

/// <summary>1-based line and column of a YAML node in its file; (0,0) when built in code.</summary>
public readonly record struct SourceLocation(int Line, int Column)
{
    public static readonly SourceLocation None = new(0, 0);

    public override string ToString() => $"{Line}:{Column}";
}
