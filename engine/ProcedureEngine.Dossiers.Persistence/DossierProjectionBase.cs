using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>One dossier's new events within a projection batch, in stream order.</summary>
public sealed record DossierSlice(string DossierId, IReadOnlyList<(StoredEvent Stored, DossierEvent Event)> Events)
{
    /// <summary>The slice starts the dossier's stream (a receipt, a submission): no row of it can exist yet, none is loaded.</summary>
    public bool IsNew => Events.Count > 0 && Events[0].Stored.Version == 1;
}

/// <summary>
/// Base of the dossier read models: deserialises a batch (any mix of streams), groups it per dossier keeping stream
/// order, and hands the slices to the projection, which loads the touched rows once, folds and writes back.
/// </summary>
public abstract class DossierProjectionBase(DossierEventSerializer serializer) : IProjection
{
    // Several projections receive the same batch (the same list instance): deserialise it once.
    private static readonly Lock DecodedLock = new();
    private static (DossierEventSerializer? Serializer, IReadOnlyList<StoredEvent>? Batch, DossierEvent[] Events) decoded = (null, null, []);

    public abstract string Name { get; }

    public abstract ProjectionMode Mode { get; }

    protected abstract IReadOnlyList<RowTable> OwnedTables { get; }

    public IReadOnlyList<string> Tables => [.. OwnedTables.Select(t => t.Name)];

    public virtual IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
        [new Migration("projection:" + Name, 1, $"{Name} tables", string.Join(";\n", OwnedTables.Select(t => t.CreateSql(dialect))))];

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var decodedEvents = Decode(events);
        var slices = new Dictionary<string, List<(StoredEvent, DossierEvent)>>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var stored = events[i];
            var dossierEvent = decodedEvents[i];
            if (!slices.TryGetValue(stored.StreamId, out var list))
            {
                slices[stored.StreamId] = list = [];
            }

            list.Add((stored, dossierEvent));
        }

        await ApplyAsync(context, [.. slices.Select(s => new DossierSlice(s.Key, s.Value))], cancellationToken).ConfigureAwait(false);
    }

    protected abstract Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken);

    private DossierEvent[] Decode(IReadOnlyList<StoredEvent> events)
    {
        lock (DecodedLock)
        {
            if (ReferenceEquals(decoded.Batch, events) && ReferenceEquals(decoded.Serializer, serializer))
            {
                return decoded.Events;
            }
        }

        var result = new DossierEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var stored = events[i];
            try
            {
                result[i] = serializer.Deserialize(stored.Type, stored.Data.Span);
            }
            catch (DossierEventFormatException ex)
            {
                throw new CorruptEventException(stored.StreamId, stored.Version, ex.Message);
            }
        }

        lock (DecodedLock)
        {
            decoded = (serializer, events, result);
        }

        return result;
    }
}
