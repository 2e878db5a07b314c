namespace ProcedureEngine.Host.Web.Operations;

/// <summary>
/// Feeds the async read models (reports, tracking book) from the global order while the server runs, and measures how
/// far each one is behind (<c>pe.projection.lag</c>, in events, counted up to 10,000). A database that stops answering
/// (a PostgreSQL failover, a restart) is waited out with a growing pause up to 10 s and logged once per outage as a
/// warning, without a stack trace: the worker never stops the server.
/// </summary>
internal sealed class ProjectionWorker(IEventStore store, IReadOnlyList<IProjection> projections, ILogger<ProjectionWorker> logger) : BackgroundService
{
    private const int LagCountLimit = 10_000;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The pause after a catch-up that found new events. Under load the events of a quarter second go in one batch
    /// (one transaction for the read models standing together) instead of a transaction for every few appends, each
    /// one holding SQLite's single writer (and syncing its log) while receipts wait; the reports stay within a second.
    /// </summary>
    private static readonly TimeSpan Busy = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LagEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IProjection[] asyncOnes = [.. projections.Where(p => p.Mode == ProjectionMode.Async)];
        var daemon = new ProjectionDaemon(store, asyncOnes);
        var pause = Idle;
        var failing = false;
        var lagMeasuredAt = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var applied = await daemon.CatchUpAsync(stoppingToken).ConfigureAwait(false);
                if (DateTime.UtcNow - lagMeasuredAt >= LagEvery)
                {
                    foreach (var projection in asyncOnes)
                    {
                        var checkpoint = await store.GetCheckpointAsync(projection.Name, stoppingToken).ConfigureAwait(false);
                        var behind = await store.ReadAllAsync(checkpoint, LagCountLimit, stoppingToken).ConfigureAwait(false);
                        EngineTelemetry.SetLag(projection.Name, behind.Events.Count);
                    }

                    lagMeasuredAt = DateTime.UtcNow;
                }

                if (failing)
                {
                    logger.LogInformation("Read models catching up again after the database came back");
                    failing = false;
                }

                pause = applied > 0 ? Busy : Idle;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (StoreOutage.Is(e))
            {
                if (!failing)
                {
                    logger.LogWarning("Read models paused: the database did not answer ({Reason}); retrying", e.Message);
                    failing = true;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }

            try
            {
                await Task.Delay(pause, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
