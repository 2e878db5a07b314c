using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ProcedureEngine.EventStore.Postgres;
using ProcedureEngine.Scheduling;
using Quartz.Spi;

namespace ProcedureEngine.Host.Web;

/// <summary>The `serve` application's services, one concern per method.</summary>
public static class ServiceRegistration
{
    public const string DocumentName = "v1";

    public const string BearerScheme = "bearer";

    /// <summary>
    /// Brotli (or gzip) for the front end's pages, scripts, styles and SVG, as the browser asks (Accept-Encoding). Only
    /// the front end's own files are compressed (see MapWebPages): they carry no secret, so compressing them over
    /// HTTPS gives nothing away (BREACH needs a secret and attacker-chosen text in one compressed answer).
    /// </summary>
    public static IServiceCollection AddPageCompression(this IServiceCollection services) => services
        .AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
            o.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/json"];
        })
        .Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest)
        .Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);

    /// <summary>JSON as every endpoint reads and writes it: camelCase, enums as camelCase strings, unknown keys refused.</summary>
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions))
        // A body that is not the JSON an endpoint expects is answered with the reason and where (ProblemHandling),
        // not with an empty 400.
        .Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    /// <summary>The catalogue, the store and the dossier service with what the letters print.</summary>
    public static IServiceCollection AddDossierEngine(this IServiceCollection services, ServerOptions options, UserDirectorySource users,
        DefinitionRegistry registry, IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(users);
        services.AddSingleton(new PublicSite(options.PublicUrl ?? options.Urls.Split(';')[0], options.Place, options.ParentAgency, users));
        services.AddSingleton(registry);
        services.AddSingleton(store);
        services.AddSingleton(options.Clock);
        services.AddSingleton(new DossierEventStore(store));
        services.AddSingleton<DossierService>();
        services.AddSingleton<DossierQueries>();
        services.AddSingleton<ProcedureEngine.Host.Web.Calendars.CalendarReplanner>();
        return services;
    }

    /// <summary>The deadline sweep (Quartz; clustered on PostgreSQL) and the async projection daemon.</summary>
    public static IServiceCollection AddTimers(this IServiceCollection services, ServerOptions options, IEventStore store, string? connection,
        IReadOnlyList<IProjection> projections)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<DeadlineSweep>();
        services.AddSingleton<ITimerSweep>(sp => sp.GetRequiredService<DeadlineSweep>());
        services.AddSingleton(new SchedulerOptions
        {
            Store = store is PostgresEventStore ? SchedulerStore.Postgres : SchedulerStore.Ram,
            ConnectionString = store is PostgresEventStore ? connection : null,
            SweepInterval = options.SweepInterval,
            ClusterCheckinInterval = options.ClusterCheckinInterval,
            InstanceId = options.NodeName ?? "AUTO",
        });
        services.AddSingleton<IJobFactory, ServiceProviderJobFactory>();
        services.AddHostedService<SchedulerHostedService>();
        services.AddHostedService(sp => new Operations.ProjectionWorker(sp.GetRequiredService<IEventStore>(), projections, sp.GetRequiredService<ILogger<Operations.ProjectionWorker>>()));
        return services;
    }

    /// <summary>
    /// Bearer tokens from users.yaml or a browser session obtained with one (keys kept under <paramref name="dataRoot"/>),
    /// and one policy per audience (see docs/http-api.md).
    /// </summary>
    public static IServiceCollection AddTokenSecurity(this IServiceCollection services, string dataRoot)
    {
        services.AddTokenOrSessionAuthentication(dataRoot);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, p => p.RequireRole(nameof(UserRole.Officer), nameof(UserRole.Auditor), nameof(UserRole.Admin)))
            .AddPolicy(Policies.SubmitOnline, p => p.RequireRole(nameof(UserRole.Portal)))
            .AddPolicy(Policies.ActOnDossiers, p => p.RequireRole(nameof(UserRole.Officer)))
            .AddPolicy(Policies.Author, p => p.RequireRole(nameof(UserRole.Admin)));
        return services;
    }

    /// <summary>The OpenAPI document (/openapi/v1.json): bearer security on every operation that needs a token.</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ProcedureEngine API",
                    Version = "1",
                    Description = "One-stop (một cửa) dossiers, procedure definitions and public tracking. Every error is RFC 9457 problem details (application/problem+json, schema ApiProblem); see docs/http-api.md.",
                };
                document.Servers = [new OpenApiServer { Url = "/", Description = "The server this document was fetched from" }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API token from data/users.yaml (procedure-engine users add|reset-token).",
                };
                document.Tags = new HashSet<OpenApiTag>(
                [
                    new OpenApiTag { Name = "Dossiers", Description = "Receipt at the counter and every action on a dossier (officers); reads for officers, auditors and administrators" },
                    new OpenApiTag { Name = "Online submissions", Description = "The public service portal lodges dossiers and follows them until accepted" },
                    new OpenApiTag { Name = "Reports", Description = "Read-model reports" },
                    new OpenApiTag { Name = "Public", Description = "What anyone may read: the tracking lookup by dossier code" },
                    new OpenApiTag { Name = "Definitions", Description = "The procedure catalogue, validation, drafts and publishing" },
                ]);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var anonymous = metadata.OfType<IAllowAnonymous>().Any() || (!metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<AuthorizationPolicy>().Any());
                operation.Security = anonymous
                    ? []
                    : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                DescribeProblems(operation, context, anonymous);
                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// The problem answers every operation can give besides those it declares (ProducesProblems): 401/403 where a token
    /// is needed, 400 where it reads parameters or a body, 404 where its path names something, 503 when the database
    /// does not answer, 500 otherwise — each as <see cref="ApiProblem"/> (ErrorShapeTests walks them).
    /// </summary>
    private static void DescribeProblems(OpenApiOperation operation, OpenApiOperationTransformerContext context, bool anonymous)
    {
        var path = context.Description.RelativePath ?? "";
        var statuses = new List<(int Status, string Description)>();
        if (operation.RequestBody is not null || operation.Parameters is { Count: > 0 })
        {
            statuses.Add((StatusCodes.Status400BadRequest, "A parameter or body that is not what the operation takes"));
        }

        if (!anonymous)
        {
            statuses.Add((StatusCodes.Status401Unauthorized, "No token, or one that is not valid"));
            statuses.Add((StatusCodes.Status403Forbidden, "The token's role may not do this"));
        }

        if (path.Contains('{', StringComparison.Ordinal))
        {
            statuses.Add((StatusCodes.Status404NotFound, "What the path names does not exist"));
        }

        statuses.Add((StatusCodes.Status500InternalServerError, "An unexpected failure (logged)"));
        statuses.Add((StatusCodes.Status503ServiceUnavailable, "The database does not answer; retry after Retry-After seconds"));

        operation.Responses ??= [];
        foreach (var (status, description) in statuses)
        {
            var key = status.ToString(CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                operation.Responses[key] = new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [Problems.ContentType] = new() { Schema = new OpenApiSchemaReference(nameof(ApiProblem), context.Document) },
                    },
                };
            }
        }
    }

    /// <summary>The document as JSON (OpenAPI 3.1), the same bytes whether served or written by `procedure-engine openapi`.</summary>
    public static async Task<string> SerializeAsync(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var writer = new OpenApiJsonWriter(text);
        document.SerializeAsV31(writer);
        await writer.FlushAsync().ConfigureAwait(false);
        return text.ToString();
    }
}
