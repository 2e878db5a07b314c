using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ProcedureEngine.Host.Web.Calendars;

/// <summary>
/// /api/calendars: the days a new calendar version changes and the open dossiers it re-plans (POST …/diff, a dry
/// run for the designer and administrators), and publishing it (POST …/publish, administrators). The body is the
/// calendar file (YAML). A bad file is answered 422 with every problem (path, line, column, code, message) as RFC 9457
/// problem details; nothing is written.
/// </summary>
public static class CalendarEndpoints
{
    public static RouteGroupBuilder MapCalendars(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/calendars").WithTags("Calendars");

        group.MapGet("/", (DefinitionRegistry registry) =>
                TypedResults.Ok(registry.CalendarIds().Select(id => registry.Calendar(id)!).Select(c => new CalendarSummaryJson(c.Id, c.Spec.Version, c.Spec.Decision)).ToList()))
            .RequireAuthorization(Policies.Read)
            .WithSummary("The published calendars: id, version and the decision that set it");

        group.MapGet("/{id}", Results<Ok<CalendarFileJson>, ProblemResult> (string id, DefinitionRegistry registry) =>
                registry.CalendarText(id) is { } yaml && registry.Calendar(id) is { } calendar
                    ? TypedResults.Ok(new CalendarFileJson(calendar.Id, calendar.Spec.Version, calendar.Spec.Decision, yaml))
                    : Errors.Problems.NotFound($"Không có lịch làm việc '{id}'.", $"no calendar '{id}'"))
            .RequireAuthorization(Policies.Read)
            .Produces<CalendarFileJson>()
            .WithSummary("A published calendar file as written (the text a new version starts from), with its version and decision");

        group.MapPost("/diff", (HttpRequest request, CalendarReplanner replanner, TimeProvider clock, CancellationToken ct) =>
                RunAsync(request, replanner, clock, dryRun: true, ct))
            .RequireAuthorization(Policies.Author)
            .WithSummary("What publishing this calendar file would change: days, and the open dossiers re-planned with their old and new dues (nothing written)");

        group.MapPost("/publish", (HttpRequest request, CalendarReplanner replanner, TimeProvider clock, CancellationToken ct) =>
                RunAsync(request, replanner, clock, dryRun: false, ct))
            .RequireAuthorization(Policies.Author)
            .WithSummary("Publish a calendar version (its 'version' above the published one) and re-plan the open dossiers whose remaining windows it touches");

        return group;
    }

    /// <summary>A published calendar: id, version (null before versions were numbered) and the decision that set it.</summary>
    public sealed record CalendarSummaryJson(string Id, int? Version, string? Decision);

    /// <summary>A published calendar file as written.</summary>
    public sealed record CalendarFileJson(string Id, int? Version, string? Decision, string Yaml);

    private static async Task<IResult> RunAsync(HttpRequest request, CalendarReplanner replanner, TimeProvider clock, bool dryRun, CancellationToken ct)
    {
        // Strict UTF-8, as the CLI reads the calendar file: invalid bytes are refused at their line, never replaced.
        var body = await ProcedureEngine.Host.Web.Definitions.DefinitionEndpoints.ReadBodyAsync(request, "calendar.yaml").ConfigureAwait(false);
        if (body.Text is not { } yaml)
        {
            var problem = body.Diagnostics![0];
            return Errors.Problems.Of(StatusCodes.Status422UnprocessableEntity, "calendar-invalid",
                    $"Tệp lịch không phải văn bản UTF-8; chưa công bố. {problem.Message}", problem.Message)
                with { Problems = [.. body.Diagnostics.Select(ProcedureEngine.Host.Web.Definitions.ProblemJson.From)] };
        }

        try
        {
            var publication = await replanner.PublishAsync(yaml, clock.GetUtcNow(), dryRun, ct).ConfigureAwait(false);
            return Results.Json(ToJson(publication));
        }
        catch (CalendarRejectedException e)
        {
            return Errors.Problems.Of(StatusCodes.Status422UnprocessableEntity, "calendar-invalid",
                    $"Tệp lịch không hợp lệ; chưa công bố. {e.Message}", e.Message)
                with { Problems = [.. e.Problems.Select(p => new ProcedureEngine.Host.Web.Definitions.ProblemJson(p.Path, p.Line, p.Column, "error", p.Code, null, p.Message))] };
        }
    }

    /// <summary>The publication as JSON (also printed by `calendar publish --json`).</summary>
    public static JsonObject ToJson(CalendarPublication publication)
    {
        ArgumentNullException.ThrowIfNull(publication);
        var diff = publication.Diff;
        static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var days = new JsonArray();
        foreach (var d in diff.Days)
        {
            days.Add(new JsonObject
            {
                ["date"] = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["working"] = d.IsWorking,
                ["reason"] = d.IsWorking ? d.OldReason : d.NewReason,
            });
        }

        var dossiers = new JsonArray();
        foreach (var (id, code, change) in publication.Dossiers)
        {
            var steps = new JsonArray();
            foreach (var due in change.StepDues)
            {
                steps.Add(new JsonObject
                {
                    ["step"] = due.StepId,
                    ["previousDueAt"] = change.PreviousStepDues.FirstOrDefault(p => p.StepId == due.StepId) is { } before ? Time(before.DueAt) : null,
                    ["dueAt"] = Time(due.DueAt),
                });
            }

            dossiers.Add(new JsonObject
            {
                ["id"] = id,
                ["code"] = code,
                ["changedDays"] = new JsonArray([.. change.ChangedDays.Select(d => (JsonNode?)JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))]),
                ["previousAppointmentAt"] = Time(change.PreviousAppointmentAt),
                ["appointmentAt"] = Time(change.AppointmentAt),
                ["steps"] = steps,
            });
        }

        return new JsonObject
        {
            ["calendar"] = diff.CalendarId,
            ["previousVersion"] = diff.OldVersion,
            ["version"] = diff.NewVersion,
            ["published"] = publication.Published,
            ["days"] = days,
            ["settings"] = new JsonArray([.. diff.SettingChanges.Select(s => (JsonNode?)JsonValue.Create(s))]),
            ["candidates"] = publication.Candidates,
            ["replanned"] = publication.Dossiers.Count,
            ["appointmentsMoved"] = publication.AppointmentsMoved,
            ["dossiers"] = dossiers,
        };
    }
}
