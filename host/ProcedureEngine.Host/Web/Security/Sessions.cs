using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace ProcedureEngine.Host.Web.Security;

/// <summary>
/// Browser sessions: the token is exchanged once (POST /api/session) for an HttpOnly, SameSite=Strict cookie, so
/// the pages never keep it in script-readable storage. `Authorization: Bearer` keeps working for every endpoint;
/// a request carrying that header is authenticated by the token, any other by the cookie.
/// </summary>
public static class Sessions
{
    public const string CookieScheme = "Session";
    public const string CookieName = "pe-session";

    /// <summary>Chooses bearer token or session cookie per request.</summary>
    public const string Scheme = "TokenOrSession";

    /// <summary>
    /// Cookie-authenticated unsafe requests (and the login itself) must carry this header. A page of another
    /// site can send neither it (custom headers need a CORS preflight this server never grants) nor, with
    /// SameSite=Strict, the cookie: two independent guards against cross-site request forgery.
    /// </summary>
    public const string CsrfHeader = "X-PE-CSRF";

    private const string TokenFingerprintClaim = "token-fingerprint";

    /// <summary>A working day; each request within it extends the session (sliding expiry).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static void AddTokenOrSessionAuthentication(this IServiceCollection services, string dataRoot)
    {
        // Session cookies survive a restart: the keys that protect them live in the data folder.
        services.AddDataProtection()
            .SetApplicationName("ProcedureEngine")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataRoot, "session-keys")));
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token or session cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? TokenAuthenticationHandler.SchemeName : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = Lifetime;
                o.SlidingExpiration = true;

                // An API answers 401/403; it never redirects to a login page.
                o.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);

                // Each request re-reads the user directory: a removed user or a reset token ends the session at
                // once, and a changed role or agency applies at once.
                o.Events.OnValidatePrincipal = context =>
                {
                    var users = context.HttpContext.RequestServices.GetRequiredService<UserDirectorySource>().Current;
                    var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
                    var user = id is null ? null : users.FindById(id);
                    if (user is null || context.Principal!.FindFirstValue(TokenFingerprintClaim) != Fingerprint(user))
                    {
                        context.RejectPrincipal();
                        return context.HttpContext.SignOutAsync(CookieScheme);
                    }

                    context.ReplacePrincipal(Principal(user, CookieScheme));
                    return Task.CompletedTask;
                };
            });
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>The claims every endpoint reads (id, name, role, agency), for a token or a session.</summary>
    public static ClaimsPrincipal Principal(ApiUser user, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Role, user.Role.ToString()),
        };
        if (user.Agency is not null)
        {
            claims.Add(new Claim(TokenAuthenticationHandler.AgencyClaim, user.Agency));
        }

        if (scheme == CookieScheme)
        {
            claims.Add(new Claim(TokenFingerprintClaim, Fingerprint(user)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>Part of the token's hash: `users reset-token` changes it, which ends the sessions opened with the old token.</summary>
    private static string Fingerprint(ApiUser user) => user.TokenSha256[..16];

    /// <summary>Refuses a cookie-authenticated POST/PUT/PATCH/DELETE without the <see cref="CsrfHeader"/> header.</summary>
    public static IApplicationBuilder UseSessionCsrfGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var method = context.Request.Method;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
        if (!safe && context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieScheme } && !context.Request.Headers.ContainsKey(CsrfHeader))
        {
            await CsrfRefused().ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    });

    private static IResult CsrfRefused() => Problems.Of(StatusCodes.Status403Forbidden, ProblemCodes.CsrfHeaderMissing,
        $"Yêu cầu bị từ chối: thiếu tiêu đề chống giả mạo yêu cầu {CsrfHeader}.",
        $"a request authenticated by the session cookie that changes something must carry the {CsrfHeader} header");

    public sealed record SessionRequest(string? Token);

    /// <summary>Who is signed in; <c>oneStop</c> says the agency is a one-stop unit (it receives dossiers at the counter).</summary>
    public sealed record SessionJson(string Id, string Name, string Role, string? Agency, string? AgencyName, string Via, bool OneStop);

    /// <summary>/api/session: sign in with a token (cookie), who am I, sign out.</summary>
    public static RouteGroupBuilder MapSession(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/session").WithTags("Session");

        group.MapPost("/", async (HttpContext context, SessionRequest body, UserDirectorySource users, DefinitionRegistry registry) =>
            {
                if (!context.Request.Headers.ContainsKey(CsrfHeader))
                {
                    return CsrfRefused();
                }

                if (string.IsNullOrWhiteSpace(body.Token))
                {
                    return Problems.InvalidBody("Chưa nhập mã truy cập (token).", "token: required");
                }

                if (users.Current.FindByToken(body.Token.Trim()) is not { } user)
                {
                    return Problems.Of(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated,
                        "Mã truy cập không đúng hoặc đã bị thu hồi.", "token: unknown token");
                }

                await context.SignInAsync(CookieScheme, Principal(user, CookieScheme),
                    new AuthenticationProperties { IsPersistent = false }).ConfigureAwait(false);
                return Results.Ok(Json(user, registry, CookieScheme));
            })
            .AllowAnonymous()
            .WithSummary("Sign in: exchange a token for an HttpOnly, SameSite=Strict session cookie (requires the X-PE-CSRF header)")
            .Produces<SessionJson>()
            .ProducesProblems(StatusCodes.Status401Unauthorized);

        group.MapGet("/", (HttpContext context, UserDirectorySource users, DefinitionRegistry registry) =>
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && users.Current.FindById(id) is { } user
                    ? Results.Ok(Json(user, registry, context.User.Identity!.AuthenticationType!))
                    : Problems.Of(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, "Chưa đăng nhập.", "no session and no bearer token"))
            .AllowAnonymous()
            .WithSummary("Who am I: the signed-in user's id, name, role and agency")
            .Produces<SessionJson>()
            .ProducesProblems(StatusCodes.Status401Unauthorized);

        group.MapDelete("/", async (HttpContext context) =>
            {
                await context.SignOutAsync(CookieScheme).ConfigureAwait(false);
                return Results.NoContent();
            })
            .AllowAnonymous()
            .WithSummary("Sign out: the session cookie is removed (requires the X-PE-CSRF header when signed in by cookie)");

        return group;
    }

    private static SessionJson Json(ApiUser user, DefinitionRegistry registry, string scheme) =>
        new(user.Id, user.Name, user.Role.ToString().ToLowerInvariant(), user.Agency,
            user.Agency is null ? null : registry.Catalog.Agencies.FirstOrDefault(a => a.Id == user.Agency)?.Name,
            scheme == CookieScheme ? "session" : "token",
            user.Agency is not null && registry.Catalog.Agencies.Any(a => a.Id == user.Agency && a.OneStop));
}
