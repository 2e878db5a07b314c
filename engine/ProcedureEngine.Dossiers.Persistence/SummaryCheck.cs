using System.Globalization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>A summary row that does not say what the dossier's events say (column "(row)": the row is missing or has no dossier).</summary>
public sealed record ReadModelFinding(string DossierId, string Column, string? Stored, string? FromEvents);

/// <summary>
/// The auditor's check of the dossier summary, the read model behind lists, reports and the public tracking page:
/// every row is recomputed from the dossier's events and compared column by column. The events are the record;
/// a row edited in the database (a status changed to "returned", an appointment moved) shows here, and
/// <c>projections rebuild</c> puts it back. Dossiers whose hash chain is broken are left to the event audit.
/// </summary>
public static class SummaryCheck
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
            Dictionary<string, object?[]> rows;
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                rows = (await table.LoadAsync(new ProjectionContext(connection, transaction, store.Dialect), [.. page.Select(p => p.StreamId)], cancellationToken).ConfigureAwait(false))
                    .ToDictionary(r => (string)r[0]!, StringComparer.Ordinal);
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
                var expected = DossierSummaryProjection.Expected(stream.StreamId, history.Events.Select(e => e.Event), history.Events[^1].Stored.Version);
                if (!rows.TryGetValue(stream.StreamId, out var row))
                {
                    findings.Add(new ReadModelFinding(stream.StreamId, "(row)", null, "a row"));
                    continue;
                }

                for (var c = 1; c < table.Columns.Count; c++)
                {
                    var name = table.Columns[c].Name;
                    if (name == "updated_at")
                    {
                        continue;
                    }

                    var (stored, fromEvents) = (Text(row[c]), Text(expected[c]));
                    if (!string.Equals(stored, fromEvents, StringComparison.Ordinal))
                    {
                        findings.Add(new ReadModelFinding(stream.StreamId, name, stored, fromEvents));
                    }
                }
            }
        }

        // Rows of dossiers that have no events at all (inserted by hand, or left from a deleted stream).
        await using (var orphans = connection.CreateCommand())
        {
            orphans.CommandText = $"SELECT dossier_id FROM {table.Name} ORDER BY dossier_id";
            await using var reader = await orphans.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                if (!streams.Contains(id))
                {
                    findings.Add(new ReadModelFinding(id, "(row)", "a row", null));
                }
            }
        }

        return (checkedCount, findings);
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
