namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>The workspace's server side: worklist, audit timeline and verification, dashboard, public tracking and rating.</summary>
public static class WorkspaceSetup
{
    public static IServiceCollection AddWorkspace(this IServiceCollection services)
    {
        services.AddSingleton<ReadModelSql>();
        services.AddSingleton<CatalogNames>();
        services.AddSingleton<WorklistQueries>();
        services.AddSingleton<AuditTimeline>();
        return services;
    }

    public static IEndpointRouteBuilder MapWorkspace(this IEndpointRouteBuilder app)
    {
        app.MapWorklist();
        app.MapAudit();
        return app;
    }
}
