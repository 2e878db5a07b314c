using System.Collections.Concurrent;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>
/// Dossier code allocation ("agency-yyMMdd-NNNN"): one counter per agency and day in the store
/// (<see cref="IEventStore.AppendNumberedAsync"/>), taken in the receipt's own transaction. Concurrent receipts of one
/// agency queue on the counter's row for the length of one append instead of racing for a number and retrying (every
/// lost race used to cost a whole decide-and-append); a receipt that is refused, ends in a guidance letter or is
/// rolled back leaves no gap. The counter starts above the highest code the summary read model holds for the day
/// (an index range, O(log n)), so codes written before it existed are never reused.
/// </summary>
public sealed class DossierCodes(IEventStore store)
{
    private const int Attempts = 5;

    /// <summary>Counters this process has used: they start from themselves, without looking at the summary.</summary>
    private readonly ConcurrentDictionary<string, bool> counted = new(StringComparer.Ordinal);

    /// <summary>The code prefix of an agency's dossiers received on <paramref name="localNow"/>'s day.</summary>
    public static string Prefix(string agency, ProcedureDefinition definition, DateTimeOffset localNow)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return $"{definition.FindAgency(agency)?.Code ?? agency}-{localNow:yyMMdd}-";
    }

    /// <summary>
    /// Appends what <paramref name="decide"/> makes of the agency's next number of the day (see
    /// <see cref="IEventStore.AppendNumberedAsync"/>); null when it decided nothing to write.
    /// </summary>
    public async Task<AppendResult?> AppendWithNextCodeAsync(string streamId, string agency, ProcedureDefinition definition, DateTimeOffset localNow,
        Func<int, NumberedAppend?> decide, CancellationToken cancellationToken)
    {
        var prefix = Prefix(agency, definition, localNow);
        for (var attempt = 1; ; attempt++)
        {
            var floor = counted.ContainsKey(prefix)
                ? 0
                : ReadModelQueries.SequenceOf(await ReadModelQueries.HighestCodeAsync(store, prefix, cancellationToken).ConfigureAwait(false), prefix);
            try
            {
                NumberedAppend? written = null;
                var result = await ProcedureEngine.EventStore.EventStoreTelemetry.TraceAsync(store, streamId, () => written?.Events.Count ?? 0,
                    () => store.AppendNumberedAsync("dossier-code:" + prefix, floor, n => written = decide(checked((int)n)), cancellationToken)).ConfigureAwait(false);
                if (counted.Count > 100_000)
                {
                    counted.Clear();
                }

                counted[prefix] = true;
                return result;
            }
            catch (UniqueConstraintException) when (attempt < Attempts)
            {
                // The code was taken outside the counter (an import, a tool writing to a live store): start again above the highest code.
                counted.TryRemove(prefix, out _);
            }
        }
    }
}
