using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ProcedureEngine.EventStore.Postgres;
using ProcedureEngine.Host.Web.Operations;
using ProcedureEngine.Host.Web.Notifications;
using ProcedureEngine.Host.Web.Workspace;
using ProcedureEngine.Scheduling;

namespace ProcedureEngine.Host.Web;

/// <summary>
/// Builds the `serve` application: opens what it runs on (users, catalogue, store), then composes the
/// services (<see cref="ServiceRegistration"/>) and the endpoints (<see cref="EndpointRegistration"/>).
/// </summary>
public static class WebHost
{
    public static async Task<WebApplication> BuildAsync(ServerOptions options, Action<string>? announce = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        announce ??= Console.WriteLine;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.AddTelemetry(options);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("ProcedureEngine", LogLevel.Information);

        // Session keys are kept unencrypted in data/session-keys (like users.yaml, protected by the folder's rights).
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        var users = LoadUsers(options, announce);
        var registry = new DefinitionRegistry(options.DefinitionsRoot, options.DataRoot);
        if (registry.Catalog.HasErrors)
        {
            announce($"definitions: {registry.Catalog.ErrorCount} error(s); definitions with errors cannot start dossiers (run `procedure-engine validate {options.DefinitionsRoot}`)");
        }

        var (store, connection, projections) = await OpenStoreAsync(options).ConfigureAwait(false);
        if (options.Demo)
        {
            await Seeding.DemoMonth.SeedIfEmptyAsync(store, options.DefinitionsRoot, options.Clock.GetUtcNow(), options.DemoDossiersPerMonth, announce).ConfigureAwait(false);
        }

        builder.Configuration.AddInMemoryCollection(options.Settings);
        builder.Services.AddNotifications(builder.Configuration, options.PublicUrl ?? options.Urls.Split(';')[0], options.Clock, announce);
        builder.Services
            .AddApiJson()
            .AddDossierEngine(options, users, registry, store)
            .AddTimers(options, store, connection, projections)
            .AddTokenSecurity(options.DataRoot)
            .AddWorkspace(options.DataRoot, options.TrackLookupsPerMinute)
            .AddApiDocument()
            .AddPageCompression()
            .AddHealth(projections);

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseTelemetry();
        app.UseProblemDetailsForErrors();
        app.UseRouting();
        app.UseAuthentication();
        app.UseSessionCsrfGuard();
        app.UseRequestFingerprints();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapApi();
        app.MapWebPages(options.DesignerRoot ?? Path.Combine(AppContext.BaseDirectory, "designer"));

        // Explicit, so the endpoints are known before the server starts (the `openapi` verb never starts it).
        app.UseEndpoints(_ => { });
        return app;
    }

    /// <summary>
    /// The OpenAPI document exactly as `/openapi/v1.json` serves it, without listening anywhere: the
    /// application is composed over a throwaway data folder and asked for its document.
    /// </summary>
    public static async Task<string> OpenApiDocumentAsync(CancellationToken cancellationToken = default)
    {
        var root = Directory.CreateTempSubdirectory("pe-openapi-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "definitions"));
            var app = await BuildAsync(new ServerOptions
            {
                Urls = "http://127.0.0.1:0",
                DefinitionsRoot = Path.Combine(root, "definitions"),
                DataRoot = Path.Combine(root, "data"),
                DesignerRoot = Path.Combine(root, "no-designer"),
            }, _ => { }).ConfigureAwait(false);
            await using (app.ConfigureAwait(false))
            {
                var provider = app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>(ServiceRegistration.DocumentName);
                var document = await provider.GetOpenApiDocumentAsync(cancellationToken).ConfigureAwait(false);
                return await ServiceRegistration.SerializeAsync(document).ConfigureAwait(false);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<(IEventStore Store, string? Connection, IReadOnlyList<IProjection> Projections)> OpenStoreAsync(ServerOptions options)
    {
        var connection = options.Store == "sqlite" && string.IsNullOrWhiteSpace(options.Connection)
            ? Path.Combine(options.DataRoot, "procedure-engine.db")
            : options.Connection;
        if (options.Store == "sqlite")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(connection!))!);
        }

        IReadOnlyList<IProjection> projections = [.. DossierProjections.All(), new ProcedureEngine.Notifications.Outbox.NotificationOutboxProjection()];
        var store = EventStores.Open(options.Store, connection, projections);
        await store.MigrateAsync().ConfigureAwait(false);
        if (store is PostgresEventStore pg)
        {
            await using var db = await pg.OpenConnectionAsync().ConfigureAwait(false);
            await QuartzSchema.MigrateAsync((Npgsql.NpgsqlConnection)db).ConfigureAwait(false);
        }

        return (store, connection, projections);
    }

    private static UserDirectorySource LoadUsers(ServerOptions options, Action<string> announce)
    {
        var path = options.UsersFile ?? Path.Combine(options.DataRoot, "users.yaml");
        if (!File.Exists(path))
        {
            announce($"First start: created {path} with these API tokens (shown once; only hashes are stored):");
            foreach (var (user, token) in UserDirectory.CreateInitialFile(path, "one-stop"))
            {
                announce($"  {user.Role.ToString().ToLowerInvariant(),-8} {user.Id,-14} {token}");
            }

            announce("Officers of other agencies: procedure-engine users add ID --role officer --agency AGENCY --name \"...\"");
        }

        return UserDirectorySource.Watch(path, announce);
    }
}
