using ProcedureEngine.EventStore.Schema;

namespace ProcedureEngine.Host.Web.Operations;

/// <summary>
/// Liveness and readiness for a load balancer (docs/deploy.md): <c>GET /health</c> (alive: the process answers; never
/// touches the database, so a database outage does not get a node restarted) and <c>GET /health/ready</c> (200 only
/// when the database answers within 2 s, no migration this build expects is pending, and the node is not shutting
/// down; else 503 with the reason). Anonymous, outside the OpenAPI document.
/// </summary>
public static class HealthEndpoints
{
    public static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(2);

    public static IServiceCollection AddHealth(this IServiceCollection services, IReadOnlyList<IProjection> projections) =>
        services.AddSingleton(sp => new Readiness(sp.GetRequiredService<IEventStore>(), projections, sp.GetRequiredService<IHostApplicationLifetime>()));

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (IEventStore s) => Results.Ok(new { status = "ok", store = s.Backend })).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/health/ready", async (Readiness readiness, CancellationToken cancellationToken) =>
        {
            var report = await readiness.CheckAsync(cancellationToken).ConfigureAwait(false);
            return Results.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}

/// <summary>What <c>/health/ready</c> answers: ready or not, and each check's outcome ("ok" or the reason).</summary>
public sealed record ReadinessReport(bool Ready, string Status, string Store, IReadOnlyDictionary<string, string> Checks);

/// <summary>Checks the node can take traffic: database reachable, schema current, not stopping.</summary>
public sealed class Readiness(IEventStore store, IReadOnlyList<IProjection> projections, IHostApplicationLifetime lifetime)
{
    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            checks["node"] = "shutting down";
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HealthEndpoints.DatabaseTimeout);
        try
        {
            var pending = await SchemaStatus.PendingAsync(store, projections, timeout.Token).ConfigureAwait(false);
            checks["database"] = "ok";
            checks["migrations"] = pending.Count == 0 ? "ok" : $"pending: {string.Join(", ", pending)} (run `procedure-engine migrate`)";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            checks["database"] = $"no answer within {HealthEndpoints.DatabaseTimeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (StoreOutage.Is(e))
        {
            checks["database"] = $"unreachable: {e.Message}";
        }

        checks.TryAdd("migrations", "unknown (database unreachable)");
        var ready = checks.Count(c => c.Value == "ok") == 2 && !checks.ContainsKey("node");
        return new ReadinessReport(ready, ready ? "ready" : "not ready", store.Backend, checks);
    }
}
