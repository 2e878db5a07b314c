using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ProcedureEngine.Host.Web.Security;

/// <summary>`Authorization: Bearer TOKEN` against the user directory.</summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UserDirectorySource users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";
    public const string AgencyClaim = "agency";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("expected 'Authorization: Bearer <token>'"));
        }

        var user = users.Current.FindByToken(header["Bearer ".Length..].Trim());
        if (user is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown token"));
        }

        var principal = Sessions.Principal(user, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>401 as problem details, saying whether the token was missing or not recognised.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.WriteAsync(Context, ProblemHandling.Unauthenticated(result.Failure?.Message)).ConfigureAwait(false);
    }

    /// <summary>403 as problem details.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, ProblemHandling.Forbidden());
}

public static class Policies
{
    /// <summary>Officers, auditors, administrators (not the portal's account).</summary>
    public const string Read = "read";

    /// <summary>The public service portal: lodges online dossiers and follows its submissions.</summary>
    public const string SubmitOnline = "submit-online";

    /// <summary>Officers acting on dossiers (the step's agency is checked by the engine).</summary>
    public const string ActOnDossiers = "act-on-dossiers";

    /// <summary>Administrators authoring and publishing definitions.</summary>
    public const string Author = "author";

    public static string UserId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("no authenticated user");

    public static string? Agency(this ClaimsPrincipal principal) => principal.FindFirstValue(TokenAuthenticationHandler.AgencyClaim);
}
