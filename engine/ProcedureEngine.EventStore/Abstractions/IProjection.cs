using System.Data.Common;

namespace ProcedureEngine.EventStore;

/// <summary>SQL flavour of a store, so projections can write the few statements that differ.</summary>
public enum SqlDialect
{
    Sqlite,
    Postgres,
}

/// <summary>When a projection sees events.</summary>
public enum ProjectionMode
{
    /// <summary>In the append transaction: the read model is never behind the stream.</summary>
    Inline,

    /// <summary>Later, by the projection daemon, fed by the global order with a checkpoint.</summary>
    Async,
}

/// <summary>One schema change: applied once per database, in (component, version) order.</summary>
public sealed record Migration(string Component, int Version, string Description, string Sql);

/// <summary>
/// A read model kept in tables of the store's own database. SQL uses @name parameters, which both
/// Microsoft.Data.Sqlite and Npgsql understand; <see cref="ProjectionContext.Dialect"/> tells the rest.
/// </summary>
public interface IProjection
{
    /// <summary>Stable name: the checkpoint key.</summary>
    string Name { get; }

    ProjectionMode Mode { get; }

    /// <summary>Tables the projection owns: emptied before a rebuild.</summary>
    IReadOnlyList<string> Tables { get; }

    /// <summary>Schema for the projection's tables in the given dialect.</summary>
    IReadOnlyList<Migration> Migrations(SqlDialect dialect);

    /// <summary>Applies events (in stream order within each stream) inside the caller's transaction.</summary>
    Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);
}

/// <summary>The connection and transaction a projection writes through.</summary>
public sealed class ProjectionContext(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
{
    public DbConnection Connection { get; } = connection;

    public DbTransaction Transaction { get; } = transaction;

    public SqlDialect Dialect { get; } = dialect;

    /// <summary>A command bound to the transaction.</summary>
    public DbCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
#pragma warning disable CA2100 // projection SQL is fixed text written by the projection's author; values go through parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }
}

/// <summary>Helpers to add parameters without repeating the ADO.NET ceremony.</summary>
public static class DbCommandExtensions
{
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
