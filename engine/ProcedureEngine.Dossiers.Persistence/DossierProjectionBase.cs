using System.Runtime.CompilerServices;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>One dossier's new events within a projection batch, in stream order.</summary>
public sealed record DossierSlice(string DossierId, IReadOnlyList<(StoredEvent Stored, DossierEvent Event)> Events)
{
    /// <summary>The slice starts the dossier's stream (a receipt, a submission): no row of it can exist yet, none is loaded.</summary>
    public bool IsNew => Events.Count > 0 && Events[0].Stored.Version == 1;

    /// <summary>The dossiers of a batch (one slice each) that may already have rows: those whose stream began before it.</summary>
    public static string[] Known(IEnumerable<DossierSlice> slices) => [.. slices.Where(s => !s.IsNew).Select(s => s.DossierId)];
}

/// <summary>
/// Decodes a projection batch into dossier events once for every projection that receives the same batch (the store
/// hands each projection the same list instance). Held by the projections that share it, not by the process: the
/// decoded events live as long as the batch does. The events an append hands its inline projections carry the dossier
/// event they were serialised from (<see cref="StoredEvent.Value"/>), which is taken as it is.
/// </summary>
public sealed class DossierBatchDecoder(DossierEventSerializer serializer)
{
    private readonly ConditionalWeakTable<IReadOnlyList<StoredEvent>, DossierEvent[]> decoded = [];

    public DossierEvent[] Decode(IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return decoded.GetValue(events, batch =>
        {
            var result = new DossierEvent[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var stored = batch[i];
                if (stored.Value is DossierEvent appended)
                {
                    // An inline projection of the append that built it: the object the payload was serialised from.
                    result[i] = appended;
                    continue;
                }

                try
                {
                    result[i] = serializer.Deserialize(stored.Type, stored.Data.Span);
                }
                catch (DossierEventFormatException ex)
                {
                    throw new CorruptEventException(stored.StreamId, stored.Version, ex.Message);
                }
            }

            return result;
        });
    }
}

/// <summary>
/// Base of the dossier read models: deserialises a batch (any mix of streams), groups it per dossier keeping stream
/// order, and hands the slices to the projection, which loads the touched rows once, folds and writes back.
/// </summary>
public abstract class DossierProjectionBase(DossierBatchDecoder decoder) : IProjection
{
    protected DossierProjectionBase(DossierEventSerializer serializer)
        : this(new DossierBatchDecoder(serializer))
    {
    }

    public abstract string Name { get; }

    public abstract ProjectionMode Mode { get; }

    protected abstract IReadOnlyList<RowTable> OwnedTables { get; }

    public IReadOnlyList<string> Tables => [.. OwnedTables.Select(t => t.Name)];

    public virtual IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
        [new Migration("projection:" + Name, 1, $"{Name} tables", string.Join(";\n", OwnedTables.Select(t => t.CreateSql(dialect))))];

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var decodedEvents = decoder.Decode(events);
        var slices = new Dictionary<string, List<(StoredEvent, DossierEvent)>>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var stored = events[i];
            if (!slices.TryGetValue(stored.StreamId, out var list))
            {
                slices[stored.StreamId] = list = [];
            }

            list.Add((stored, decodedEvents[i]));
        }

        await ApplyAsync(context, [.. slices.Select(s => new DossierSlice(s.Key, s.Value))], cancellationToken).ConfigureAwait(false);
    }

    protected abstract Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken);
}

/// <summary>
/// A read model of one row per dossier: loads the rows of the dossiers a batch touches in one read, folds each
/// dossier's events into its row (<see cref="Fold"/>; a null row is no row) and writes them back in one batch.
/// </summary>
public abstract class DossierRowProjection<TRow>(DossierBatchDecoder decoder) : DossierProjectionBase(decoder)
    where TRow : class
{
    protected abstract RowTable<TRow> Rows { get; }

    protected override IReadOnlyList<RowTable> OwnedTables => [Rows];

    /// <summary>The row after one event (<paramref name="row"/> null: the dossier has no row yet).</summary>
    protected abstract TRow? Fold(string dossierId, TRow? row, StoredEvent stored, DossierEvent e);

    protected override async Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken)
    {
        // A dossier whose stream starts in this batch (a receipt) has no row yet: only the others are looked up.
        var existing = await Rows.LoadByOwnerAsync(context, DossierSlice.Known(slices), cancellationToken).ConfigureAwait(false);
        var rows = slices
            .Select(slice => slice.Events.Aggregate(existing.GetValueOrDefault(slice.DossierId), (row, x) => Fold(slice.DossierId, row, x.Stored, x.Event)))
            .OfType<TRow>()
            .ToList();
        await Rows.UpsertAsync(context, rows, cancellationToken).ConfigureAwait(false);
    }
}
