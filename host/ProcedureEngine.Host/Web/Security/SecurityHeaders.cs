using Microsoft.Net.Http.Headers;

namespace ProcedureEngine.Host.Web.Security;

/// <summary>
/// The headers every answer carries (pages, their assets, API answers, letters, errors): a Content-Security-Policy
/// that runs only the server's own scripts (<c>script-src 'self'</c>, no inline script, no eval) and lets no other
/// site frame the page, <c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy: no-referrer</c> (a tracking URL
/// carries a dossier code), and on <c>/api/*</c> <c>Cache-Control: no-store</c> (answers carry applicants' personal
/// data). A 401 always says <c>WWW-Authenticate: Bearer</c>. Letters (HTML or PDF under /api) may be framed by the
/// server's own pages (the workspace prints them from a frame): <c>frame-ancestors 'self'</c> for them, 'none' for
/// everything else. Styles may be inline (letters carry their own style sheet, the editor sets styles from script).
/// </summary>
public static class SecurityHeaders
{
    public const string PolicyWithoutFrames =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });

    private static void Apply(HttpContext context)
    {
        var response = context.Response;
        var headers = response.Headers;
        var api = context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
        var letter = api && response.ContentType is { } type &&
                     (type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) || type.StartsWith("application/pdf", StringComparison.OrdinalIgnoreCase));
        headers.ContentSecurityPolicy = PolicyWithoutFrames + (letter ? "'self'" : "'none'");
        headers.XFrameOptions = letter ? "SAMEORIGIN" : "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        if (api)
        {
            headers.CacheControl = "no-store";
        }

        if (response.StatusCode == StatusCodes.Status401Unauthorized && !headers.ContainsKey(HeaderNames.WWWAuthenticate))
        {
            headers.WWWAuthenticate = "Bearer";
        }
    }
}
