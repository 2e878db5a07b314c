using System.CommandLine;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `--store sqlite|postgres` and `--connection "..."`, shared by every verb that touches a store. Without
/// --connection the environment variable ConnectionStrings__Events is used, then the embedded SQLite file
/// ./data/procedure-engine.db.
/// </summary>
internal sealed class StoreOptions
{
    public const string ConnectionEnvironmentVariable = "ConnectionStrings__Events";

    public Option<string> Store { get; } = new("--store")
    {
        Description = "Event store backend: sqlite (embedded file, default) or postgres",
        DefaultValueFactory = _ => "sqlite",
    };

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "SQLite file or connection string, or Npgsql connection string (default: $ConnectionStrings__Events, else ./data/procedure-engine.db)",
    };

    public StoreOptions()
    {
        Store.AcceptOnlyFromAmong("sqlite", "postgres");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Store);
        command.Options.Add(Connection);
    }

    /// <summary>Opens the chosen store with the dossier read models and the notification outbox registered (every append puts its messages in the outbox).</summary>
    public IEventStore Open(ParseResult parse)
    {
        var store = parse.GetValue(Store);
        var connection = parse.GetValue(Connection);
        if (string.IsNullOrWhiteSpace(connection))
        {
            connection = Environment.GetEnvironmentVariable(ConnectionEnvironmentVariable);
        }

        return EventStores.Open(store, connection, [.. DossierProjections.All(), new Notifications.Outbox.NotificationOutboxProjection()]);
    }

    /// <summary>Where the store is, for messages (no password).</summary>
    public static string Describe(IEventStore store) => store switch
    {
        EventStore.Sqlite.SqliteEventStore sqlite => $"sqlite {sqlite.DataSource}",
        EventStore.Postgres.PostgresEventStore pg => $"postgres (schema {pg.Schema})",
        _ => store.Backend,
    };
}
