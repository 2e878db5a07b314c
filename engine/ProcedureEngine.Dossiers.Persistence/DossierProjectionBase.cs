using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>One dossier's new events within a projection batch, in stream order.</summary>
public sealed record DossierSlice(string DossierId, IReadOnlyList<(StoredEvent Stored, DossierEvent Event)> Events);

/// <summary>
/// Base of the dossier read models: deserialises a batch (any mix of streams), groups it per dossier keeping stream
/// order, and hands the slices to the projection, which loads the touched rows once, folds and writes back.
/// </summary>
public abstract class DossierProjectionBase(DossierEventSerializer serializer) : IProjection
{
    // Several projections see the same StoredEvent instances in one batch: deserialise each once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<StoredEvent, DossierEvent> Decoded = [];

    public abstract string Name { get; }

    public abstract ProjectionMode Mode { get; }

    protected abstract IReadOnlyList<RowTable> OwnedTables { get; }

    public IReadOnlyList<string> Tables => [.. OwnedTables.Select(t => t.Name)];

    public virtual IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
        [new Migration("projection:" + Name, 1, $"{Name} tables", string.Join(";\n", OwnedTables.Select(t => t.CreateSql(dialect))))];

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var slices = new Dictionary<string, List<(StoredEvent, DossierEvent)>>(StringComparer.Ordinal);
        foreach (var stored in events)
        {
            DossierEvent dossierEvent;
            try
            {
                if (!Decoded.TryGetValue(stored, out dossierEvent!))
                {
                    dossierEvent = serializer.Deserialize(stored.Type, stored.Data.Span);
                    Decoded.AddOrUpdate(stored, dossierEvent);
                }
            }
            catch (DossierEventFormatException ex)
            {
                throw new CorruptEventException(stored.StreamId, stored.Version, ex.Message);
            }

            if (!slices.TryGetValue(stored.StreamId, out var list))
            {
                slices[stored.StreamId] = list = [];
            }

            list.Add((stored, dossierEvent));
        }

        await ApplyAsync(context, [.. slices.Select(s => new DossierSlice(s.Key, s.Value))], cancellationToken).ConfigureAwait(false);
    }

    protected abstract Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken);
}
