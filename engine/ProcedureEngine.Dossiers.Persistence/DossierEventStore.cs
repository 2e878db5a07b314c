using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;
using StoreActor = ProcedureEngine.EventStore.Actor;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>A dossier event to append with who caused it and why.</summary>
public sealed record DossierEventEnvelope(DossierEvent Event, StoreActor Actor, string? CorrelationId = null, string? CausationId = null);

/// <summary>A dossier's stored history: the chain verification and the events read back (up to a time if asked).</summary>
public sealed record DossierHistory(ChainVerification Verification, IReadOnlyList<(StoredEvent Stored, DossierEvent Event)> Events);


/// <summary>
/// Dossier streams on an <see cref="IEventStore"/>: one stream per dossier (stream id = dossier id), events
/// serialised by <see cref="DossierEventSerializer"/> (stable type names, upcasting), metadata time = the event's own
/// time (so point-in-time reads follow the dossier's clock, virtual in simulations).
/// </summary>
public sealed class DossierEventStore(IEventStore store, DossierEventSerializer? serializer = null)
{
    private readonly DossierEventSerializer serializer = serializer ?? DossierEventSerializer.Default;

    public IEventStore Store => store;

    /// <summary>The actor recorded for an event: the officer in the event when it names one, else the command's actor.</summary>
    public static StoreActor ActorOf(DossierEvent e, StoreActor fallback) => e switch
    {
        DossierReceived r => new StoreActor(r.By.User, r.By.Agency),
        ReceiptGuidanceIssued g => new StoreActor(g.By.User, g.By.Agency),
        DossierRefused f => new StoreActor(f.By.User, f.By.Agency),
        SupplementRequested q => new StoreActor(q.By.User, q.By.Agency),
        SupplementProvided p => new StoreActor(p.By.User, p.By.Agency),
        StepCompleted c => new StoreActor(c.By.User, c.By.Agency),
        ApologyIssued { By: { } by } => new StoreActor(by.User, by.Agency),
        ResultReturned r => new StoreActor(r.By.User, r.By.Agency),
        DossierWithdrawn w => new StoreActor(w.By.User, w.By.Agency),
        DossierEvaluated { By: { } by } => new StoreActor(by.User, by.Agency),
        _ => fallback,
    };

    /// <summary>Serialises and appends; <paramref name="idempotencyKey"/> makes a retried request append once. The result carries the stored events.</summary>
    public Task<AppendResult> AppendAsync(string dossierId, long expectedVersion, IReadOnlyList<DossierEventEnvelope> events, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        EventStoreTelemetry.AppendAsync(store, dossierId, events.Count,
            () => store.AppendAsync(dossierId, expectedVersion, ToEventData(events, idempotencyKey), cancellationToken));

    /// <summary>The events as the store takes them (stable type names, JSON, metadata time = the event's own time).</summary>
    public EventData[] ToEventData(IReadOnlyList<DossierEventEnvelope> events, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(events);
        var data = new EventData[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var (type, json) = serializer.Serialize(events[i].Event);
            data[i] = new EventData(type, json, new EventMetadata(events[i].Actor, events[i].Event.At, events[i].CorrelationId, events[i].CausationId, idempotencyKey))
            {
                Value = events[i].Event,
            };
        }

        return data;
    }

    /// <summary>
    /// Reads the dossier for writing (<see cref="IEventStore.FetchForWritingAsync"/>: one read, the whole hash chain
    /// checked) and, only if the chain is intact, deserialises its events (those at or before <paramref name="at"/> when
    /// given). An unknown dossier has <c>Verification.Found</c> false. A row that no longer deserialises raises
    /// <see cref="CorruptEventException"/> naming the dossier and version.
    /// </summary>
    public async Task<DossierHistory> LoadAsync(string dossierId, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        var stream = await store.FetchForWritingAsync(dossierId, cancellationToken).ConfigureAwait(false);
        if (!stream.Verification.IsValid)
        {
            // A broken chain is the finding; the rows after it are not to be trusted, nor folded.
            return new DossierHistory(stream.Verification, []);
        }

        var events = new List<(StoredEvent, DossierEvent)>(stream.Events.Count);
        foreach (var e in stream.Events)
        {
            // Stored times are whole microseconds: at or before `at` is at or before `at` truncated.
            if (at is { } until && e.Metadata.Time > until)
            {
                continue;
            }

            events.Add((e, Deserialize(e)));
        }

        return new DossierHistory(stream.Verification, events);
    }

    /// <summary>
    /// As <see cref="LoadAsync"/>, but a broken chain still gives the events before its first bad version (each of them
    /// verifies: their hashes chain up to the altered row): what an auditor or officer may be shown as trusted, and the
    /// state they fold to. Nothing is ever decided on it: a broken <c>Verification</c> freezes the dossier.
    /// </summary>
    public async Task<DossierHistory> LoadTrustedAsync(string dossierId, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        var stream = await store.FetchForWritingAsync(dossierId, cancellationToken).ConfigureAwait(false);
        var verification = stream.Verification;
        if (!verification.IsValid && verification is not { Found: true, BadVersion: > 1 })
        {
            return new DossierHistory(verification, []);
        }

        var firstBad = verification.IsValid ? long.MaxValue : verification.BadVersion!.Value;
        var events = new List<(StoredEvent, DossierEvent)>(stream.Events.Count);
        foreach (var e in stream.Events)
        {
            if (e.Version >= firstBad)
            {
                break;
            }

            if (at is { } until && e.Metadata.Time > until)
            {
                continue;
            }

            events.Add((e, Deserialize(e)));
        }

        return new DossierHistory(verification, events);
    }

    public DossierEvent Deserialize(StoredEvent stored)
    {
        try
        {
            return serializer.Deserialize(stored.Type, stored.Data.Span);
        }
        catch (DossierEventFormatException ex)
        {
            throw new CorruptEventException(stored.StreamId, stored.Version, ex.Message);
        }
    }
}
