using System.Text.Json.Nodes;
using ProcedureEngine.Dossiers.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcedureEngine.Host.Views;
using ProcedureEngine.Letters.Rendering;
using ProcedureEngine.Letters.Composition;
using ProcedureEngine.Letters.Model;
using static ProcedureEngine.Host.Web.Dossiers.DossierApi;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>/api/dossiers (the counter, the agencies, auditors) and /api/reports.</summary>
public static partial class DossierEndpoints
{
    private const int DefaultPage = 200;

    private const int MaxPage = 1000;

    public static void MapDossiers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dossiers").WithTags("Dossiers");

        group.MapPost("/", async Task<Results<Created<ReceiptView>, ProblemResult>> (ReceiveBody body, ClaimsPrincipal user, HttpRequest http, DossierService service, DefinitionRegistry registry, PublicSite site, CancellationToken ct) =>
            {
                if (Validate(body, registry.Catalog) is { } problem)
                {
                    return BadRequest(problem);
                }

                if (!TryChannel(body.Channel, out var channel))
                {
                    return Problems.InvalidBody($"Kênh tiếp nhận '{body.Channel}' không phải counter, post hoặc online.", $"channel '{body.Channel}' is not counter, post or online");
                }

                var request = Request(body, channel);
                try
                {
                    var outcome = await service.ReceiveAsync(request, ActorOf(user), IdempotencyKey(http), ct).ConfigureAwait(false);
                    if (outcome.Rejection is { } rejection)
                    {
                        return Rejected(rejection);
                    }

                    var dossier = outcome.Dossier!;
                    // A replayed receipt answers as the first time: the letter the receipt issued, not what came since.
                    var number = outcome.Duplicate ? Math.Min(1, dossier.State.Letters.Length) : dossier.State.Letters.Length;
                    var letter = number == 0 ? null : dossier.State.Letters[number - 1];
                    MarkReplayed(http, outcome);

                    return TypedResults.Created($"/api/dossiers/{Uri.EscapeDataString(dossier.Id)}", new ReceiptView(dossier.Id, dossier.State.Code,
                        SimulationOutput.Camel(dossier.State.Status.ToString()), SimulationOutput.TimeOrNull(dossier.State.AppointmentAt, dossier.Calendar),
                        dossier.State.Version,
                        letter is null ? null : new ReceiptLetterView(letter.Form, letter.Title, DossierView.LetterUrl(dossier.Id, number), LetterText(dossier, letter, site))));
                }
                catch (KeyNotFoundException e)
                {
                    return UnknownProcedure(e);
                }
                catch (IdempotencyKeyReusedException e)
                {
                    return KeyReused(e);
                }
            })
            .RequireAuthorization(Policies.ActOnDossiers)
            .WithName("ReceiveDossier")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Receive a dossier at the counter: 201 with its id, code, appointment and receipt (form 01)");

        MapCommands(group);

        // What no command route took: a command whose JSON body came without `Content-Type: application/json` (endpoint
        // selection sets those aside; 415), or a word that is no command (404 naming the commands). Signed-in officers
        // only, as the commands: anyone else is told 401/403 first, as on every route.
        group.MapPost("/{id}/{action}", (string id, string action) => Actions.Contains(action)
                ? Problems.Of(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType,
                    $"Thao tác '{action}' nhận nội dung JSON: hãy gửi Content-Type: application/json.", $"'{action}' takes a JSON body: send Content-Type: application/json")
                : Problems.NotFound($"Không có thao tác '{action}'; các thao tác: {string.Join(", ", Actions)}.", $"unknown action '{action}'; expected one of {string.Join(", ", Actions)}"))
            .RequireAuthorization(Policies.ActOnDossiers)
            .ExcludeFromDescription();

        group.MapGet("/{id}", async Task<Results<Ok<DossierView>, ProblemResult>> (string id, HttpContext http, DossierService service, CancellationToken ct) =>
            {
                if (await service.LoadAsync(id, null, ct).ConfigureAwait(false) is not { } dossier)
                {
                    return NotFound(id);
                }

                http.Response.Headers.ETag = ETag(dossier.State.Version);
                return TypedResults.Ok(DossierView.Of(dossier));
            })
            .WithName("GetDossier")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.Read)
            .WithSummary("The dossier as it stands: steps, appointment, letters, version (also in ETag) and whether its hash chain is intact");

        group.MapGet("/{id}/events", async Task<Results<Ok<DossierEventsView>, ProblemResult>> (string id, DossierService service, CancellationToken ct) =>
                await service.LoadAsync(id, null, ct).ConfigureAwait(false) is { } dossier ? TypedResults.Ok(DossierEventsView.Of(dossier)) : NotFound(id))
            .RequireAuthorization(Policies.Read)
            .WithName("GetDossierEvents")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .WithSummary("The dossier's events with actors and hash chain");

        group.MapGet("/{id}/state", async Task<Results<Ok<DossierView>, ProblemResult>> (string id, string? at, DossierService service, CancellationToken ct) =>
            {
                DateTimeOffset? when = null;
                if (at is not null)
                {
                    if (!SimulationOutput.TryParseInstant(at, out var parsed))
                    {
                        return Problems.InvalidParameter($"Tham số at='{at}' không phải thời điểm ISO 8601.", $"at='{at}' is not an ISO 8601 time");
                    }

                    when = parsed;
                }

                return await service.LoadAsync(id, when, ct).ConfigureAwait(false) is { } dossier ? TypedResults.Ok(DossierView.Of(dossier)) : NotFound(id);
            })
            .RequireAuthorization(Policies.Read)
            .WithName("GetDossierStateAt")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("The dossier as it stood at a moment (fold of its events up to that time)");

        group.MapGet("/{id}/letters/{n:int}", async (string id, int n, string? format, DossierService service, PublicSite site, CancellationToken ct) =>
            {
                if (await service.LoadAsync(id, null, ct).ConfigureAwait(false) is not { } dossier)
                {
                    return NotFound(id);
                }

                if (n < 1 || n > dossier.State.Letters.Length)
                {
                    return Problems.NotFound($"Hồ sơ {id} có {dossier.State.Letters.Length} văn bản; n bắt đầu từ 1.", $"dossier {id} has {dossier.State.Letters.Length} letter(s); n is 1-based");
                }

                var data = Compose(dossier, dossier.State.Letters[n - 1], site);
                if (data is null)
                {
                    return Problems.NotFound("Văn bản này không có mẫu để in.", "this letter cannot be rendered");
                }

                return format switch
                {
                    null or "html" => Results.Content(LetterRenderer.Default.RenderHtml(data), "text/html; charset=utf-8"),
                    "pdf" => Results.File(LetterRenderer.Default.RenderPdf(data), "application/pdf", $"{id}-{n}.pdf"),
                    "text" => Results.Text(LetterRenderer.Default.RenderText(data), "text/plain; charset=utf-8"),
                    _ => Problems.InvalidParameter($"Định dạng '{format}' không phải html, pdf hoặc text.", $"format '{format}' is not html, pdf or text"),
                };
            })
            .RequireAuthorization(Policies.Read)
            .WithSummary("A letter of the dossier (HTML; ?format=pdf for PDF)");

        group.MapGet("/", async (bool? overdue, string? agency, string? status, int? limit, int? offset, HttpRequest http, DossierQueries queries, CancellationToken ct) =>
            {
                var size = limit ?? DefaultPage;
                if (size is < 1 or > MaxPage || offset is < 0)
                {
                    return Problems.InvalidParameter($"limit từ 1 đến {MaxPage} (mặc định {DefaultPage}), offset từ 0.", $"limit is 1..{MaxPage} (default {DefaultPage}) and offset is 0 or more");
                }

                var from = offset ?? 0;
                var page = await queries.ListAsync(overdue, agency, status, size, from, ct).ConfigureAwait(false);
                if (page.Count == size)
                {
                    // RFC 8288: the next page, same filters (the body stays a plain array).
                    var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(http.QueryString.Value);
                    query["offset"] = (from + size).ToString(CultureInfo.InvariantCulture);
                    query["limit"] = size.ToString(CultureInfo.InvariantCulture);
                    var next = new Microsoft.AspNetCore.Http.Extensions.QueryBuilder(query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v!)))).ToQueryString();
                    http.HttpContext.Response.Headers.Link = $"<{http.PathBase}{http.Path}{next}>; rel=\"next\"";
                }

                return Results.Json(page);
            })
            .RequireAuthorization(Policies.Read)
            .WithSummary("Dossiers from the summary read model by receipt time, filtered by overdue, current agency and status; pages of `limit` (default 200, at most 1,000) from `offset`, the next page in the Link header");

        app.MapGet("/api/reports/on-time", async (DateOnly? from, DateOnly? to, string? groupBy, DossierQueries queries, CancellationToken ct) =>
                groupBy is null or "agency" or "field" or "procedure"
                    ? Results.Json(await queries.OnTimeAsync(from, to, groupBy ?? "agency", ct).ConfigureAwait(false))
                    : Problems.InvalidParameter($"groupBy '{groupBy}' không phải agency, field hoặc procedure.", $"groupBy '{groupBy}' is not agency, field or procedure"))
            .RequireAuthorization(Policies.Read)
            .WithTags("Reports")
            .Produces<OnTimeReport>()
            .WithSummary("On-time rate of finished work (progress indicator of Quyết định 766/QĐ-TTg): groupBy=agency counts steps (`counts: steps`), field and procedure count dossiers (`counts: dossiers`); refused and withdrawn dossiers are counted as such, never as late");
    }


    private static LetterData? Compose(LoadedDossier dossier, LetterRef letter, PublicSite site) =>
        DossierLetters.ForEvent([.. dossier.Events.Select(e => e.Event)], letter.EventSeq, site.LetterOptions(dossier));

    private static string? LetterText(LoadedDossier dossier, LetterRef letter, PublicSite site) =>
        Compose(dossier, letter, site) is { } data ? LetterRenderer.Default.RenderText(data) : null;


    private static ProcedureEngine.Dossiers.Events.Actor ActorOf(ClaimsPrincipal user) =>
        new(user.UserId(), user.Agency() ?? throw new InvalidOperationException("an officer without an agency"));

    private static bool TryChannel(string? text, out Channel channel)
    {
        channel = Channel.Counter;
        return text is null || Enum.TryParse(text, ignoreCase: true, out channel);
    }

    private static bool TryIfMatch(HttpRequest request, out long? expected)
    {
        expected = null;
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return true;
        }

        if (long.TryParse(header.Trim().Trim('"').Replace("W/", "", StringComparison.Ordinal).Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
        {
            expected = v;
            return true;
        }

        return false;
    }

    private static ProblemResult BadIfMatch() =>
        Problems.InvalidParameter("If-Match phải là phiên bản hồ sơ như trong ETag, ví dụ \"3\".", "If-Match must be the dossier version as returned in ETag, e.g. \"3\"");

    private static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

}
