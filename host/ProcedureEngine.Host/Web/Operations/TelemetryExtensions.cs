using System.Diagnostics;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ProcedureEngine.Host.Web.Operations;

/// <summary>
/// OpenTelemetry for `serve` (docs/deploy.md, section Telemetry): traces of ASP.NET Core requests, the engine's own spans (append,
/// deadline sweep) and Npgsql's, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; metrics (ASP.NET
/// Core, Npgsql, the engine's meters) scraped by Prometheus at <c>GET /metrics</c> and exported over OTLP too when
/// configured. Logs are one line each with the request id, the dossier code, and the trace and span ids as scopes
/// (<c>--log-format json</c> for one JSON object per line), formatted on the caller's thread
/// (<see cref="InlineConsoleLoggerProvider"/>) and written out in batches (<see cref="BufferedConsole"/>).
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Npgsql's own activity source and meter (what the Npgsql.OpenTelemetry package registers).</summary>
    public const string Npgsql = "Npgsql";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Logging.ClearProviders();
        BufferedConsole.Install();
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (options.LogFormat == "json")
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }

        InlineConsoleLoggerProvider.Replace(builder.Logging);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("procedure-engine", serviceInstanceId: options.NodeName ?? $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddSource(EngineTelemetry.Sources)
                .AddSource(Npgsql))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddMeter(EngineTelemetry.Meters)
                .AddMeter(Npgsql)
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The request log line (with its scopes) and the Prometheus scrape endpoint.</summary>
    public static WebApplication UseTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RequestLogging>();
        app.Lifetime.ApplicationStopped.Register(BufferedConsole.Flush);
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }

    internal static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}

/// <summary>
/// One log line per request (not the load balancer's probes nor the scraper's): method, path, status, time and the
/// dossier (from the route, or from the decision for a receipt), under the scopes RequestId, TraceId, SpanId and DossierCode. A client's error (4xx) is an
/// Information line without a stack trace; only 5xx answers are logged as errors.
/// </summary>
internal sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (TelemetryExtensions.IsProbe(context.Request.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var routeCode = context.GetRouteValue("id") as string;
        // ASP.NET Core's own scope already carries the RequestId (and the trace and span ids).
        using var _ = logger.BeginScope("DossierCode:{DossierCode}", routeCode ?? "-");
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var code = routeCode ?? context.GetRouteValue("id") as string ?? Activity.Current?.GetTagItem(EngineTelemetry.DossierCodeTag) as string;
            var status = context.Response.StatusCode;
            logger.Log(status >= 500 ? LogLevel.Error : LogLevel.Information,
                "{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms (dossier {DossierCode})",
                context.Request.Method, context.Request.Path.Value, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, code ?? "-");
        }
    }
}
