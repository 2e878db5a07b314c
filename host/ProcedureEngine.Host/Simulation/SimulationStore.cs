using System.Security.Cryptography;
using ProcedureEngine.Dossiers.Scenarios;

namespace ProcedureEngine.Host.Simulation;

/// <summary>
/// Writes a simulated dossier's events to an event store (demo data, auditor drills): one append per scenario
/// action, with the acting officer, a correlation id naming the scenario and a causation id naming the action.
/// Idempotent: the key of each append derives from the scenario file's content and the action, so running the same
/// scenario again appends nothing; another scenario reusing the dossier id is refused.
/// </summary>
public static class SimulationStore
{
    public sealed record Stored(string DossierId, long Events, bool AlreadyStored);

    public static async Task<Stored> AppendAsync(IEventStore store, ScenarioRun run, string scenarioPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var dossiers = new DossierEventStore(store);
        var content = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(scenarioPath, cancellationToken).ConfigureAwait(false)))[..16];
        var correlation = $"simulate:{Path.GetFileName(scenarioPath)}:{content}";
        long version = 0;
        var duplicates = 0;
        var groups = run.Events.GroupBy(e => e.ActionIndex).ToList();
        foreach (var group in groups)
        {
            var action = group.First().Action;
            var envelopes = group.Select(r => new DossierEventEnvelope(
                r.Event,
                r.By is null ? DossierEventStore.ActorOf(r.Event, EventStore.Actor.System) : new EventStore.Actor(r.By.User, r.By.Agency),
                correlation,
                $"action-{group.Key}:{action}")).ToList();
            var result = await dossiers.AppendAsync(run.DossierId, version, envelopes, $"{correlation}:action-{group.Key}", cancellationToken).ConfigureAwait(false);
            version = result.LastVersion;
            duplicates += result.WasDuplicate ? 1 : 0;
        }

        return new Stored(run.DossierId, version, groups.Count > 0 && duplicates == groups.Count);
    }
}
