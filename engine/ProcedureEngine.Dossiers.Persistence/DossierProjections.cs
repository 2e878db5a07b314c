using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>The dossier read models, as registered with a store.</summary>
public static class DossierProjections
{
    /// <summary>Inline: dossier summary, open deadlines, worklist. Async: tracking book, on-time report, dashboard facts.</summary>
    public static IReadOnlyList<IProjection> All(DossierEventSerializer? serializer = null)
    {
        var s = serializer ?? DossierEventSerializer.Default;
        return [new DossierSummaryProjection(s), new OpenDeadlinesProjection(s), new TrackingBookProjection(s), new OnTimeReportProjection(s), new WorklistProjection(s), new DossierFactsProjection(s)];
    }
}
