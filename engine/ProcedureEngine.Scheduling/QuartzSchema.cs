using Npgsql;

namespace ProcedureEngine.Scheduling;

/// <summary>The clustered job store's tables in PostgreSQL; created idempotently by `migrate`.</summary>
public static class QuartzSchema
{
    public static string PostgresScript { get; } = ReadScript("quartz-postgres.sql");

    public static async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand(PostgresScript, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ReadScript(string name)
    {
        var assembly = typeof(QuartzSchema).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
