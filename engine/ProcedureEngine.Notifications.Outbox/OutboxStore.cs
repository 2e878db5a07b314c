using System.Data.Common;
using System.Text.Json;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Notifications.Outbox;

/// <summary>A message row as the dispatcher and the API see it.</summary>
public sealed record OutboxMessage(
    string Id,
    string DossierId,
    long EventVersion,
    string Kind,
    string Channel,
    string? Recipient,
    NotificationFacts Facts,
    DateTimeOffset CreatedAt,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset? SentAt,
    string? ProviderId,
    string? Delivery,
    DateTimeOffset? DeliveredAt);

/// <summary>Message states.</summary>
public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";

    /// <summary>Gave up after the last attempt (or refused for good by the receiver): kept with its last error, re-sendable.</summary>
    public const string Dead = "dead";

    public static IReadOnlyList<string> All { get; } = [Pending, Sent, Dead];
}

/// <summary>A filter on the message list.</summary>
public sealed record OutboxQuery(string? Status = null, string? DossierId = null, string? Channel = null, int Limit = 200, int Offset = 0);

/// <summary>An officer's correction of a dossier's contact and consent.</summary>
public sealed record ContactCorrection(string? Phone, string? Email, IReadOnlyList<string> Notify, string By, DateTimeOffset At);

/// <summary>
/// The outbox as the dispatcher, the API and the CLI use it. Claims are leases: <see cref="ClaimAsync"/> marks due
/// rows as taken by a node until a time (on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so nodes never take the
/// same row); the send happens outside any transaction; the outcome is written after. A node that dies mid-send
/// leaves its claim to expire and another node sends again (the one window for a duplicate; receivers drop it by id).
/// </summary>
public sealed class OutboxStore(IEventStore store)
{
    private const string Columns = "id, dossier_id, event_version, kind, channel, recipient, facts, created_at, status, attempts, next_attempt_at, last_error, sent_at, provider_id, delivery, delivered_at";

    public SqlDialect Dialect => store.Dialect;

    /// <summary>Takes up to <paramref name="max"/> due pending messages on the given channels for <paramref name="node"/> until <paramref name="until"/>.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(IReadOnlyCollection<string> channels, string node, DateTimeOffset now, DateTimeOffset until, int max, CancellationToken cancellationToken = default)
    {
        if (channels.Count == 0 || max <= 0)
        {
            return [];
        }

        var d = Dialect;
        var due = $"""
            SELECT id FROM {OutboxSql.Outbox}
            WHERE status = 'pending' AND {OutboxSql.In("channel", "channels", d)} AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
            ORDER BY next_attempt_at, id LIMIT @max
            """;
        var sql = d == SqlDialect.Postgres
            ? $"UPDATE {OutboxSql.Outbox} o SET claimed_by = @node, claimed_until = @until FROM ({due} FOR UPDATE SKIP LOCKED) c WHERE o.id = c.id RETURNING {string.Join(", ", Columns.Split(", ").Select(c => "o." + c))}"
            : $"UPDATE {OutboxSql.Outbox} SET claimed_by = @node, claimed_until = @until WHERE id IN ({due}) RETURNING {Columns}";
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql)
            .With("channels", OutboxSql.List(channels, d)).With("now", OutboxSql.Time(now, d)).With("until", OutboxSql.Time(until, d))
            .With("node", node).With("max", max);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a send: sent, with the receiver's reference. Only a pending message changes.</summary>
    public async Task<bool> MarkSentAsync(string id, DateTimeOffset at, string? providerId, CancellationToken cancellationToken = default) =>
        await ExecuteAsync($"""
            UPDATE {OutboxSql.Outbox} SET status = 'sent', sent_at = @at, provider_id = @provider, attempts = attempts + 1, last_error = NULL,
                claimed_by = NULL, claimed_until = NULL
            WHERE id = @id AND status = 'pending'
            """, c => c.With("id", id).With("at", OutboxSql.Time(at, Dialect)).With("provider", providerId), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Records a failed attempt: retried at <paramref name="retryAt"/>, or dead (with the error) when <paramref name="retryAt"/> is null.</summary>
    public async Task<bool> MarkFailedAsync(string id, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await ExecuteAsync($"""
            UPDATE {OutboxSql.Outbox} SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next,
                status = @status, claimed_by = NULL, claimed_until = NULL
            WHERE id = @id AND status = 'pending'
            """, c => c.With("id", id).With("error", error.Length > 2000 ? error[..2000] : error)
                .With("next", OutboxSql.Time(retryAt ?? now, Dialect)).With("status", retryAt is null ? OutboxStatus.Dead : OutboxStatus.Pending),
            cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Puts a dead message back in the queue, due now, its attempts counted from zero. False when it is not dead.</summary>
    public async Task<bool> ResendAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await ExecuteAsync($"""
            UPDATE {OutboxSql.Outbox} SET status = 'pending', attempts = 0, next_attempt_at = @now, claimed_by = NULL, claimed_until = NULL
            WHERE id = @id AND status = 'dead'
            """, c => c.With("id", id).With("now", OutboxSql.Time(now, Dialect)), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Records a delivery receipt for the message the receiver knows by <paramref name="reference"/> (its id, or the reference it gave). False when none.</summary>
    public async Task<bool> RecordDeliveryAsync(string reference, string delivery, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await ExecuteAsync($"""
            UPDATE {OutboxSql.Outbox} SET delivery = @delivery, delivered_at = @at
            WHERE id = @ref OR (provider_id = @ref AND channel = 'sms')
            """, c => c.With("ref", reference).With("delivery", delivery).With("at", OutboxSql.Time(at, Dialect)), cancellationToken).ConfigureAwait(false) > 0;

    public async Task<OutboxMessage?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {Columns} FROM {OutboxSql.Outbox} WHERE id = @id").With("id", id);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Messages, newest first, filtered.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(OutboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        if (query.Status is not null)
        {
            where.Add("status = @status");
        }

        if (query.DossierId is not null)
        {
            where.Add("dossier_id = @dossier");
        }

        if (query.Channel is not null)
        {
            where.Add("channel = @channel");
        }

        var sql = $"SELECT {Columns} FROM {OutboxSql.Outbox} {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))} ORDER BY created_at DESC, id LIMIT @limit OFFSET @offset";
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql).With("limit", query.Limit).With("offset", query.Offset);
        if (query.Status is not null)
        {
            command.With("status", query.Status);
        }

        if (query.DossierId is not null)
        {
            command.With("dossier", query.DossierId);
        }

        if (query.Channel is not null)
        {
            command.With("channel", query.Channel);
        }

        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many messages are in each (channel, status).</summary>
    public Task<IReadOnlyDictionary<(string Channel, string Status), long>> CountsAsync(CancellationToken cancellationToken = default) =>
        CountsAsync("", cancellationToken);

    /// <summary>
    /// Messages not sent yet (pending) and given up (dead), by channel and status: the outbox's depth, read on the
    /// (status, next attempt) index without touching the sent history.
    /// </summary>
    public Task<IReadOnlyDictionary<(string Channel, string Status), long>> DepthAsync(CancellationToken cancellationToken = default) =>
        CountsAsync($" WHERE status IN ('{OutboxStatus.Pending}', '{OutboxStatus.Dead}')", cancellationToken);

    private async Task<IReadOnlyDictionary<(string Channel, string Status), long>> CountsAsync(string where, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT channel, status, count(*) FROM {OutboxSql.Outbox}{where} GROUP BY channel, status");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<(string, string), long>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return counts;
    }

    /// <summary>The dossier's contact as the notifications know it, or null for an unknown dossier.</summary>
    public async Task<DossierContact?> ContactAsync(string dossierId, CancellationToken cancellationToken = default)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT state FROM {OutboxSql.Contacts} WHERE dossier_id = @id").With("id", dossierId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<DossierContact>(json, NotificationOutboxProjection.Json)
            : null;
    }

    /// <summary>
    /// An officer corrects the contact and consent: later messages follow it (the events' applicant no longer overrides
    /// it), and the dossier's unsent messages are re-addressed (or dropped to dead when the consent was withdrawn).
    /// Returns the corrected contact, or null for an unknown dossier.
    /// </summary>
    public async Task<DossierContact?> CorrectContactAsync(string dossierId, ContactCorrection correction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(correction);
        var d = Dialect;
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var load = Command(connection, $"SELECT state FROM {OutboxSql.Contacts} WHERE dossier_id = @id{(d == SqlDialect.Postgres ? " FOR UPDATE" : "")}").With("id", dossierId);
        load.Transaction = transaction;
        if (await load.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string json)
        {
            return null;
        }

        var contact = JsonSerializer.Deserialize<DossierContact>(json, NotificationOutboxProjection.Json)! with
        {
            Phone = correction.Phone, Email = correction.Email, Notify = [.. correction.Notify.Distinct(StringComparer.Ordinal)], Corrected = true,
        };
        await using (var save = Command(connection, $"UPDATE {OutboxSql.Contacts} SET state = @state, corrected_by = @by, corrected_at = @at WHERE dossier_id = @id"))
        {
            save.Transaction = transaction;
            save.With("id", dossierId).With("state", JsonSerializer.Serialize(contact, NotificationOutboxProjection.Json)).With("by", correction.By).With("at", OutboxSql.Time(correction.At, d));
            await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var channel in NotificationChannel.Personal)
        {
            var recipient = contact.RecipientFor(channel);
            await using var readdress = Command(connection, recipient is null
                ? $"UPDATE {OutboxSql.Outbox} SET status = 'dead', last_error = @why WHERE dossier_id = @id AND channel = @channel AND status <> 'sent'"
                : $"UPDATE {OutboxSql.Outbox} SET recipient = @recipient WHERE dossier_id = @id AND channel = @channel AND status <> 'sent'");
            readdress.Transaction = transaction;
            readdress.With("id", dossierId).With("channel", channel);
            if (recipient is null)
            {
                readdress.With("why", $"consent or address for {channel} withdrawn by {correction.By}");
            }
            else
            {
                readdress.With("recipient", recipient);
            }

            await readdress.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return contact;
    }

    private async Task<int> ExecuteAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql);
        bind(command);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // fixed text; values are parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private async Task<IReadOnlyList<OutboxMessage>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var d = Dialect;
        var rows = new List<OutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new OutboxMessage(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                JsonSerializer.Deserialize<NotificationFacts>(reader.GetString(6), NotificationOutboxProjection.Json)!,
                OutboxSql.ReadTime(reader, 7, d)!.Value, reader.GetString(8), reader.GetInt32(9), OutboxSql.ReadTime(reader, 10, d)!.Value,
                reader.IsDBNull(11) ? null : reader.GetString(11), OutboxSql.ReadTime(reader, 12, d),
                reader.IsDBNull(13) ? null : reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14), OutboxSql.ReadTime(reader, 15, d)));
        }

        return rows;
    }
}
