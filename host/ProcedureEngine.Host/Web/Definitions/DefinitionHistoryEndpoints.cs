namespace ProcedureEngine.Host.Web.Definitions;

public sealed record VersionStatusJson(int Version, string Name, DateOnly EffectiveFrom, DateOnly? EffectiveUntil, string TimeLimit,
    string Status);

public sealed record DraftVersionJson(int Version, string Name);

public sealed record OverlayJson(string Jurisdiction, DateOnly EffectiveFrom, DateOnly? EffectiveUntil, string? TimeLimit,
    IReadOnlyDictionary<string, string> Steps, string Status);

/// <summary>A procedure's versions on the server's calendar: which is in force today, which are coming, which ended; its drafts and local overlays.</summary>
public sealed record DefinitionHistoryJson(string Code, DateOnly Today, IReadOnlyList<VersionStatusJson> Versions,
    IReadOnlyList<DraftVersionJson> Drafts, IReadOnlyList<OverlayJson> Overlays);

/// <summary>/api/definitions/{code}/history: what the designer's version panel shows.</summary>
public static class DefinitionHistoryEndpoints
{
    /// <summary>Status words (the page shows them in Vietnamese: đang hiệu lực, sắp hiệu lực, hết hiệu lực).</summary>
    public const string InForce = "in-force";
    public const string Upcoming = "upcoming";
    public const string Expired = "expired";

    public static RouteGroupBuilder MapDefinitionHistory(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/definitions").WithTags("Definitions");
        group.MapGet("/{code}/history", (string code, ClaimsPrincipal user, DefinitionRegistry registry, TimeProvider clock) =>
            {
                var catalog = registry.Catalog;
                var versions = catalog.Versions(code);
                if (versions.Count == 0)
                {
                    return Errors.Problems.NotFound($"Không có thủ tục {code} đã công bố", $"no published procedure {code}");
                }

                var offset = registry.CalendarFor(versions[^1]).UtcOffset;
                var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(offset).DateTime);
                string Status(DateOnly from, DateOnly? until) =>
                    from > today ? Upcoming : until is { } u && u < today ? Expired : InForce;

                var drafts = user.IsInRole(nameof(UserRole.Admin))
                    ? registry.Drafts().Where(d => d.Code == code).Select(d => new DraftVersionJson(d.Version, d.Name)).ToList()
                    : [];
                var overlays = catalog.Overlays.Where(o => o.ProcedureCode == code)
                    .Select(o => new OverlayJson(o.Jurisdiction, o.Effective.From, o.Effective.Until, o.TimeLimit?.ToString(),
                        o.StepDurations.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value.ToString()),
                        Status(o.Effective.From, o.Effective.Until)))
                    .ToList();
                return Results.Ok(new DefinitionHistoryJson(code, today,
                    [.. versions.Select(v => new VersionStatusJson(v.Version, v.Name, v.Effective.From, v.Effective.Until, v.TimeLimit.ToString(),
                        Status(v.Effective.From, v.Effective.Until)))],
                    drafts, overlays));
            })
            .RequireAuthorization(Policies.Read)
            .WithSummary("A procedure's versions with their status today (in-force, upcoming, expired), its drafts (administrators) and local overlays")
            .Produces<DefinitionHistoryJson>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        return group;
    }
}
