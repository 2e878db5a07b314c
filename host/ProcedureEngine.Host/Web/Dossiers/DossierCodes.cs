using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>
/// Dossier code allocation: the next free number of the day for an agency ("agency-yyMMdd-NNNN"), found from the
/// highest code the summary read model holds (an index range, O(log n)).
/// </summary>
public sealed class DossierCodes(IEventStore store)
{
    private const int MaxCodeAttempts = 50;

    /// <summary>The code prefix of an agency's dossiers received on <paramref name="localNow"/>'s day.</summary>
    public static string Prefix(string agency, ProcedureDefinition definition, DateTimeOffset localNow) =>
        $"{definition.FindAgency(agency)?.Code ?? agency}-{localNow:yyMMdd}-";

    /// <summary>
    /// Runs <paramref name="attempt"/> with the agency's next free number of the day, then with the following ones
    /// while another receipt takes them first (the attempt answers null when its number was taken).
    /// </summary>
    public async Task<CommandOutcome> WithNextFreeCodeAsync(string agency, ProcedureDefinition definition, DateTimeOffset localNow,
        Func<int, Task<CommandOutcome?>> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var sequence = await NextSequenceAsync(agency, definition, localNow, cancellationToken).ConfigureAwait(false);
        for (var tries = 0; tries < MaxCodeAttempts; tries++, sequence++)
        {
            if (await attempt(sequence).ConfigureAwait(false) is { } outcome)
            {
                return outcome;
            }
        }

        throw new InvalidOperationException($"could not allocate a dossier code for agency {agency} after {MaxCodeAttempts} attempts");
    }

    /// <summary>The highest number the agency has used today, plus one: the start of the search for a free code.</summary>
    public async Task<int> NextSequenceAsync(string agency, ProcedureDefinition definition, DateTimeOffset localNow, CancellationToken cancellationToken)
    {
        var prefix = Prefix(agency, definition, localNow);
        return ReadModelQueries.SequenceOf(await ReadModelQueries.HighestCodeAsync(store, prefix, cancellationToken).ConfigureAwait(false), prefix) + 1;
    }
}
