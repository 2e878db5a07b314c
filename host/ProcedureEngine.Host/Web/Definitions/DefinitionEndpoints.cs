using ProcedureEngine.Definitions.Diagnostics;

namespace ProcedureEngine.Host.Web.Definitions;

/// <summary>A validation problem: where, how bad, the stable code, the rule in Vietnamese (title) and the detail (message, English as the CLI prints it).</summary>
public sealed record ProblemJson(string Path, int Line, int Column, string Severity, string Code, string? Title, string Message)
{
    public static ProblemJson From(Diagnostic d) =>
        new(d.Path, d.Location.Line, d.Location.Column, d.IsError ? "error" : "warning", d.Code, DiagnosticTitles.For(d.Code), d.Message);
}

public sealed record DefinitionSummaryJson(string Code, int Version, string Name, string Field, string Level,
    DateOnly EffectiveFrom, DateOnly? EffectiveUntil, string TimeLimit, int Steps, int Documents)
{
    /// <summary>After a publish: the earlier open-ended version this one ended (it now has an end date).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DefinitionSummaryJson? Closes { get; init; }
}


/// <summary>/api/definitions: the catalogue, validation of a YAML body, drafts and publishing.</summary>
public static class DefinitionEndpoints
{
    public static RouteGroupBuilder MapDefinitions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/definitions").WithTags("Definitions");

        group.MapGet("/", (DefinitionRegistry registry) =>
                registry.Catalog.Definitions.GroupBy(d => d.Code).Select(g => Summary(g.Last())).ToList())
            .RequireAuthorization(Policies.Read)
            .WithSummary("Published procedures, latest version of each");

        group.MapGet("/{code}/versions", (string code, DefinitionRegistry registry) =>
                registry.Catalog.Versions(code) is { Count: > 0 } versions
                    ? Results.Ok(versions.Select(Summary).ToList())
                    : Problems.NotFound($"Chưa công bố thủ tục {code}.", $"no published procedure {code}"))
            .RequireAuthorization(Policies.Read)
            .WithSummary("The published versions of a procedure");

        group.MapGet("/{code}/versions/{version:int}", (string code, int version, DefinitionRegistry registry) =>
            {
                return registry.Catalog.Find(code, version) is { } definition && registry.PublishedText(definition) is { } text
                    ? Results.Text(text, "application/yaml; charset=utf-8")
                    : NoVersion(code, version);
            })
            .RequireAuthorization(Policies.Read)
            .WithSummary("The YAML of one published version");

        group.MapGet("/{code}/versions/{version:int}/next", (string code, int version, string? from, DefinitionRegistry registry, TimeProvider clock) =>
            {
                if (registry.Catalog.Find(code, version) is not { } definition || registry.PublishedText(definition) is not { } text)
                {
                    return NoVersion(code, version);
                }

                var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(registry.CalendarFor(definition).UtcOffset).DateTime);
                DateOnly start;
                if (from is null)
                {
                    start = today.AddDays(1);
                }
                else if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out start))
                {
                    return Problems.InvalidParameter($"from: '{from}' không phải ngày (yyyy-MM-dd).", $"from: '{from}' is not a date (yyyy-MM-dd)");
                }

                var versions = registry.Catalog.Versions(code);
                var latest = versions.MaxBy(v => v.Effective.From)!;
                if (start <= latest.Effective.From)
                {
                    return Problems.Of(StatusCodes.Status422UnprocessableEntity, ProblemCodes.DefinitionRejected,
                        $"Phiên bản mới phải có hiệu lực sau ngày {latest.Effective.From:dd/MM/yyyy}, ngày phiên bản {latest.Version} có hiệu lực.",
                        $"the new version must take effect after {latest.Effective.From:yyyy-MM-dd}, when version {latest.Version} did");
                }

                var next = Math.Max(versions.Max(v => v.Version), registry.Drafts().Where(d => d.Code == code).Select(d => d.Version).DefaultIfEmpty(0).Max()) + 1;
                return Results.Text(NextVersion.Draft(text, next, start), "application/yaml; charset=utf-8");
            })
            .RequireAuthorization(Policies.Author)
            .WithSummary("The text of a new version started from a published one: next version number, effective from `from` (default: tomorrow), open-ended; to edit, save as a draft and publish");

        group.MapPost("/validate", async (HttpRequest request, DefinitionRegistry registry, TimeProvider clock) =>
            {
                var body = await ReadBodyAsync(request, "body.yaml").ConfigureAwait(false);
                var report = body.Text is { } text
                    ? Validator.Validate(text, "body.yaml")
                    : new ValidationReport("body.yaml", body.Diagnostics ?? [], null, null);
                return Results.Ok(new
                {
                    valid = !report.HasErrors,
                    errors = report.ErrorCount,
                    warnings = report.WarningCount,
                    problems = report.Diagnostics.Select(ProblemJson.From).ToList(),
                    preview = report is { HasErrors: false, Definition: { } d } ? DefinitionPreview.For(d, registry.CalendarFor(d), clock.GetUtcNow()) : null,
                });
            })
            .RequireAuthorization(Policies.Read)
            .Accepts<string>("application/yaml")
            .WithSummary("Validate a definition (YAML body); problems with line and column");

        group.MapPost("/", async (HttpRequest request, DefinitionRegistry registry) =>
            {
                try
                {
                    var body = await ReadBodyAsync(request, "draft.yaml").ConfigureAwait(false);
                    var report = registry.SaveDraft(body.Text ?? throw new DefinitionRejectedException("the draft is not UTF-8 text",
                        "Bản nháp không phải văn bản UTF-8 nên chưa được lưu; hãy lưu tệp dưới dạng UTF-8.", body.Diagnostics ?? []));
                    var d = report.Definition!;
                    return Results.Created($"/api/definitions/drafts/{d.Code}/{d.Version}",
                        new { draft = Summary(d), problems = report.Diagnostics.Select(ProblemJson.From).ToList() });
                }
                catch (DefinitionRejectedException e)
                {
                    return Rejected(e);
                }
            })
            .RequireAuthorization(Policies.Author)
            .Accepts<string>("application/yaml")
            .WithSummary("Save a definition as a draft (validated; nothing saved when it has errors)");

        group.MapGet("/drafts", (DefinitionRegistry registry) => registry.Drafts()).RequireAuthorization(Policies.Author)
            .WithSummary("Saved drafts, not yet published");

        group.MapGet("/drafts/{code}/{version:int}", (string code, int version, DefinitionRegistry registry) =>
                registry.DraftText(code, version) is { } text
                    ? Results.Text(text, "application/yaml; charset=utf-8")
                    : Problems.NotFound($"Không có bản nháp {code} phiên bản {version}.", $"no draft of {code} version {version}"))
            .RequireAuthorization(Policies.Author)
            .WithSummary("The YAML of a saved draft");

        group.MapPost("/{code}/versions/{version:int}/publish", (string code, int version, DefinitionRegistry registry) =>
            {
                try
                {
                    var result = registry.Publish(code, version);
                    return Results.Ok(Summary(result.Published) with { Closes = result.Closed is { } closed ? Summary(closed) : null });
                }
                catch (KeyNotFoundException e)
                {
                    return Problems.NotFound($"Chưa có bản nháp {code} phiên bản {version}: hãy Lưu bản nháp trước khi Công bố.", e.Message);
                }
                catch (DefinitionRejectedException e)
                {
                    return Rejected(e);
                }
            })
            .RequireAuthorization(Policies.Author)
            .WithSummary("Publish a draft: checked against the whole catalogue before it is written; an open-ended earlier version is ended the day before the new one starts");

        return group;
    }

    private static IResult Rejected(DefinitionRejectedException e) => Problems.DefinitionRejected(e);

    private static IResult NoVersion(string code, int version) =>
        Problems.NotFound($"Chưa công bố phiên bản {version} của thủ tục {code}.", $"no published version {version} of {code}");

    /// <summary>
    /// The body read as strict UTF-8, exactly as the CLI reads a file: bytes that are not UTF-8 give PE004 at their
    /// line and column (never U+FFFD in what is validated or saved).
    /// </summary>
    internal static async Task<SourceFile> ReadBodyAsync(HttpRequest request, string name)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        return DefinitionCatalog.Decode(name, name, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public static DefinitionSummaryJson Summary(ProcedureDefinition d) =>
        new(d.Code, d.Version, d.Name, d.Field, d.Level.ToString().ToLowerInvariant(), d.Effective.From, d.Effective.Until,
            d.TimeLimit.ToString(), d.Steps.Length, d.Documents.Length);
}
