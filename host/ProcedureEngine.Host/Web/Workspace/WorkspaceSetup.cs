using System.Threading.RateLimiting;

namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>The workspace's server side: worklist, audit timeline and verification, dashboard, public tracking and rating.</summary>
public static class WorkspaceSetup
{
    public static IServiceCollection AddWorkspace(this IServiceCollection services, string dataRoot, int trackLookupsPerMinute = 60)
    {
        services.AddSingleton<ReadModelSql>();
        services.AddSingleton<CatalogNames>();
        services.AddSingleton<WorklistQueries>();
        services.AddSingleton<AuditTimeline>();
        services.AddSingleton<DefinitionsView>();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<Dossiers.PublicTracking>();
        services.AddSingleton(new RatingLinks(dataRoot));
        services.AddRateLimiter(o =>
        {
            // Public lookups (the tracking API and the rating) per client address: enough for a person, not for a scraper.
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/api/track") || context.Request.Path.StartsWithSegments("/track")
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = trackLookupsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("other"));
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                if (!context.HttpContext.Request.Path.StartsWithSegments("/api"))
                {
                    // The citizen's page itself: a readable page, not JSON.
                    context.HttpContext.Response.ContentType = "text/html; charset=utf-8";
                    await context.HttpContext.Response.WriteAsync(
                        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                        "<title>Tra cứu quá nhiều lần</title></head><body style=\"font: 18px/1.5 sans-serif; margin: 1rem\"><h1>Tra cứu quá nhiều lần</h1>" +
                        $"<p>Bạn tra cứu quá nhiều lần (tối đa {trackLookupsPerMinute} lần một phút); hãy thử lại sau một phút.</p></body></html>", ct).ConfigureAwait(false);
                    return;
                }

                await Errors.Problems.Of(StatusCodes.Status429TooManyRequests, "too-many-requests",
                        $"Bạn tra cứu quá nhiều lần (tối đa {trackLookupsPerMinute} lần một phút); hãy thử lại sau một phút.",
                        $"at most {trackLookupsPerMinute} lookups a minute from one address")
                    .ExecuteAsync(context.HttpContext).ConfigureAwait(false);
            };
        });
        return services;
    }

    public static IEndpointRouteBuilder MapWorkspace(this IEndpointRouteBuilder app)
    {
        app.MapWorklist();
        app.MapAudit();
        app.MapDashboard();
        app.MapRating();
        app.MapCounterPreview();
        app.MapDossierWork();
        return app;
    }
}
