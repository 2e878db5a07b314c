using Microsoft.Extensions.FileProviders;
using ProcedureEngine.EventStore;
using ProcedureEngine.Host.Web.Definitions;
using ProcedureEngine.Host.Web.Dossiers;
using ProcedureEngine.Host.Web.Operations;

namespace ProcedureEngine.Host.Web;

/// <summary>The `serve` application's endpoints: the API with its OpenAPI document, and the designer's static files.</summary>
public static class EndpointRegistration
{
    public static WebApplication MapApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapDefinitions();
        app.MapDossiers();
        app.MapOnlineSubmissions();
        app.MapTracking();
        app.MapHealth();
        return app;
    }

    /// <summary>The web designer under /designer/ (when its folder exists); / redirects there.</summary>
    public static WebApplication MapDesigner(this WebApplication app, string designerRoot)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Directory.Exists(designerRoot))
        {
            var files = new PhysicalFileProvider(Path.GetFullPath(designerRoot));
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = "/designer" });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = "/designer" });
        }

        app.MapGet("/", () => Results.Redirect("/designer/")).ExcludeFromDescription();
        return app;
    }
}
