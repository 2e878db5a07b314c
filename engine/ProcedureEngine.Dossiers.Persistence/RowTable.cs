using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

public enum ColumnType
{
    Text,
    Integer,
    Boolean,
    Time,
}

public sealed record Column(string Name, ColumnType Type, bool Nullable = true);

/// <summary>
/// A projection table read and written a batch at a time (load the rows of the dossiers a batch touches, fold in
/// memory, write back): one round trip per table and batch on PostgreSQL (unnest arrays), cheap per-row statements
/// on SQLite (in process). Times are timestamptz on PostgreSQL and fixed-width ISO 8601 UTC text on SQLite, so both
/// sort and compare correctly.
/// </summary>
public sealed class RowTable(string name, IReadOnlyList<Column> columns, IReadOnlyList<string> key)
{
    private const string SqliteTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public string Name { get; } = name;

    public IReadOnlyList<Column> Columns { get; } = columns;

    public IReadOnlyList<string> Key { get; } = key;

    /// <summary>The column every lookup filters on (the dossier id).</summary>
    public string Owner => Key[0];

    public string CreateSql(SqlDialect dialect)
    {
        var sql = new StringBuilder($"CREATE TABLE IF NOT EXISTS {Name} (");
        foreach (var column in Columns)
        {
            sql.Append(column.Name).Append(' ').Append(SqlType(column.Type, dialect));
            if (!column.Nullable)
            {
                sql.Append(" NOT NULL");
            }

            sql.Append(", ");
        }

        sql.Append("PRIMARY KEY (").Append(string.Join(", ", Key)).Append("))");
        return sql.ToString();
    }

    private static string SqlType(ColumnType type, SqlDialect dialect) => (type, dialect) switch
    {
        (ColumnType.Text, _) => "text",
        (ColumnType.Integer, SqlDialect.Postgres) => "bigint",
        (ColumnType.Integer, _) => "integer",
        (ColumnType.Boolean, SqlDialect.Postgres) => "boolean",
        (ColumnType.Boolean, _) => "integer",
        (ColumnType.Time, SqlDialect.Postgres) => "timestamptz",
        (ColumnType.Time, _) => "text",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Rows whose owner column is one of <paramref name="owners"/>; values in column order, typed (string, long, bool, DateTimeOffset).</summary>
    public async Task<List<object?[]>> LoadAsync(ProjectionContext context, IReadOnlyCollection<string> owners, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        if (owners.Count == 0)
        {
            return rows;
        }

        var select = $"SELECT {string.Join(", ", Columns.Select(c => c.Name))} FROM {Name} WHERE {Owner}";
        await using var command = context.Dialect == SqlDialect.Postgres
            ? context.Command($"{select} = ANY(@owners)").With("owners", owners.ToArray())
            : context.Command($"{select} IN (SELECT value FROM json_each(@owners))").With("owners", JsonSerializer.Serialize(owners));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[Columns.Count];
            for (var i = 0; i < Columns.Count; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Read(reader, i, Columns[i].Type, context.Dialect);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Deletes every row of the given owners.</summary>
    public async Task DeleteAsync(ProjectionContext context, IReadOnlyCollection<string> owners, CancellationToken cancellationToken)
    {
        if (owners.Count == 0)
        {
            return;
        }

        await using var command = context.Dialect == SqlDialect.Postgres
            ? context.Command($"DELETE FROM {Name} WHERE {Owner} = ANY(@owners)").With("owners", owners.ToArray())
            : context.Command($"DELETE FROM {Name} WHERE {Owner} IN (SELECT value FROM json_each(@owners))").With("owners", JsonSerializer.Serialize(owners));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts rows, replacing those with the same key.</summary>
    public async Task UpsertAsync(ProjectionContext context, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", Columns.Select(c => c.Name));
        var nonKey = Columns.Where(c => !Key.Contains(c.Name)).Select(c => $"{c.Name} = excluded.{c.Name}").ToList();
        var conflict = $"ON CONFLICT ({string.Join(", ", Key)}) " + (nonKey.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", nonKey));
        if (context.Dialect == SqlDialect.Postgres)
        {
            var arrays = Columns.Select((c, i) => $"@p{i}::{SqlType(c.Type, SqlDialect.Postgres)}[]");
            await using var command = context.Command($"INSERT INTO {Name} ({names}) SELECT * FROM unnest({string.Join(", ", arrays)}) {conflict}");
            for (var i = 0; i < Columns.Count; i++)
            {
                command.With("p" + i.ToString(CultureInfo.InvariantCulture), ColumnArray(Columns[i].Type, rows, i));
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var values = string.Join(", ", Columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)));
        await using var single = context.Command($"INSERT INTO {Name} ({names}) VALUES ({values}) {conflict}");
        var parameters = new DbParameter[Columns.Count];
        for (var i = 0; i < Columns.Count; i++)
        {
            parameters[i] = single.CreateParameter();
            parameters[i].ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            single.Parameters.Add(parameters[i]);
        }

        foreach (var row in rows)
        {
            for (var i = 0; i < Columns.Count; i++)
            {
                parameters[i].Value = ToSqlite(row[i], Columns[i].Type);
            }

            await single.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static object ColumnArray(ColumnType type, IReadOnlyList<object?[]> rows, int column) => type switch
    {
        ColumnType.Text => rows.Select(r => (string?)r[column]).ToArray(),
        ColumnType.Integer => rows.Select(r => (long?)r[column]).ToArray(),
        ColumnType.Boolean => rows.Select(r => (bool?)r[column]).ToArray(),
        ColumnType.Time => rows.Select(r => r[column] is DateTimeOffset t ? t.ToUniversalTime() : (DateTimeOffset?)null).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static object ToSqlite(object? value, ColumnType type) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => FormatSqliteTime(t),
        bool b => b ? 1L : 0L,
        _ => value,
    };

    /// <summary>How a time is written in SQLite projection tables (for queries by the host).</summary>
    public static string FormatSqliteTime(DateTimeOffset time) => time.UtcDateTime.ToString(SqliteTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>A time column as this table writes it, read back on either backend.</summary>
    public static DateTimeOffset ReadTime(DbDataReader reader, int i, SqlDialect dialect) => (DateTimeOffset)Read(reader, i, ColumnType.Time, dialect);

    private static object Read(DbDataReader reader, int i, ColumnType type, SqlDialect dialect) => (type, dialect) switch
    {
        (ColumnType.Text, _) => reader.GetString(i),
        (ColumnType.Integer, _) => reader.GetInt64(i),
        (ColumnType.Boolean, SqlDialect.Postgres) => reader.GetBoolean(i),
        (ColumnType.Boolean, _) => reader.GetInt64(i) != 0,
        (ColumnType.Time, SqlDialect.Postgres) => new DateTimeOffset(reader.GetFieldValue<DateTime>(i), TimeSpan.Zero),
        (ColumnType.Time, _) => DateTimeOffset.Parse(reader.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
