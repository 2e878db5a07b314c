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

    /// <summary>
    /// Cluster check-in interval: how often each node records in the database that it is alive and looks for nodes
    /// that stopped doing so. A node killed without checking out is declared dead once its last check-in is older than
    /// max(this interval, the time since the surviving node's own last check-in) + <see cref="ClusterCheckinMisfireThreshold"/>,
    /// seen at a surviving node's next check-in; its timers then run there. Take-over therefore lies between
    /// interval + threshold and 2 x interval + threshold (default 5 s + 7.5 s: 12.5-17.5 s), then the next sweep.
    /// Shorter means faster take-over but one more UPDATE per node per interval and a node that stalls longer than
    /// interval + threshold (GC pause, a blocked database) being taken over while alive: the sweep is safe to run twice
    /// (one apology per late dossier), so the cost of a false take-over is a duplicate sweep, not a duplicate letter.
    /// </summary>
    public TimeSpan ClusterCheckinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Grace added to a node's check-in interval before it is declared dead (Quartz's default, 7.5 s).</summary>
    public TimeSpan ClusterCheckinMisfireThreshold { get; init; } = TimeSpan.FromSeconds(7.5);

    public int ThreadCount { get; init; } = 2;

    /// <summary>Quartz table prefix in PostgreSQL.</summary>
    public string TablePrefix { get; init; } = "qrtz_";
}
