namespace ProcedureEngine.Host.Web;

/// <summary>How `serve` runs: where the definitions, data and store are, and where it listens.</summary>
public sealed record ServerOptions
{
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    public string DefinitionsRoot { get; init; } = "definitions";

    public string DataRoot { get; init; } = "data";

    /// <summary>users.yaml; default data/users.yaml, created with fresh tokens on first start.</summary>
    public string? UsersFile { get; init; }

    public string Store { get; init; } = "sqlite";

    public string? Connection { get; init; }

    public string? PublicUrl { get; init; }

    /// <summary>Place printed before the date on letters ("Bắc Ninh, ngày ..."); none when null.</summary>
    public string? Place { get; init; }

    /// <summary>The body the agencies belong to, printed above their names on letters ("UBND tỉnh Bắc Ninh").</summary>
    public string? ParentAgency { get; init; }

    /// <summary>The built front end (designer/dist); default: the copy next to the executable (designer/).</summary>
    public string? DesignerRoot { get; init; }

    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Public lookups (tracking page and API, rating) allowed per client address and minute.</summary>
    public int TrackLookupsPerMinute { get; init; } = 60;
    /// <summary>
    /// PostgreSQL only: how often the node checks in with the scheduler cluster; a node killed outright has its timers
    /// taken over after 1-2 intervals + 7.5 s (see <see cref="ProcedureEngine.Scheduling.SchedulerOptions.ClusterCheckinInterval"/>).
    /// </summary>
    public TimeSpan ClusterCheckinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Name of this node in traces and metrics (service.instance.id); default host:pid.</summary>
    public string? NodeName { get; init; }

    /// <summary>Console log lines: "text" (one line each, scopes included) or "json" (one JSON object per line).</summary>
    public string LogFormat { get; init; } = "text";

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>`--demo`: on a store without dossiers, seed the previous month and this month up to now (see Seeding.DemoMonth).</summary>
    public bool Demo { get; init; }

    /// <summary>How many dossiers the demo generates per month (receipts after now are left out).</summary>
    public int DemoDossiersPerMonth { get; init; } = 250;

    /// <summary>Configuration keys set by `serve` options (e.g. Notifications:Smtp:Host), over appsettings.json and the environment.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}
