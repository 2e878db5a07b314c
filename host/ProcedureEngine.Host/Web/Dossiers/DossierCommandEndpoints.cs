using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcedureEngine.Host.Views;
using static ProcedureEngine.Host.Web.Dossiers.DossierApi;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>
/// One route per command on a dossier, each with its own body record and typed answers: 200 with the dossier as it
/// now stands (its version also in ETag), or problem details — 400 a body or If-Match that is not what the route
/// takes, 404 no such dossier, 409 a stale If-Match, 422 the rule that forbids the command (or an Idempotency-Key
/// reused for another request), 423 a dossier whose hash chain is broken.
/// </summary>
public static partial class DossierEndpoints
{
    private static readonly int[] CommandProblems =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
        StatusCodes.Status422UnprocessableEntity, StatusCodes.Status423Locked,
    ];

    /// <summary>Every dossier command: its route, handler, operation name and summary.</summary>
    private static readonly (string Path, Delegate Handler, string Name, string Summary)[] Commands =
    [
        ("/{id}/receive", AcceptOnlineAsync, "AcceptOnlineSubmission",
            "Accept an online submission at the one-stop unit: it gets its code and appointment, and the applicant a receipt (form 01)"),
        ("/{id}/refuse", RefuseAsync, "RefuseDossier", "Refuse an online submission that cannot be received, with the reason (form 03)"),
        ("/{id}/complete", CompleteStepAsync, "CompleteStep", "Complete an active step with one of its outcomes; the next steps start"),
        ("/{id}/request-supplement", RequestSupplementAsync, "RequestSupplement",
            "Ask the applicant for listed documents (form 02); the clock stops until they are brought"),
        ("/{id}/supplement", ProvideSupplementAsync, "ProvideSupplement",
            "Record the documents the applicant brought; the clock restarts under the rule set's mode"),
        ("/{id}/return", ReturnResultAsync, "ReturnResult", "Return the result to the applicant (on time or late, against the appointment)"),
        ("/{id}/withdraw", WithdrawAsync, "WithdrawDossier", "Record that the applicant withdrew the dossier"),
        ("/{id}/evaluate", EvaluateAsync, "EvaluateDossier", "Record the applicant's rating (1 to 5) after the result is returned"),
        ("/{id}/apologize", ApologizeAsync, "IssueApology",
            "The agency at fault apologises for a late dossier (form 04) with a new appointment within the rule set's bound"),
    ];

    /// <summary>The commands' route words, in the order the documentation lists them (also named by the unknown-command 404).</summary>
    public static readonly IReadOnlyList<string> Actions = [.. Commands.Select(c => c.Path["/{id}/".Length..])];

    private static void MapCommands(RouteGroupBuilder group)
    {
        foreach (var (path, handler, name, summary) in Commands)
        {
            var route = Command(group.MapPost(path, handler), name, summary);
            if (name == "WithdrawDossier")
            {
                route.AddOpenApiOperationTransformer(async (operation, context, ct) =>
                {
                    // Read by the handler (see WithdrawAsync), so described here: an optional WithdrawBody.
                    var schema = await context.GetOrCreateSchemaAsync(typeof(WithdrawBody), null, ct).ConfigureAwait(false);
                    context.Document!.AddComponent(nameof(WithdrawBody), schema);
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = false,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = new OpenApiSchemaReference(nameof(WithdrawBody), context.Document) },
                        },
                    };
                });
            }
        }
    }

    private static RouteHandlerBuilder Command(RouteHandlerBuilder route, string name, string summary) =>
        route.RequireAuthorization(Policies.ActOnDossiers)
            .WithName(name)
            .WithSummary(summary)
            .WithDescription("Send the version from ETag in If-Match to act only on the dossier as read; an Idempotency-Key makes a retry answer as the first time.")
            .ProducesProblems(CommandProblems);

    public static Task<Results<Ok<DossierView>, ProblemResult>> AcceptOnlineAsync(string id, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct) =>
        RunAsync(http, async (expected, key) => await service.AcceptAsync(id, expected, key, ActorOf(user), ct).ConfigureAwait(false));

    public static Task<Results<Ok<DossierView>, ProblemResult>> RefuseAsync(string id, RefuseBody body, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct) =>
        ActAsync(id, body, user, http, service, ct);

    public static Task<Results<Ok<DossierView>, ProblemResult>> CompleteStepAsync(string id, CompleteStepBody body, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct) =>
        ActAsync(id, body, user, http, service, ct);

    public static Task<Results<Ok<DossierView>, ProblemResult>> RequestSupplementAsync(string id, RequestSupplementBody body, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct) =>
        ActAsync(id, body, user, http, service, ct);

    public static Task<Results<Ok<DossierView>, ProblemResult>> ProvideSupplementAsync(string id, SupplementBody body, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct) =>
        ActAsync(id, body, user, http, service, ct);

    public static Task<Results<Ok<DossierView>, ProblemResult>> ReturnResultAsync(string id, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct) =>
        ActAsync(id, (at, by) => new ReturnResult(at, by), user, http, service, ct);

    /// <summary>
    /// The body is optional (a withdrawal needs no reason), and a request without one carries no Content-Type, which
    /// endpoint selection would refuse for a bound body: it is read here, with the API's JSON settings.
    /// </summary>
    public static async Task<Results<Ok<DossierView>, ProblemResult>> WithdrawAsync(string id, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var body = new WithdrawBody();
        if (http.ContentLength is > 0 || (http.ContentLength is null && http.Headers.TransferEncoding.Count > 0))
        {
            if (!http.HasJsonContentType())
            {
                return ProblemHandling.UnsupportedMediaType(http.ContentType);
            }

            try
            {
                body = await http.ReadFromJsonAsync<WithdrawBody>(Problems.JsonOptions(http.HttpContext), ct).ConfigureAwait(false) ?? body;
            }
            catch (JsonException e)
            {
                return ProblemHandling.InvalidJson(e);
            }
        }

        return await ActAsync(id, body, user, http, service, ct).ConfigureAwait(false);
    }

    public static Task<Results<Ok<DossierView>, ProblemResult>> EvaluateAsync(string id, EvaluateBody body, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct) =>
        ActAsync(id, body, user, http, service, ct);

    public static Task<Results<Ok<DossierView>, ProblemResult>> ApologizeAsync(string id, ApologizeBody body, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct) =>
        ActAsync(id, body, user, http, service, ct);

    /// <summary>A command with a body: the body's own checks first (nothing is read before a bad body is refused).</summary>
    private static Task<Results<Ok<DossierView>, ProblemResult>> ActAsync<TBody>(string id, TBody body, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct)
        where TBody : ICommandBody<TBody>
    {
        if (body.Problem() is { } problem)
        {
            return Task.FromResult<Results<Ok<DossierView>, ProblemResult>>(BadRequest(problem));
        }

        var normalized = body.Normalized();
        return ActAsync(id, (at, by) => normalized.ToCommand(id, at, by), user, http, service, ct);
    }

    private static Task<Results<Ok<DossierView>, ProblemResult>> ActAsync(string id, Func<DateTimeOffset, Actor, DossierCommand> command, ClaimsPrincipal user, HttpRequest http, DossierService service, CancellationToken ct)
    {
        var by = ActorOf(user);
        return RunAsync(http, async (expected, key) => await service.ActAsync(id, (at, _) => command(at, by), expected, key, by, ct).ConfigureAwait(false));
    }

    /// <summary>If-Match and Idempotency-Key read once for every command; the outcome answered the same way.</summary>
    private static async Task<Results<Ok<DossierView>, ProblemResult>> RunAsync(HttpRequest http, Func<long?, RequestKey?, Task<CommandOutcome>> run)
    {
        if (!TryIfMatch(http, out var expected))
        {
            return BadIfMatch();
        }

        CommandOutcome outcome;
        try
        {
            outcome = await run(expected, IdempotencyKey(http)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DossierNotFoundException or DossierChainBrokenException or ConcurrencyException or IdempotencyKeyReusedException)
        {
            return ProblemHandling.FromException(e);
        }

        if (outcome.Rejection is { } rejection)
        {
            return Rejected(rejection);
        }

        http.HttpContext.Response.Headers.ETag = ETag(outcome.Dossier!.State.Version);
        MarkReplayed(http, outcome);
        return TypedResults.Ok(DossierView.Of(outcome.Dossier));
    }
}
