using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProcedureEngine.Scheduling;

namespace ProcedureEngine.Scheduling.Tests;

/// <summary>A sweep that records when it ran, on which node, and whether two runs ever overlapped.</summary>
internal sealed class RecordingSweep(string node, SweepLog log) : ITimerSweep
{
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        log.Enter(node, now);
        try
        {
            await Task.Delay(150, cancellationToken).ConfigureAwait(false);
            return 1;
        }
        finally
        {
            log.Exit();
        }
    }
}

internal sealed class SweepLog
{
    private readonly Lock gate = new();
    private int running;

    public List<(string Node, DateTimeOffset Now)> Runs { get; } = [];

    public int MaxConcurrent { get; private set; }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return Runs.Count;
            }
        }
    }

    public void Enter(string node, DateTimeOffset now)
    {
        lock (gate)
        {
            running++;
            MaxConcurrent = Math.Max(MaxConcurrent, running);
            Runs.Add((node, now));
        }
    }

    public void Exit()
    {
        lock (gate)
        {
            running--;
        }
    }

    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}

internal static class Node
{
    public static (SchedulerHostedService Service, ServiceProvider Provider) Create(string name, SchedulerOptions options, SweepLog log, TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton(log);
        services.AddScoped<ITimerSweep>(sp => new RecordingSweep(name, sp.GetRequiredService<SweepLog>()));
        var provider = services.BuildServiceProvider();
        var service = new SchedulerHostedService(options, new ServiceProviderJobFactory(provider), NullLogger<SchedulerHostedService>.Instance);
        return (service, provider);
    }
}
