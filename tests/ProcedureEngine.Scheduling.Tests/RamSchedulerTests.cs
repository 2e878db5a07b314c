using Microsoft.Extensions.DependencyInjection;
using ProcedureEngine.Scheduling;
using Quartz;
using Quartz.Spi;

namespace ProcedureEngine.Scheduling.Tests;

public class RamSchedulerTests
{
    [Fact]
    public async Task Embedded_scheduler_sweeps_deadlines_repeatedly_with_the_host_clock()
    {
        var fixedNow = new DateTimeOffset(2026, 5, 19, 2, 0, 0, TimeSpan.Zero);
        var log = new SweepLog();
        var (service, provider) = Node.Create("embedded", new SchedulerOptions { SweepInterval = TimeSpan.FromMilliseconds(300) }, log, new FixedClock(fixedNow));
        await using (provider)
        {
            await service.StartAsync(CancellationToken.None);
            await log.WaitForAsync(3, TimeSpan.FromSeconds(20));
            await service.StopAsync(CancellationToken.None);
        }

        log.Count.ShouldBeGreaterThanOrEqualTo(3);
        log.Runs.ShouldAllBe(r => r.Now == fixedNow);
        log.MaxConcurrent.ShouldBe(1);
    }

    [Fact]
    public async Task Stopping_the_host_shuts_the_scheduler_down()
    {
        var log = new SweepLog();
        var (service, provider) = Node.Create("embedded", new SchedulerOptions { SweepInterval = TimeSpan.FromMilliseconds(200) }, log);
        await using (provider)
        {
            await service.StartAsync(CancellationToken.None);
            await log.WaitForAsync(1, TimeSpan.FromSeconds(20));
            await service.StopAsync(CancellationToken.None);
            var countAtStop = log.Count;
            await Task.Delay(700);

            service.Scheduler.IsShutdown.ShouldBeTrue();
            log.Count.ShouldBe(countAtStop);
        }
    }

    [Fact]
    public void Job_factory_gives_each_run_its_own_scope_and_disposes_it_when_the_job_returns()
    {
        var services = new ServiceCollection();
        services.AddScoped<ScopedThing>();
        services.AddTransient<NeedsScopedThing>();
        using var provider = services.BuildServiceProvider();
        var factory = new ServiceProviderJobFactory(provider);
        var bundle = Bundle(typeof(NeedsScopedThing));

        var first = (NeedsScopedThing)factory.NewJob(bundle, null!);
        var second = (NeedsScopedThing)factory.NewJob(bundle, null!);
        factory.OpenScopes.ShouldBe(2);
        first.Thing.ShouldNotBeSameAs(second.Thing);

        factory.ReturnJob(first);
        first.Thing.Disposed.ShouldBeTrue();
        second.Thing.Disposed.ShouldBeFalse();
        factory.ReturnJob(second);
        factory.OpenScopes.ShouldBe(0);
    }

    [Fact]
    public void Job_factory_reports_a_job_it_cannot_build_and_leaks_no_scope()
    {
        using var provider = new ServiceCollection().BuildServiceProvider();
        var factory = new ServiceProviderJobFactory(provider);

        var error = Should.Throw<SchedulerException>(() => factory.NewJob(Bundle(typeof(NeedsScopedThing)), null!));
        error.Message.ShouldContain(nameof(NeedsScopedThing));
        factory.OpenScopes.ShouldBe(0);
    }

    [Fact]
    public void Server_mode_without_a_connection_string_is_refused()
    {
        Should.Throw<ArgumentException>(() => SchedulerHostedService.BuildProperties(new SchedulerOptions { Store = SchedulerStore.Postgres }))
            .Message.ShouldContain("connection string");
    }

    private static TriggerFiredBundle Bundle(Type jobType)
    {
        var job = JobBuilder.Create(jobType).WithIdentity("j").Build();
        var trigger = (IOperableTrigger)TriggerBuilder.Create().WithIdentity("t").StartNow().Build();
        return new TriggerFiredBundle(job, trigger, null, false, DateTimeOffset.UtcNow, null, null, null);
    }

    internal sealed class ScopedThing : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    internal sealed class NeedsScopedThing(ScopedThing thing) : IJob
    {
        public ScopedThing Thing { get; } = thing;

        public Task Execute(IJobExecutionContext context) => Task.CompletedTask;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
