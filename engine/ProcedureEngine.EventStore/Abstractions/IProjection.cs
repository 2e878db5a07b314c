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

/// <summary>
/// The connection and transaction a projection writes through. Writes that need no answer (upserts, inserts, deletes)
/// go through <see cref="Write"/>: they wait, in order, and are sent together at the next <see cref="FlushAsync"/> — on
/// PostgreSQL as one batch, one round trip for all the read models of an append instead of one per statement. The
/// store flushes before it commits; a read, or a write that must run at once, takes its command from
/// <see cref="CommandAsync"/>, which flushes first, so a read always sees the writes before it.
/// </summary>
public sealed class ProjectionContext(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
{
    private readonly List<ProjectionWrite> writes = [];

    public DbConnection Connection { get; } = connection;

    public DbTransaction Transaction { get; } = transaction;

    public SqlDialect Dialect { get; } = dialect;

    /// <summary>A write sent with the others at the next flush; add its parameters with <see cref="ProjectionWrite.With"/>.</summary>
    public ProjectionWrite Write(string sql)
    {
        var write = new ProjectionWrite(sql);
        writes.Add(write);
        return write;
    }

    /// <summary>Sends the waiting writes, in order (an error of any of them surfaces here).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => FlushAsync(commit: false, cancellationToken);

    /// <summary>
    /// Sends the waiting writes; with <paramref name="commit"/> a <c>COMMIT</c> goes last in the same batch (one round
    /// trip for the writes and the commit; the store's dialect asks for it only where the driver follows a commit sent
    /// as SQL). A failing write stops the batch before the commit: the transaction is then rolled back by its disposal.
    /// </summary>
    internal async Task FlushAsync(bool commit, CancellationToken cancellationToken)
    {
        if (writes.Count == 0 && !commit)
        {
            return;
        }

        if (commit && !Connection.CanCreateBatch)
        {
            throw new InvalidOperationException("this connection cannot send a batch: commit the transaction itself");
        }

        ProjectionWrite[] pending = [.. writes];
        writes.Clear();
        if (commit || (pending.Length > 1 && Connection.CanCreateBatch))
        {
            await using var batch = Connection.CreateBatch();
            batch.Transaction = Transaction;
            foreach (var write in pending)
            {
                var command = batch.CreateBatchCommand();
#pragma warning disable CA2100 // projection SQL is fixed text written by the projection's author; values go through parameters
                command.CommandText = write.Sql;
#pragma warning restore CA2100
                foreach (var (name, value) in write.Parameters)
                {
                    command.Parameters.Add(DbCommandExtensions.Parameter(command.CreateParameter(), name, value));
                }

                batch.BatchCommands.Add(command);
            }

            if (commit)
            {
                var end = batch.CreateBatchCommand();
                end.CommandText = "COMMIT";
                batch.BatchCommands.Add(end);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var write in pending)
        {
            await using var command = Command(write.Sql);
            foreach (var (name, value) in write.Parameters)
            {
                command.With(name, value);
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A command bound to the transaction, after the waiting writes were sent.</summary>
    public async Task<DbCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return Command(sql);
    }

    /// <summary>A command bound to the transaction; refused while writes wait (use <see cref="CommandAsync"/>).</summary>
    public DbCommand Command(string sql)
    {
        if (writes.Count > 0)
        {
            throw new InvalidOperationException($"{writes.Count} projection write(s) wait to be sent: a command now would not see them (take it from CommandAsync, which sends them first)");
        }

        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
#pragma warning disable CA2100 // projection SQL is fixed text written by the projection's author; values go through parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }
}

/// <summary>One waiting projection write: its SQL (@name parameters) and parameter values.</summary>
public sealed class ProjectionWrite(string sql)
{
    private readonly List<(string Name, object? Value)> parameters = [];

    public string Sql { get; set; } = sql;

    public IReadOnlyList<(string Name, object? Value)> Parameters => parameters;

    public ProjectionWrite With(string name, object? value)
    {
        parameters.Add((name, value));
        return this;
    }
}

/// <summary>Helpers to add parameters without repeating the ADO.NET ceremony.</summary>
public static class DbCommandExtensions
{
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        command.Parameters.Add(Parameter(command.CreateParameter(), name, value));
        return command;
    }

    /// <summary>Names a new parameter and sets its value (null: SQL NULL).</summary>
    internal static DbParameter Parameter(DbParameter parameter, string name, object? value)
    {
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }
}
