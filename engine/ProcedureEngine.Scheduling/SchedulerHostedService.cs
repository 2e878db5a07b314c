using System.Collections.Specialized;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using Quartz.Impl;
using Quartz.Spi;

namespace ProcedureEngine.Scheduling;

/// <summary>
/// Runs the Quartz scheduler for the lifetime of the host: RAM job store when embedded, clustered
/// ADO job store on PostgreSQL in server mode. Schedules the deadline sweep on start.
/// </summary>
public sealed class SchedulerHostedService(SchedulerOptions options, IJobFactory jobFactory, ILogger<SchedulerHostedService> logger)
    : IHostedService, IAsyncDisposable
{
    private static readonly SemaphoreSlim CreationGate = new(1, 1);
    private IScheduler? scheduler;

    public IScheduler Scheduler => scheduler ?? throw new InvalidOperationException("the scheduler has not started");

    public static NameValueCollection BuildProperties(SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = options.SchedulerName,
            ["quartz.scheduler.instanceId"] = options.InstanceId,
            ["quartz.threadPool.maxConcurrency"] = options.ThreadCount.ToString(CultureInfo.InvariantCulture),
            ["quartz.serializer.type"] = typeof(JsonObjectSerializer).AssemblyQualifiedName,
        };
        if (options.Store == SchedulerStore.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                throw new ArgumentException("the PostgreSQL scheduler store needs a connection string", nameof(options));
            }

            properties["quartz.jobStore.type"] = "Quartz.Impl.AdoJobStore.JobStoreTX, Quartz";
            properties["quartz.jobStore.driverDelegateType"] = "Quartz.Impl.AdoJobStore.PostgreSQLDelegate, Quartz";
            properties["quartz.jobStore.tablePrefix"] = options.TablePrefix;
            properties["quartz.jobStore.dataSource"] = "events";
            properties["quartz.jobStore.clustered"] = "true";
            properties["quartz.jobStore.clusterCheckinInterval"] =
                ((long)options.ClusterCheckinInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            properties["quartz.jobStore.clusterCheckinMisfireThreshold"] =
                ((long)options.ClusterCheckinMisfireThreshold.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            properties["quartz.jobStore.useProperties"] = "false";
            properties["quartz.jobStore.performSchemaValidation"] = "true";
            properties["quartz.dataSource.events.provider"] = "Npgsql";
            properties["quartz.dataSource.events.connectionString"] = options.ConnectionString;
        }
        else
        {
            properties["quartz.jobStore.type"] = "Quartz.Simpl.RAMJobStore, Quartz";
        }

        return properties;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        scheduler = await CreateOwnedSchedulerAsync(cancellationToken).ConfigureAwait(false);
        scheduler.JobFactory = jobFactory;

        var job = JobBuilder.Create<DeadlineSweepJob>()
            .WithIdentity(DeadlineSweepJob.Key)
            .WithDescription("Applies the engine's time rules (warnings, apologies, overdue flags) to due dossiers")
            .StoreDurably()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity("deadline-sweep-trigger", DeadlineSweepJob.Key.Group)
            .ForJob(DeadlineSweepJob.Key)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(options.SweepInterval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount())
            .Build();

        // Several nodes may start at once on one database: replace=true makes this idempotent.
        await scheduler.ScheduleJob(job, [trigger], replace: true, cancellationToken).ConfigureAwait(false);
        await scheduler.Start(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Scheduler {Name}/{Instance} started ({Store} store), sweeping every {Interval}",
            scheduler.SchedulerName, scheduler.SchedulerInstanceId, options.Store, options.SweepInterval);
    }

    /// <summary>
    /// Quartz keeps a process-wide registry of schedulers by name and hands an existing one back to a
    /// factory asking for the same name. This service owns its scheduler, so it takes it out of that
    /// registry: two services (cluster nodes in one test process, or two hosts) never share one.
    /// </summary>
    private async Task<IScheduler> CreateOwnedSchedulerAsync(CancellationToken cancellationToken)
    {
        await CreationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var created = await new StdSchedulerFactory(BuildProperties(options)).GetScheduler(cancellationToken).ConfigureAwait(false);
            SchedulerRepository.Instance.Remove(created.SchedulerName, created.SchedulerInstanceId);
            return created;
        }
        finally
        {
            CreationGate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (scheduler is { IsShutdown: false })
        {
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
