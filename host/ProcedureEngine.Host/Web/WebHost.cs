using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.FileProviders;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.EventStore;
using ProcedureEngine.EventStore.Postgres;
using ProcedureEngine.Host.Web.Definitions;
using ProcedureEngine.Host.Web.Dossiers;
using ProcedureEngine.Host.Web.Operations;
using ProcedureEngine.Host.Web.Security;
using ProcedureEngine.Host.Web.Workspace;
using ProcedureEngine.Scheduling;
using Quartz.Spi;

namespace ProcedureEngine.Host.Web;

/// <summary>Builds the `serve` application: HTTP API, OpenAPI document, designer, scheduler and projection daemon.</summary>
public static class WebHost
{
    public static async Task<WebApplication> BuildAsync(ServerOptions options, Action<string>? announce = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        announce ??= Console.WriteLine;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
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

        var connection = options.Store == "sqlite" && string.IsNullOrWhiteSpace(options.Connection)
            ? Path.Combine(options.DataRoot, "procedure-engine.db")
            : options.Connection;
        if (options.Store == "sqlite")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(connection!))!);
        }

        var projections = DossierProjections.All();
        var store = EventStores.Open(options.Store, connection, projections);
        await store.MigrateAsync().ConfigureAwait(false);
        if (store is PostgresEventStore pg)
        {
            await using var db = await pg.OpenConnectionAsync().ConfigureAwait(false);
            await QuartzSchema.MigrateAsync((Npgsql.NpgsqlConnection)db).ConfigureAwait(false);
        }

        var services = builder.Services;
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;

            // A misspelt key ("documnets") must not silently become "no documents": it is refused with its path.
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

            // {"documents": [...], "documents": []}: which one counts is the reader's guess; refuse it.
            json.SerializerOptions.AllowDuplicateProperties = false;
        });
        services.AddSingleton(users);
        services.AddSingleton(new PublicSite(options.PublicUrl ?? options.Urls.Split(';')[0], options.Place, options.ParentAgency, users));
        services.AddSingleton(registry);
        services.AddSingleton(store);
        services.AddSingleton(options.Clock);
        services.AddSingleton(new DossierEventStore(store));
        services.AddSingleton<DossierService>();
        services.AddSingleton<DeadlineSweep>();
        services.AddSingleton<ITimerSweep>(sp => sp.GetRequiredService<DeadlineSweep>());
        services.AddSingleton<DossierQueries>();
        services.AddWorkspace();
        services.AddSingleton(new SchedulerOptions
        {
            Store = store is PostgresEventStore ? SchedulerStore.Postgres : SchedulerStore.Ram,
            ConnectionString = store is PostgresEventStore ? connection : null,
            SweepInterval = options.SweepInterval,
        });
        services.AddSingleton<IJobFactory, ServiceProviderJobFactory>();
        services.AddHostedService<SchedulerHostedService>();
        services.AddHostedService(sp => new ProjectionDaemonService(sp.GetRequiredService<IEventStore>(), projections));
        services.AddTokenOrSessionAuthentication(options.DataRoot);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, p => p.RequireRole(nameof(UserRole.Officer), nameof(UserRole.Auditor), nameof(UserRole.Admin)))
            .AddPolicy(Policies.SubmitOnline, p => p.RequireRole(nameof(UserRole.Portal)))
            .AddPolicy(Policies.ActOnDossiers, p => p.RequireRole(nameof(UserRole.Officer)))
            .AddPolicy(Policies.Author, p => p.RequireRole(nameof(UserRole.Admin)));
        services.AddOpenApi();
        services.AddHealth(projections);

        // A body that is not the JSON an endpoint expects is answered with the reason and where (the handler below),
        // not with an empty 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        var app = builder.Build();
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var exception = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
            (int status, string message) = exception switch
            {
                BadHttpRequestException { InnerException: JsonException json } bad => (bad.StatusCode, $"the request body is not valid JSON for this endpoint: {json.Message}"),
                BadHttpRequestException bad => (bad.StatusCode, bad.InnerException?.Message ?? bad.Message),
                EventStoreException store => (StatusCodes.Status500InternalServerError, store.Message),
                _ => (StatusCodes.Status500InternalServerError, "internal error; see the server log"),
            };
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = message }).ConfigureAwait(false);
        }));
        app.UseAuthentication();
        app.UseSessionCsrfGuard();
        app.UseRequestFingerprints();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapSession();
        app.MapDefinitions();
        app.MapDossiers();
        app.MapOnlineSubmissions();
        app.MapTracking();
        app.MapHealth();
        app.MapWorkspace();

        // The front end (designer/, built by `npm run build` into designer/dist): pages at /designer/, /workspace/, ...
        // and their fingerprinted assets under /assets/, cached for good; the pages themselves are always revalidated.
        var web = options.DesignerRoot ?? Path.Combine(AppContext.BaseDirectory, "designer");
        if (Directory.Exists(web))
        {
            var files = new PhysicalFileProvider(Path.GetFullPath(web));
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                    context.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
            });
        }

        app.MapGet("/", () => Results.Redirect("/designer/")).ExcludeFromDescription();
        return app;
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

/// <summary>Feeds the async projections (reports, tracking book) from the global order while the server runs.</summary>
internal sealed class ProjectionDaemonService(IEventStore store, IReadOnlyList<IProjection> projections) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new ProjectionDaemon(store, [.. projections.Where(p => p.Mode == ProjectionMode.Async)]).RunAsync(TimeSpan.FromSeconds(1), stoppingToken);
}
