using System.Data.Common;
using System.Globalization;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Notifications.Outbox;

/// <summary>The outbox tables and the few SQL pieces that differ between SQLite and PostgreSQL.</summary>
internal static class OutboxSql
{
    public const string Outbox = "notification_outbox";
    public const string Contacts = "notification_contacts";

    public static string Schema(SqlDialect d)
    {
        var time = d == SqlDialect.Postgres ? "timestamptz" : "text";
        var big = d == SqlDialect.Postgres ? "bigint" : "integer";
        return $"""
            CREATE TABLE IF NOT EXISTS {Contacts} (
                dossier_id text PRIMARY KEY,
                state text NOT NULL,
                corrected_by text,
                corrected_at {time});
            CREATE TABLE IF NOT EXISTS {Outbox} (
                id text PRIMARY KEY,
                dossier_id text NOT NULL,
                event_version {big} NOT NULL,
                kind text NOT NULL,
                channel text NOT NULL,
                recipient text,
                facts text NOT NULL,
                created_at {time} NOT NULL,
                status text NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at {time} NOT NULL,
                claimed_by text,
                claimed_until {time},
                last_error text,
                sent_at {time},
                provider_id text,
                delivery text,
                delivered_at {time});
            CREATE INDEX IF NOT EXISTS notification_outbox_due ON {Outbox} (status, next_attempt_at);
            CREATE INDEX IF NOT EXISTS notification_outbox_dossier ON {Outbox} (dossier_id);
            CREATE INDEX IF NOT EXISTS notification_outbox_provider ON {Outbox} (provider_id)
            """;
    }

    public static object Time(DateTimeOffset time, SqlDialect d) => d == SqlDialect.Postgres ? time.ToUniversalTime() : RowTable.FormatSqliteTime(time);

    public static object? Time(DateTimeOffset? time, SqlDialect d) => time is { } t ? Time(t, d) : null;

    public static DateTimeOffset? ReadTime(DbDataReader reader, int i, SqlDialect d) => reader.IsDBNull(i) ? null : RowTable.ReadTime(reader, i, d);

    /// <summary>`column IN (list)`: = ANY(array) on PostgreSQL, json_each on SQLite.</summary>
    public static string In(string column, string parameter, SqlDialect d) =>
        d == SqlDialect.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN (SELECT value FROM json_each(@{parameter}))";

    public static object List(IReadOnlyCollection<string> values, SqlDialect d) =>
        d == SqlDialect.Postgres ? values.ToArray() : System.Text.Json.JsonSerializer.Serialize(values);

    public static string P(string name, int i) => name + i.ToString(CultureInfo.InvariantCulture);
}
