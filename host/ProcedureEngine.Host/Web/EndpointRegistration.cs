using Microsoft.Extensions.FileProviders;
using ProcedureEngine.Host.Web.Notifications;
using ProcedureEngine.Host.Web.Operations;
using ProcedureEngine.Host.Web.Workspace;

namespace ProcedureEngine.Host.Web;

/// <summary>The `serve` application's endpoints: the API with its OpenAPI document, and the designer's static files.</summary>
public static class EndpointRegistration
{
    public static WebApplication MapApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapDefinitions();
        app.MapDefinitionHistory();
        app.MapDefinitionTry();
        app.MapDossiers();
        app.MapOnlineSubmissions();
        app.MapTracking();
        app.MapHealth();
        app.MapSession();
        app.MapWorkspace();
        app.MapNotifications();
        ProcedureEngine.Host.Web.Calendars.CalendarEndpoints.MapCalendars(app);
        return app;
    }

    /// <summary>
    /// The front end (designer/, built by `npm run build` into designer/dist): pages at /designer/, /workspace/, ...
    /// and their fingerprinted assets under /assets/, cached for good; the pages themselves are always revalidated.
    /// </summary>
    public static WebApplication MapWebPages(this WebApplication app, string webRoot)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Directory.Exists(webRoot))
        {
            var files = new PhysicalFileProvider(Path.GetFullPath(webRoot));
            app.UseWhen(context => IsFrontEndFile(context.Request.Path), branch => branch.UseResponseCompression());
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                    context.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
            });
        }

        app.MapTrackingPage(webRoot);
        app.MapGet("/", () => Results.Redirect("/designer/")).ExcludeFromDescription();
        return app;
    }

    /// <summary>The front end's own files: fingerprinted assets and the pages (a folder or an .html file), never /api.</summary>
    private static bool IsFrontEndFile(PathString path) =>
        path.StartsWithSegments("/assets")
        || (!path.StartsWithSegments("/api") && path.Value is { } value && (value.EndsWith('/') || value.EndsWith(".html", StringComparison.Ordinal)));
}
