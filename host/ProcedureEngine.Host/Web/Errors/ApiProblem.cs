using System.Text.Json.Serialization;

namespace ProcedureEngine.Host.Web.Errors;

/// <summary>
/// Every error answer of the API (RFC 9457 problem details, <c>application/problem+json</c>): a stable
/// <see cref="Type"/> per <see cref="Code"/>, the Vietnamese <see cref="Title"/> and <see cref="Detail"/> for
/// officers and citizens, the English in <see cref="TitleEn"/>/<see cref="DetailEn"/> for integrators and logs.
/// Built only through <see cref="Problem"/>; see docs/http-api.md.
/// </summary>
public sealed record ApiProblem
{
    /// <summary>Identifies the kind of problem: <c>urn:procedure-engine:problem:{code}</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Short Vietnamese summary of the kind of problem (the same for every occurrence of a code).</summary>
    public required string Title { get; init; }

    public required int Status { get; init; }

    /// <summary>What went wrong this time, in Vietnamese.</summary>
    public required string Detail { get; init; }

    /// <summary>The request path the problem is about.</summary>
    public required string Instance { get; init; }

    /// <summary>The stable machine code (a rejection code of the decider, or one of <see cref="ProblemCodes"/>).</summary>
    public required string Code { get; init; }

    public required string TitleEn { get; init; }

    public required string DetailEn { get; init; }

    /// <summary>409 on a dossier: the version the dossier is at now (send it as If-Match after re-reading).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CurrentVersion { get; init; }

    /// <summary>423: the first event version that fails the hash check.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BadVersion { get; init; }

    /// <summary>422 idempotency-key-reused: the key that came back with another request.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IdempotencyKey { get; init; }

    /// <summary>A refused definition: every validation problem with line and column.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ProblemJson>? Problems { get; init; }
}
