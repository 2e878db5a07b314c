using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>The dossier read models, as registered with a store.</summary>
public static class DossierProjections
{
    /// <summary>
    /// Inline: dossier summary, open deadlines, worklist. Async: tracking book, on-time report, dashboard facts. They
    /// share one decoder, so a batch is deserialised once for all six.
    /// </summary>
    public static IReadOnlyList<IProjection> All(DossierEventSerializer? serializer = null)
    {
        var decoder = new DossierBatchDecoder(serializer ?? DossierEventSerializer.Default);
        return [new DossierSummaryProjection(decoder), new OpenDeadlinesProjection(decoder), new TrackingBookProjection(decoder), new OnTimeReportProjection(decoder), new WorklistProjection(decoder), new DossierFactsProjection(decoder)];
    }
}
