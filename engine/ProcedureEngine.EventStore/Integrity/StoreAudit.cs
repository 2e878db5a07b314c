namespace ProcedureEngine.EventStore;

/// <summary>What an audit found wrong with one stream.</summary>
/// <param name="Version">The first event concerned (0 for the stream as a whole).</param>
public sealed record AuditFinding(string Stream, long Version, AuditFindingKind Kind, string Message);

public enum AuditFindingKind
{
    /// <summary>An event's content does not give its stored hash: it was edited.</summary>
    Altered,

    /// <summary>An event does not link to the one before it: replaced, or injected.</summary>
    ChainLink,

    /// <summary>A version is missing: an event was deleted.</summary>
    Missing,

    /// <summary>The stream head (version recorded at append) disagrees with the events: the last events were deleted.</summary>
    Head,

    /// <summary>The event at a sealed head no longer has the sealed hash: the history before it was rewritten.</summary>
    Rewritten,

    /// <summary>The stream has fewer events than when it was sealed, or is gone.</summary>
    Truncated,
}

/// <summary>The result of auditing a whole store: what was read, what is wrong, and a seal of what is there now.</summary>
public sealed record AuditReport(long Streams, long Events, IReadOnlyList<AuditFinding> Findings, StoreSeal Current, StoreSeal? ComparedWith)
{
    public bool IsIntact => Findings.Count == 0;
}

/// <summary>
/// Audits every stream of a store in one pass over the global order: each event's hash is recomputed from its
/// content and its link to the event before is checked; each stream's recorded head must match its last event;
/// and, given an earlier <see cref="StoreSeal"/>, every sealed head must still be there with the same hash.
/// Appends after the seal are fine; anything that changes history before it is reported. Reads only.
/// </summary>
public static class StoreAudit
{
    public static async Task<AuditReport> RunAsync(IEventStore store, StoreSeal? against, DateTimeOffset now, int pageSize = 5000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var sealedHeads = against?.Heads.ToDictionary(h => h.Stream, StringComparer.Ordinal) ?? [];
        var streams = new Dictionary<string, Cursor>(StringComparer.Ordinal);
        var findings = new List<AuditFinding>();
        var checkpoint = GlobalCheckpoint.Start;
        while (true)
        {
            var page = await store.ReadAllAsync(checkpoint, pageSize, cancellationToken).ConfigureAwait(false);
            if (page.Events.Count == 0)
            {
                break;
            }

            foreach (var stored in page.Events)
            {
                if (!streams.TryGetValue(stored.StreamId, out var cursor))
                {
                    streams[stored.StreamId] = cursor = new Cursor();
                }

                cursor.Add(stored);
                cursor.Drain(findings, sealedHeads.GetValueOrDefault(stored.StreamId));
            }

            checkpoint = page.Next;
        }

        // PostgreSQL gives the global order only below the oldest running transaction, anywhere on the server: while
        // one is open the pass stops short. Every stream with a head the pass did not meet is read directly.
        // The listing also gives every head in bulk, so the head check below queries only the streams that disagree.
        var listedHeads = new Dictionary<string, long>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            var listed = await store.ListStreamsAsync(after, pageSize, cancellationToken).ConfigureAwait(false);
            if (listed.Count == 0)
            {
                break;
            }

            foreach (var stream in listed)
            {
                listedHeads[stream.StreamId] = stream.Version;
            }

            foreach (var stream in listed.Where(s => !streams.ContainsKey(s.StreamId)))
            {
                var cursor = new Cursor();
                await cursor.CatchUpAsync(store, stream.StreamId, findings, sealedHeads.GetValueOrDefault(stream.StreamId), cancellationToken).ConfigureAwait(false);
                streams[stream.StreamId] = cursor;
            }

            after = listed[^1].StreamId;
        }

        // A sealed stream whose head row is gone may still have events past the read horizon: read it before calling it gone.
        foreach (var head in sealedHeads.Values.Where(h => !streams.ContainsKey(h.Stream)))
        {
            var cursor = new Cursor();
            if (await cursor.CatchUpAsync(store, head.Stream, findings, head, cancellationToken).ConfigureAwait(false))
            {
                streams[head.Stream] = cursor;
            }
        }

        var heads = new List<SealedHead>(streams.Count);
        foreach (var (id, cursor) in streams)
        {
            var recorded = listedHeads.GetValueOrDefault(id);
            if (recorded != cursor.Version)
            {
                // Appended since the listing, or a real disagreement: ask the store now.
                recorded = await store.GetStreamVersionAsync(id, cancellationToken).ConfigureAwait(false);
            }

            for (var attempt = 0; attempt < 3 && !cursor.Broken && recorded > cursor.Version; attempt++)
            {
                // Appended after the pass began, or past the read horizon: follow the stream itself.
                await cursor.CatchUpAsync(store, id, findings, sealedHeads.GetValueOrDefault(id), cancellationToken).ConfigureAwait(false);
                recorded = await store.GetStreamVersionAsync(id, cancellationToken).ConfigureAwait(false);
            }

            if (cursor.Pending.Count > 0 && !cursor.Broken)
            {
                var first = cursor.Pending.Keys[0];
                findings.Add(new AuditFinding(id, cursor.Version + 1, AuditFindingKind.Missing,
                    $"event v{cursor.Version + 1} is missing (the next stored event is v{first}): a row was deleted"));
                cursor.Broken = true;
            }

            if (!cursor.Broken && recorded != cursor.Version)
            {
                findings.Add(new AuditFinding(id, cursor.Version, AuditFindingKind.Head,
                    recorded > cursor.Version
                        ? $"the stream head records version {recorded} but the events end at v{cursor.Version}: the last events were deleted"
                        : $"the events go on to v{cursor.Version} but the stream head records version {recorded}: events were added outside the store"));
            }

            if (cursor.Version > 0)
            {
                heads.Add(new SealedHead(id, cursor.Version, Convert.ToHexStringLower(cursor.LastHash)));
            }
        }

        foreach (var head in sealedHeads.Values)
        {
            if (!streams.TryGetValue(head.Stream, out var cursor) || (cursor.Version < head.Version && !cursor.Broken))
            {
                var count = cursor?.Version ?? 0;
                var sealedAt = against!.SealedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture);
                findings.Add(new AuditFinding(head.Stream, head.Version, AuditFindingKind.Truncated,
                    count == 0
                        ? $"the stream is gone: the seal of {sealedAt} recorded {head.Version} event(s)"
                        : $"the stream has {count} event(s); the seal of {sealedAt} recorded {head.Version}"));
            }
        }

        findings.Sort((a, b) => string.CompareOrdinal(a.Stream, b.Stream) is var c and not 0 ? c : a.Version.CompareTo(b.Version));
        var events = streams.Values.Sum(c => c.Events);
        return new AuditReport(streams.Count, events, findings, StoreSeal.Create(heads, now, store.Backend, events), against);
    }

    /// <summary>One stream's progress through the pass. Events may come out of version order across transactions; they wait in <see cref="Pending"/>.</summary>
    private sealed class Cursor
    {
        public long Version { get; private set; }

        public byte[] LastHash { get; private set; } = HashChain.Genesis.ToArray();

        public bool Broken { get; set; }

        public SortedList<long, StoredEvent> Pending { get; } = [];

        /// <summary>Distinct events read (an event read again by a catch-up counts once).</summary>
        public long Events { get; private set; }

        public void Add(StoredEvent stored)
        {
            if (!Broken && stored.Version > Version && Pending.TryAdd(stored.Version, stored))
            {
                Events++;
            }
        }

        /// <summary>Feeds the stream's events after <see cref="Version"/>, read directly; false when the stream has none.</summary>
        public async Task<bool> CatchUpAsync(IEventStore store, string id, List<AuditFinding> findings, SealedHead? sealedHead, CancellationToken cancellationToken)
        {
            var events = await store.ReadStreamAsync(id, null, cancellationToken).ConfigureAwait(false);
            foreach (var stored in events)
            {
                if (stored.Version > Version)
                {
                    Add(stored);
                }
            }

            Drain(findings, sealedHead);
            return events.Count > 0;
        }

        public void Drain(List<AuditFinding> findings, SealedHead? sealedHead)
        {
            while (!Broken && Pending.Count > 0 && Pending.Keys[0] <= Version + 1)
            {
                var stored = Pending.Values[0];
                Pending.RemoveAt(0);
                if (stored.Version <= Version)
                {
                    continue; // a duplicate version cannot be stored (unique constraint); ignore defensively
                }

                if (!stored.PreviousHash.Span.SequenceEqual(LastHash))
                {
                    Fail(findings, stored, AuditFindingKind.ChainLink, $"event v{stored.Version} does not link to v{stored.Version - 1}: an earlier event was altered, replaced or injected");
                    return;
                }

                if (!HashChain.Recompute(stored).AsSpan().SequenceEqual(stored.Hash.Span))
                {
                    Fail(findings, stored, AuditFindingKind.Altered, $"event v{stored.Version} ({stored.Type}) does not match its hash: its content was edited");
                    return;
                }

                if (sealedHead is not null && sealedHead.Version == stored.Version &&
                    !string.Equals(Convert.ToHexStringLower(stored.Hash.Span), sealedHead.Hash, StringComparison.OrdinalIgnoreCase))
                {
                    Fail(findings, stored, AuditFindingKind.Rewritten,
                        $"event v{stored.Version} has hash {Convert.ToHexStringLower(stored.Hash.Span)[..16]}…, the seal recorded {sealedHead.Hash[..16]}…: the history up to v{stored.Version} was rewritten since the seal");
                    return;
                }

                Version = stored.Version;
                LastHash = stored.Hash.ToArray();
            }
        }

        private void Fail(List<AuditFinding> findings, StoredEvent stored, AuditFindingKind kind, string message)
        {
            findings.Add(new AuditFinding(stored.StreamId, stored.Version, kind, message));
            Broken = true;
            Pending.Clear();
        }
    }
}
