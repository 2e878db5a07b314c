using System.Globalization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>
/// A read-model row that does not say what the dossier's events say. Column "(row)": the row is missing (Stored null)
/// or belongs to no dossier (FromEvents null); for dossier_deadlines the column is the deadline ("step/appraise").
/// </summary>
public sealed record ReadModelFinding(string Table, string DossierId, string Column, string? Stored, string? FromEvents);

/// <summary>
/// The auditor's check of the inline read models: the dossier summary (behind lists, reports and the public tracking
/// page) and the open deadlines (what the timers look at: a deleted row would silence a dossier's warnings, overdue
/// flags and apology). Every row is recomputed from the dossier's events and compared. The events are the record; a
/// row edited in the database shows here, and <c>projections rebuild</c> puts it back. Dossiers whose hash chain is
/// broken are left to the event audit.
/// </summary>
public static class ReadModelCheck
{
    public static async Task<(long Dossiers, IReadOnlyList<ReadModelFinding> Findings)> RunAsync(IEventStore store, int pageSize = 500, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var dossiers = new DossierEventStore(store);
        var table = DossierSummaryProjection.Table;
        var findings = new List<ReadModelFinding>();
        var streams = new HashSet<string>(StringComparer.Ordinal);
        long checkedCount = 0;
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        string? after = null;
        while (await store.ListStreamsAsync(after, pageSize, cancellationToken).ConfigureAwait(false) is { Count: > 0 } page)
        {
            after = page[^1].StreamId;
            string[] ids = [.. page.Select(p => p.StreamId)];
            Dictionary<string, DossierSummaryRow> rows;
            ILookup<string, DossierDeadlineRow> deadlines;
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                var context = new ProjectionContext(connection, transaction, store.Dialect);
                rows = (await table.LoadAsync(context, ids, cancellationToken).ConfigureAwait(false))
                    .ToDictionary(r => r.DossierId, StringComparer.Ordinal);
                deadlines = (await OpenDeadlinesProjection.Table.LoadAsync(context, ids, cancellationToken).ConfigureAwait(false))
                    .ToLookup(r => r.DossierId, StringComparer.Ordinal);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var stream in page)
            {
                streams.Add(stream.StreamId);
                DossierHistory history;
                try
                {
                    history = await dossiers.LoadAsync(stream.StreamId, null, cancellationToken).ConfigureAwait(false);
                }
                catch (CorruptEventException)
                {
                    continue; // an event that no longer reads: the event audit names it
                }

                if (!history.Verification.IsValid || history.Events.Count == 0)
                {
                    continue;
                }

                checkedCount++;
                CompareDeadlines(stream.StreamId, deadlines[stream.StreamId], OpenDeadlinesProjection.Expected(stream.StreamId, history.Events.Select(e => e.Event)), findings);
                var expected = DossierSummaryProjection.Expected(stream.StreamId, history.Events.Select(e => e.Event), history.Events[^1].Stored.Version);
                if (!rows.TryGetValue(stream.StreamId, out var row))
                {
                    findings.Add(new ReadModelFinding(table.Name, stream.StreamId, "(row)", null, "a row"));
                    continue;
                }

                var (have, want) = (table.Values(row), table.Values(expected));
                for (var c = 1; c < table.Columns.Count; c++)
                {
                    var name = table.Columns[c].Name;
                    if (name == "updated_at")
                    {
                        continue;
                    }

                    var (stored, fromEvents) = (Text(have[c]), Text(want[c]));
                    if (!string.Equals(stored, fromEvents, StringComparison.Ordinal))
                    {
                        findings.Add(new ReadModelFinding(table.Name, stream.StreamId, name, stored, fromEvents));
                    }
                }
            }
        }

        // Rows of dossiers that have no events at all (inserted by hand, or left from a deleted stream).
        foreach (var name in new[] { table.Name, OpenDeadlinesProjection.Table.Name })
        {
            await using var orphans = connection.CreateCommand();
            orphans.CommandText = $"SELECT DISTINCT dossier_id FROM {name} ORDER BY dossier_id";
            await using var reader = await orphans.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                if (!streams.Contains(id))
                {
                    findings.Add(new ReadModelFinding(name, id, "(row)", "a row", null));
                }
            }
        }

        // By table and dossier; within a dossier in the order found (columns, then deadlines by kind): a stable sort.
        return (checkedCount, [.. findings.OrderBy(f => f.Table, StringComparer.Ordinal).ThenBy(f => f.DossierId, StringComparer.Ordinal)]);
    }

    private static void CompareDeadlines(string id, IEnumerable<DossierDeadlineRow> stored, IReadOnlyList<DossierDeadlineRow> expected, List<ReadModelFinding> findings)
    {
        static string Key(DossierDeadlineRow r) => $"{r.Kind}/{r.Ref}";
        static string Value(DossierDeadlineRow r) => $"{Text(r.DueAt)} ({r.Agency ?? "-"})";
        var have = stored.ToDictionary(Key, Value, StringComparer.Ordinal);
        var want = expected.ToDictionary(Key, Value, StringComparer.Ordinal);
        foreach (var key in have.Keys.Union(want.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var (a, b) = (have.GetValueOrDefault(key), want.GetValueOrDefault(key));
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                findings.Add(new ReadModelFinding(OpenDeadlinesProjection.Table.Name, id, key, a, b));
            }
        }
    }

    /// <summary>One text per value whatever the backend returned: instants in UTC to the microsecond (what both stores keep).</summary>
    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTimeOffset t => new DateTimeOffset(t.UtcTicks - (t.UtcTicks % 10), TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture),
        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
