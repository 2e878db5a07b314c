using System.Data.Common;
using System.Globalization;
using System.Reflection;
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
/// A read-model table: its name, columns and key, and how it is created on each backend. Times are timestamptz on
/// PostgreSQL and fixed-width ISO 8601 UTC text on SQLite, so both sort and compare correctly. The rows themselves are
/// records (<see cref="RowTable{TRow}"/>).
/// </summary>
public abstract class RowTable
{
    private const string SqliteTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private protected RowTable(string name, IReadOnlyList<Column> columns, IReadOnlyList<string> key)
    {
        Name = name;
        Columns = columns;
        Key = key;
    }

    public string Name { get; }

    public IReadOnlyList<Column> Columns { get; }

    public IReadOnlyList<string> Key { get; }

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

    private protected static string SqlType(ColumnType type, SqlDialect dialect) => (type, dialect) switch
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

    /// <summary>How a time is written in SQLite projection tables (for queries by the host).</summary>
    public static string FormatSqliteTime(DateTimeOffset time) => time.UtcDateTime.ToString(SqliteTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>A time column as these tables write it, read back on either backend.</summary>
    public static DateTimeOffset ReadTime(DbDataReader reader, int i, SqlDialect dialect) => (DateTimeOffset)Read(reader, i, ColumnType.Time, dialect);

    private protected static object Read(DbDataReader reader, int i, ColumnType type, SqlDialect dialect) => (type, dialect) switch
    {
        (ColumnType.Text, _) => reader.GetString(i),
        (ColumnType.Integer, _) => reader.GetInt64(i),
        (ColumnType.Boolean, SqlDialect.Postgres) => reader.GetBoolean(i),
        (ColumnType.Boolean, _) => reader.GetInt64(i) != 0,
        (ColumnType.Time, SqlDialect.Postgres) => new DateTimeOffset(reader.GetFieldValue<DateTime>(i), TimeSpan.Zero),
        (ColumnType.Time, _) => DateTimeOffset.Parse(reader.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private protected static object ToSqlite(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => FormatSqliteTime(t),
        bool b => b ? 1L : 0L,
        _ => value,
    };
}

/// <summary>
/// A read-model table whose rows are <typeparamref name="TRow"/> records, read and written a batch at a time (load the
/// rows of the dossiers a batch touches, fold in memory, write back): one round trip per table and batch on PostgreSQL
/// (unnest arrays), cheap per-row statements on SQLite (in process).
/// <para>
/// The record is the one place that maps a row to its columns: one column per parameter of its primary constructor,
/// in order, named in snake_case (<c>AppointmentAt</c> → <c>appointment_at</c>), typed by the parameter (string: text,
/// long: integer, bool: boolean, DateTimeOffset: time) and NOT NULL unless the parameter is nullable.
/// </para>
/// </summary>
public sealed class RowTable<TRow> : RowTable
    where TRow : class
{
    private readonly Func<TRow, object?>[] getters;
    private readonly Func<object?[], TRow> create;

    public RowTable(string name, params IReadOnlyList<string> key)
        : this(name, Describe(), key)
    {
    }

    private RowTable(string name, (Column[] Columns, Func<TRow, object?>[] Getters, Func<object?[], TRow> Create) map, IReadOnlyList<string> key)
        : base(name, map.Columns, key)
    {
        getters = map.Getters;
        create = map.Create;
        foreach (var k in key)
        {
            if (!map.Columns.Any(c => c.Name == k))
            {
                throw new ArgumentException($"{typeof(TRow).Name} has no column '{k}' for the key of {name}", nameof(key));
            }
        }
    }

    /// <summary>The row's values in column order (string, long, bool, DateTimeOffset or null).</summary>
    public object?[] Values(TRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var values = new object?[getters.Length];
        for (var i = 0; i < getters.Length; i++)
        {
            values[i] = getters[i](row);
        }

        return values;
    }

    /// <summary>Rows whose owner column is one of <paramref name="owners"/>.</summary>
    public async Task<List<TRow>> LoadAsync(ProjectionContext context, IReadOnlyCollection<string> owners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rows = new List<TRow>();
        if (owners.Count == 0)
        {
            return rows;
        }

        var select = $"SELECT {string.Join(", ", Columns.Select(c => c.Name))} FROM {Name} WHERE {Owner}";
        await using var command = context.Dialect == SqlDialect.Postgres
            ? (await context.CommandAsync($"{select} = ANY(@owners)", cancellationToken).ConfigureAwait(false)).With("owners", owners.ToArray())
            : (await context.CommandAsync($"{select} IN (SELECT value FROM json_each(@owners))", cancellationToken).ConfigureAwait(false)).With("owners", JsonSerializer.Serialize(owners));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var values = new object?[Columns.Count];
            for (var i = 0; i < Columns.Count; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : Read(reader, i, Columns[i].Type, context.Dialect);
            }

            rows.Add(create(values));
        }

        return rows;
    }

    /// <summary>The rows of a table with one row per owner, by owner.</summary>
    public async Task<Dictionary<string, TRow>> LoadByOwnerAsync(ProjectionContext context, IReadOnlyCollection<string> owners, CancellationToken cancellationToken)
    {
        var owner = getters[Columns.Select((c, i) => (c, i)).First(x => x.c.Name == Owner).i];
        return (await LoadAsync(context, owners, cancellationToken).ConfigureAwait(false)).ToDictionary(r => (string)owner(r)!, StringComparer.Ordinal);
    }

    /// <summary>Deletes every row of the given owners: a write waiting in the context for its flush (<see cref="ProjectionContext.Write"/>).</summary>
    public void Delete(ProjectionContext context, IReadOnlyCollection<string> owners)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (owners.Count > 0)
        {
            _ = context.Dialect == SqlDialect.Postgres
                ? context.Write($"DELETE FROM {Name} WHERE {Owner} = ANY(@owners)").With("owners", owners.ToArray())
                : context.Write($"DELETE FROM {Name} WHERE {Owner} IN (SELECT value FROM json_each(@owners))").With("owners", JsonSerializer.Serialize(owners));
        }
    }

    /// <summary>Inserts rows, replacing those with the same key.</summary>
    public async Task UpsertAsync(ProjectionContext context, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (rows.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", Columns.Select(c => c.Name));
        var nonKey = Columns.Where(c => !Key.Contains(c.Name)).Select(c => $"{c.Name} = excluded.{c.Name}").ToList();
        var conflict = $"ON CONFLICT ({string.Join(", ", Key)}) " + (nonKey.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", nonKey));
        if (context.Dialect == SqlDialect.Postgres)
        {
            // One statement for all rows, sent with the batch's other read-model writes.
            var arrays = Columns.Select((c, i) => $"@p{i}::{SqlType(c.Type, SqlDialect.Postgres)}[]");
            var write = context.Write($"INSERT INTO {Name} ({names}) SELECT * FROM unnest({string.Join(", ", arrays)}) {conflict}");
            for (var i = 0; i < Columns.Count; i++)
            {
                write.With("p" + i.ToString(CultureInfo.InvariantCulture), ColumnArray(Columns[i].Type, rows, getters[i]));
            }

            return;
        }

        // SQLite (in-process, no round trip to save): one prepared statement run per row, after the waiting writes.
        var values = string.Join(", ", Columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)));
        await using var single = await context.CommandAsync($"INSERT INTO {Name} ({names}) VALUES ({values}) {conflict}", cancellationToken).ConfigureAwait(false);
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
                parameters[i].Value = ToSqlite(getters[i](row));
            }

            await single.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static object ColumnArray(ColumnType type, IReadOnlyList<TRow> rows, Func<TRow, object?> get) => type switch
    {
        ColumnType.Text => rows.Select(r => (string?)get(r)).ToArray(),
        ColumnType.Integer => rows.Select(r => (long?)get(r)).ToArray(),
        ColumnType.Boolean => rows.Select(r => (bool?)get(r)).ToArray(),
        ColumnType.Time => rows.Select(r => get(r) is DateTimeOffset t ? t.ToUniversalTime() : (DateTimeOffset?)null).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Columns, getters and the constructor call, from the record's primary constructor (no code generation: delegates to the getters, one constructor invoker).</summary>
    private static (Column[] Columns, Func<TRow, object?>[] Getters, Func<object?[], TRow> Create) Describe()
    {
        var type = typeof(TRow);
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{type.Name} has no public constructor");
        var parameters = constructor.GetParameters();
        var nullability = new NullabilityInfoContext();
        var columns = new Column[parameters.Length];
        var getters = new Func<TRow, object?>[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var property = type.GetProperty(parameter.Name!)
                ?? throw new InvalidOperationException($"{type.Name}.{parameter.Name} is a constructor parameter without a property");
            var underlying = Nullable.GetUnderlyingType(parameter.ParameterType);
            var columnType = (underlying ?? parameter.ParameterType) switch
            {
                var t when t == typeof(string) => ColumnType.Text,
                var t when t == typeof(long) => ColumnType.Integer,
                var t when t == typeof(bool) => ColumnType.Boolean,
                var t when t == typeof(DateTimeOffset) => ColumnType.Time,
                var t => throw new InvalidOperationException($"{type.Name}.{parameter.Name}: a column is string, long, bool or DateTimeOffset, not {t.Name}"),
            };
            var nullable = underlying is not null || (!parameter.ParameterType.IsValueType && nullability.Create(parameter).WriteState != NullabilityState.NotNull);
            columns[i] = new Column(SnakeCase(parameter.Name!), columnType, nullable);
            getters[i] = (Func<TRow, object?>)GetterOf.MakeGenericMethod(property.PropertyType).Invoke(null, [property.GetMethod!])!;
        }

        // A null read for a NOT NULL value column becomes its default (never written that way).
        var invoker = ConstructorInvoker.Create(constructor);
        return (columns, getters, values => (TRow)invoker.Invoke(values)!);
    }

    private static readonly MethodInfo GetterOf = typeof(RowTable<TRow>).GetMethod(nameof(Getter), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static Func<TRow, object?> Getter<TValue>(MethodInfo getMethod)
    {
        var get = getMethod.CreateDelegate<Func<TRow, TValue>>();
        return row => get(row);
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
