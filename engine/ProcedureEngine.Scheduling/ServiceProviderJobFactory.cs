using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Quartz.Spi;

namespace ProcedureEngine.Scheduling;

/// <summary>
/// Creates each job execution in its own DI scope (so a job gets scoped services such as a store
/// session) and disposes that scope when Quartz returns the job.
/// </summary>
public sealed class ServiceProviderJobFactory(IServiceProvider services) : IJobFactory
{
    private readonly ConcurrentDictionary<IJob, IServiceScope> scopes = new(ReferenceEqualityComparer.Instance);

    public IJob NewJob(TriggerFiredBundle bundle, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var scope = services.CreateScope();
        try
        {
            var job = (IJob)ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, bundle.JobDetail.JobType);
            scopes[job] = scope;
            return job;
        }
        catch (Exception e)
        {
            scope.Dispose();
            throw new SchedulerException($"cannot create job {bundle.JobDetail.JobType.Name}: {e.Message}", e);
        }
    }

    public void ReturnJob(IJob job)
    {
        if (scopes.TryRemove(job, out var scope))
        {
            scope.Dispose();
        }
    }

    /// <summary>Scopes still open (jobs running). For tests and diagnostics.</summary>
    public int OpenScopes => scopes.Count;
}
