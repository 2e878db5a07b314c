namespace ProcedureEngine.Scheduling;

public enum SchedulerStore
{
    /// <summary>In-memory job store: the embedded single-node default.</summary>
    Ram,

    /// <summary>Clustered ADO job store on PostgreSQL: several server nodes share one database.</summary>
    Postgres,
}

public sealed record SchedulerOptions
{
    public SchedulerStore Store { get; init; } = SchedulerStore.Ram;

    /// <summary>PostgreSQL connection string (Store = Postgres).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Scheduler name; nodes of one cluster share it.</summary>
    public string SchedulerName { get; init; } = "procedure-engine";

    /// <summary>Node id within the cluster; "AUTO" lets Quartz generate one.</summary>
    public string InstanceId { get; init; } = "AUTO";

    /// <summary>How often overdue/warning timers are swept.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Cluster check-in interval (how fast a dead node's jobs are taken over).</summary>
    public TimeSpan ClusterCheckinInterval { get; init; } = TimeSpan.FromSeconds(15);

    public int ThreadCount { get; init; } = 2;

    /// <summary>Quartz table prefix in PostgreSQL.</summary>
    public string TablePrefix { get; init; } = "qrtz_";
}
