using System.Text;
using System.Text.Json;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Notifications.Outbox;

/// <summary>
/// Inline projection: in the append's own transaction, the events that concern the applicant put their messages in
/// <c>notification_outbox</c> (one row per channel, id = dossier, event version and channel), and the dossier's
/// contact and consent are kept in <c>notification_contacts</c>. Nothing is sent here: the dispatcher does that
/// after the commit. It owns no table a rebuild may empty (sent messages are history, and a replay must not send
/// years of messages again): re-applied events meet their message ids and add nothing.
/// </summary>
public sealed class NotificationOutboxProjection(DossierEventSerializer? serializer = null) : DossierProjectionBase(serializer ?? DossierEventSerializer.Default)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override string Name => "notification-outbox";

    public override ProjectionMode Mode => ProjectionMode.Inline;

    protected override IReadOnlyList<RowTable> OwnedTables => [];

    public override IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
        [new Migration("projection:" + Name, 1, "notification outbox and contacts", OutboxSql.Schema(dialect))];

    protected override async Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken)
    {
        var d = context.Dialect;
        var ids = DossierSlice.Known(slices); // a dossier whose stream starts in this batch has no contact yet
        var contacts = new Dictionary<string, DossierContact>(StringComparer.Ordinal);
        if (ids.Length > 0)
        {
            await using var load = (await context.CommandAsync($"SELECT dossier_id, state FROM {OutboxSql.Contacts} WHERE {OutboxSql.In("dossier_id", "ids", d)}", cancellationToken).ConfigureAwait(false))
                .With("ids", OutboxSql.List(ids, d));
            await using var reader = await load.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                contacts[reader.GetString(0)] = JsonSerializer.Deserialize<DossierContact>(reader.GetString(1), Json)!;
            }
        }

        var messages = new List<(PlannedMessage Message, DateTimeOffset At)>();
        var touched = new List<DossierContact>();
        foreach (var slice in slices)
        {
            var contact = contacts.GetValueOrDefault(slice.DossierId) ?? new DossierContact(slice.DossierId);
            var before = contact;
            foreach (var (stored, e) in slice.Events)
            {
                (contact, var planned) = NotificationPlanner.Apply(contact, e, stored.Version);
                messages.AddRange(planned.Select(m => (m, stored.Metadata.Time)));
            }

            if (contact != before)
            {
                touched.Add(contact);
            }
        }

        SaveContacts(context, touched);
        Enqueue(context, messages);
    }

    /// <summary>The contacts' new states, as a write waiting for the batch's flush.</summary>
    private static void SaveContacts(ProjectionContext context, IReadOnlyList<DossierContact> contacts)
    {
        if (contacts.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder($"INSERT INTO {OutboxSql.Contacts} (dossier_id, state) VALUES ");
        var command = context.Write("");
        for (var i = 0; i < contacts.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append($"(@{OutboxSql.P("d", i)}, @{OutboxSql.P("s", i)})");
            command.With(OutboxSql.P("d", i), contacts[i].DossierId).With(OutboxSql.P("s", i), JsonSerializer.Serialize(contacts[i], Json));
        }

        sql.Append(" ON CONFLICT (dossier_id) DO UPDATE SET state = excluded.state");
        command.Sql = sql.ToString();
    }

    /// <summary>The planned messages, as a write waiting for the batch's flush.</summary>
    private static void Enqueue(ProjectionContext context, IReadOnlyList<(PlannedMessage Message, DateTimeOffset At)> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var d = context.Dialect;
        var sql = new StringBuilder($"INSERT INTO {OutboxSql.Outbox} (id, dossier_id, event_version, kind, channel, recipient, facts, created_at, status, attempts, next_attempt_at) VALUES ");
        var command = context.Write("");
        for (var i = 0; i < messages.Count; i++)
        {
            var (m, at) = messages[i];
            string[] names = ["id", "dossier", "version", "kind", "channel", "recipient", "facts", "at"];
            sql.Append(i == 0 ? "" : ", ").Append('(')
                .Append(string.Join(", ", names.Select(n => "@" + OutboxSql.P(n, i)))).Append($", 'pending', 0, @{OutboxSql.P("at", i)})");
            command.With(OutboxSql.P("id", i), m.Id)
                .With(OutboxSql.P("dossier", i), m.Facts.DossierId)
                .With(OutboxSql.P("version", i), m.Facts.EventVersion)
                .With(OutboxSql.P("kind", i), m.Facts.Kind)
                .With(OutboxSql.P("channel", i), m.Channel)
                .With(OutboxSql.P("recipient", i), m.Recipient)
                .With(OutboxSql.P("facts", i), JsonSerializer.Serialize(m.Facts, Json))
                .With(OutboxSql.P("at", i), OutboxSql.Time(at, d));
        }

        sql.Append(" ON CONFLICT (id) DO NOTHING");
        command.Sql = sql.ToString();
    }
}
