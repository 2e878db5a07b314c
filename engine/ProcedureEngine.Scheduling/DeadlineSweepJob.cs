using Microsoft.Extensions.Logging;
using Quartz;

namespace ProcedureEngine.Scheduling;

/// <summary>
/// The one recurring job: sweeps due deadlines. Never runs twice at once, on one node or across a
/// cluster (Quartz's clustered store hands each firing to one node).
/// </summary>
[DisallowConcurrentExecution]
public sealed class DeadlineSweepJob(ITimerSweep sweep, TimeProvider clock, ILogger<DeadlineSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("deadline-sweep", "procedure-engine");

    public async Task Execute(IJobExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = clock.GetUtcNow();
        using var activity = SweepTelemetry.Source.StartActivity("deadline sweep");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var touched = await sweep.SweepAsync(now, context.CancellationToken).ConfigureAwait(false);
            context.Result = touched;
            activity?.SetTag("pe.dossiers_touched", touched);
            SweepTelemetry.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started), touched, "ok");
            if (touched > 0)
            {
                logger.LogInformation("Deadline sweep at {Now:O}: {Count} dossier(s) updated", now, touched);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Logged and retried on the next firing; a failing dossier must not stop the scheduler.
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            SweepTelemetry.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started), 0, "failed");
            logger.LogError(e, "Deadline sweep at {Now:O} failed", now);
            throw new JobExecutionException(e, refireImmediately: false);
        }
    }
}
