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

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Configuration keys set by `serve` options (e.g. Notifications:Smtp:Host), over appsettings.json and the environment.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}
