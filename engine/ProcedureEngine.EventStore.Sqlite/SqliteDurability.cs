namespace ProcedureEngine.EventStore.Sqlite;

/// <summary>SQLite's <c>PRAGMA synchronous</c> for the store's connections (the journal is always WAL).</summary>
public enum SqliteDurability
{
    /// <summary>The WAL is fsynced at every commit: an acknowledged append survives power loss. The default.</summary>
    Full,

    /// <summary>The WAL is fsynced only at checkpoints: the last acknowledged commits may be lost on power loss.</summary>
    Normal,
}
