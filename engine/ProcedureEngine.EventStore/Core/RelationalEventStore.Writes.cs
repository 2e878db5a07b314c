using System.Data.Common;

namespace ProcedureEngine.EventStore.Core;

/// <summary>
/// Group commit: appends that arrive while a write transaction is running wait for it and are then written together, in
/// arrival order, in one transaction — one BEGIN, one commit (one log sync) and one pass of every inline projection
/// (each loads and upserts the rows of the whole group at once) for the group, instead of one each. An append's
/// outcome is exactly what it would be alone: the group is written only if every member's write and the projections
/// succeed; when anything throws, the group is rolled back and each member is written alone, so an error reaches only
/// the append that caused it. Conflicts that leave the transaction usable (a moved head, a stale version, a number
/// nobody takes) are settled inside the group; only a numbered append whose stream moved under it within the group
/// sends the group back to one by one (later members already hold the numbers after its). Every member is decided and
/// chained before any is written, so the writes go to the database at once (<see cref="WriteEventsAsync(DbConnection,
/// DbTransaction, IReadOnlyList{CounterMove}, IReadOnlyList{ValueTuple{AppendPlan, StreamHead}}, CancellationToken)"/>).
/// On SQLite one group is written at a time and the next forms while it commits; on PostgreSQL the next group is written
/// while the one before it commits (<see cref="PipelinesGroups"/>) — at most two in flight, the second's counter rows
/// waiting for the first's commit — and a group's read-model writes carry its COMMIT (<see cref="CommitsInBatch"/>):
/// two round trips a group, the second overlapping the next group's first.
/// </summary>
public abstract partial class RelationalEventStore
{
    /// <summary>At most this many appends share a transaction.</summary>
    private const int MaxGroup = 64;

    private readonly Lock pendingLock = new();
    private readonly CounterValues counterValues = new();

    /// <summary>Groups in flight: one committing while the next is written (where the dialect allows it), never more.</summary>
    private readonly SemaphoreSlim groupSlots = new(2, 2);
    private long groupSequence;
    private readonly List<PendingWrite> pending = [];
    private bool draining;

    /// <summary>One append waiting for its group.</summary>
    private abstract class PendingWrite
    {
        public TaskCompletionSource<WriteOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken Cancellation { get; set; }
    }

    /// <summary>A plan already chained on <see cref="Head"/>.</summary>
    private sealed class PlainWrite(AppendPlan plan, StreamHead head) : PendingWrite
    {
        public AppendPlan Plan { get; } = plan;

        public StreamHead Head { get; } = head;
    }

    /// <summary>A numbered append: the counter's next number is taken in the group's transaction and decided on there.</summary>
    private sealed class NumberedWrite(string counter, long floor, Func<long, NumberedAppend?> decide) : PendingWrite
    {
        public string Counter { get; } = counter;

        public long Floor { get; } = floor;

        public Func<long, NumberedAppend?> Decide { get; } = decide;
    }

    /// <summary>
    /// What became of one append: <see cref="Result"/> when written; otherwise nothing of it was written and
    /// <see cref="KeyUsed"/> says its idempotency or creation key is already recorded. For a numbered append
    /// <see cref="Plan"/> is null when its decision wrote nothing, else the plan and the head it met.
    /// </summary>
    private readonly record struct WriteOutcome(AppendResult? Result, bool KeyUsed, AppendPlan? Plan = null, StreamHead? Head = null, long ExpectedVersion = 0);

    /// <summary>Queues an append for the next group and waits for its outcome.</summary>
    private async Task<WriteOutcome> WriteAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        write.Cancellation = cancellationToken;
        bool start;
        lock (pendingLock)
        {
            pending.Add(write);
            start = !draining;
            draining = true;
        }

        if (start)
        {
            // Nobody is writing: this caller writes the first group itself (its own append in it, no hand-off when
            // appends come one at a time); what queued meanwhile is written by a writer that ends with an empty queue.
            if (await WriteNextGroupAsync().ConfigureAwait(false))
            {
                _ = Task.Run(DrainAsync, CancellationToken.None);
            }
        }

        return await write.Done.Task.ConfigureAwait(false);
    }

    private async Task DrainAsync()
    {
        while (await WriteNextGroupAsync().ConfigureAwait(false))
        {
        }
    }

    /// <summary>Writes the oldest waiting appends as one group; false (and the writer's turn given up) when none wait.</summary>
    private async Task<bool> WriteNextGroupAsync()
    {
        List<PendingWrite> group;
        lock (pendingLock)
        {
            if (pending.Count == 0)
            {
                draining = false;
                return false;
            }

            var take = Math.Min(pending.Count, MaxGroup);
            group = pending.GetRange(0, take);
            pending.RemoveRange(0, take);
        }

        group.RemoveAll(w => w.Cancellation.IsCancellationRequested && w.Done.TrySetCanceled(w.Cancellation));
        if (group.Count > 0)
        {
            // The next group starts once this one is committing (PostgreSQL), or is done (SQLite: one writer at a time).
            await groupSlots.WaitAsync().ConfigureAwait(false);
            // Completed by the group's own writer once its commit is sent: the loop goes on on that thread, no hand-off.
            var committing = new TaskCompletionSource();
            var writing = WriteGroupInSlotAsync(group, committing);
            await Task.WhenAny(committing.Task, writing).ConfigureAwait(false);
        }

        lock (pendingLock)
        {
            if (pending.Count == 0)
            {
                draining = false;
                return false;
            }
        }

        return true;
    }

    private async Task WriteGroupInSlotAsync(List<PendingWrite> group, TaskCompletionSource committing)
    {
        try
        {
            await WriteGroupAsync(group, PipelinesGroups ? committing : null).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Only a single append's own failure comes here (a group falls back to its members alone).
            foreach (var write in group)
            {
                write.Done.TrySetException(e);
            }
        }
        finally
        {
            groupSlots.Release();
            committing.TrySetResult();
        }
    }

    private async Task WriteGroupAsync(List<PendingWrite> group, TaskCompletionSource? committing)
    {
        if (group.Count == 1)
        {
            group[0].Done.TrySetResult((await WriteTogetherAsync(group, committing).ConfigureAwait(false))[0]);
            return;
        }

        WriteOutcome[] outcomes;
        try
        {
            outcomes = await WriteTogetherAsync(group, committing).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Rolled back as a whole: each member alone, so only the append that fails sees its error.
            foreach (var write in group)
            {
                try
                {
                    write.Done.TrySetResult((await WriteTogetherAsync([write], null).ConfigureAwait(false))[0]);
                }
                catch (Exception e)
                {
                    write.Done.TrySetException(e);
                }
            }

            return;
        }

        for (var i = 0; i < group.Count; i++)
        {
            group[i].Done.TrySetResult(outcomes[i]);
        }
    }

    /// <summary>
    /// Writes the appends in one transaction with the inline projections and commits. A single append whose key is
    /// already recorded (or whose version another process wrote) gets KeyUsed/no result as before the group existed;
    /// in a group of several, that and every other error throws and nothing is committed.
    /// </summary>
    /// <param name="committing">Set once the group's last round trip (its read models' writes and the commit) has been
    /// sent: the next group may then be written (see <see cref="PipelinesGroups"/>).</param>
    private async Task<WriteOutcome[]> WriteTogetherAsync(IReadOnlyList<PendingWrite> group, TaskCompletionSource? committing)
    {
        try
        {
            return await WriteTogetherOnceAsync(group, committing).ConfigureAwait(false);
        }
        catch (CounterMovedException moved)
        {
            // Another writer (a second node, or a group before this one that failed) moved a counter this process had
            // numbered from: nothing was written, and the second attempt takes that counter's number under its row's lock.
            counterValues.Moved(moved.Counter, lockForAWhile: !moved.NotFound);
            return await WriteTogetherOnceAsync(group, committing).ConfigureAwait(false);
        }
    }

    private async Task<WriteOutcome[]> WriteTogetherOnceAsync(IReadOnlyList<PendingWrite> group, TaskCompletionSource? committing)
    {
        var cancellationToken = CancellationToken.None; // one member's cancellation must not undo the others
        var outcomes = new WriteOutcome[group.Count];
        var written = new List<AppendPlan>(group.Count);
        var stored = new List<StoredEvent>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var write = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = write.Transaction;
        var counters = new GroupCounters(this, connection, transaction, Interlocked.Increment(ref groupSequence));
        AppendPlan? current = null;
        StreamHead? currentHead = null;
        var currentExpected = 0L;
        try
        {
            // Decide and chain every member first, then write them all at once (one round trip on PostgreSQL).
            var toWrite = new List<(int Index, AppendPlan Plan, StreamHead Head, string? Counter, long Number)>(group.Count);
            for (var i = 0; i < group.Count; i++)
            {
                switch (group[i])
                {
                    case PlainWrite plain:
                        current = plain.Plan;
                        outcomes[i] = new WriteOutcome(null, false);
                        toWrite.Add((i, plain.Plan, plain.Head, null, 0));
                        break;
                    case NumberedWrite numbered:
                        var number = await counters.CandidateAsync(numbered.Counter, numbered.Floor).ConfigureAwait(false);
                        if (numbered.Decide(number) is not { } append)
                        {
                            outcomes[i] = new WriteOutcome(null, false); // the number stays the next one
                            break;
                        }

                        var plan = AppendPlan.Create(append.StreamId, append.ExpectedVersion, append.Events);
                        current = plan;
                        var head = append.ExpectedVersion == ExpectedVersion.NoStream
                            ? Genesis
                            : await ReadHeadAsync(connection, transaction, append.StreamId, cancellationToken).ConfigureAwait(false) ?? Genesis;
                        (currentHead, currentExpected) = (head, append.ExpectedVersion);
                        outcomes[i] = new WriteOutcome(null, false, plan, head, append.ExpectedVersion);
                        if (append.ExpectedVersion == ExpectedVersion.Any || head.Version == append.ExpectedVersion)
                        {
                            plan.Chain(head.Version, head.LastHash.Span);
                            toWrite.Add((i, plan, head, append.TakesNumber ? numbered.Counter : null, number));
                            if (append.TakesNumber)
                            {
                                counters.Take(numbered.Counter, number); // taken if written: checked below
                            }
                        }

                        break;
                }
            }

            var positions = await WriteEventsAsync(connection, transaction, counters.Moves(), [.. toWrite.Select(w => (w.Plan, w.Head))], cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < toWrite.Count; k++)
            {
                var (index, plan, _, counter, number) = toWrite[k];
                if (positions[k] is not { } eventPositions)
                {
                    // The head had moved: nothing of this append was written.
                    heads.Forget(plan.StreamId);
                    if (counter is not null)
                    {
                        if (group.Count > 1)
                        {
                            // Its number was offered to the members after it: written again one by one, each gets
                            // exactly what it would alone.
                            throw new EventStoreException($"stream '{plan.StreamId}' moved while its numbered append was written in a group; the group is written again one append at a time");
                        }

                        counters.GiveBack(counter, number);
                    }

                    continue;
                }

                var events = plan.ToStored(eventPositions);
                written.Add(plan);
                stored.AddRange(events);
                outcomes[index] = outcomes[index] with
                {
                    Result = new AppendResult(plan.StreamId, plan.FirstVersion, plan.LastVersion, eventPositions[^1], false, events),
                };
            }

            // The read models' writes and the counters' new values wait in the context and go together before the
            // commit (one round trip on PostgreSQL).
            var context = new ProjectionContext(connection, transaction, Dialect);
            counters.Save(context);
            try
            {
                if (inline.Length > 0 && stored.Count > 0)
                {
                    current = written.Count == 1 ? written[0] : null;
                    foreach (var projection in inline)
                    {
                        await projection.ApplyAsync(context, stored, cancellationToken).ConfigureAwait(false);
                    }
                }

                // The next group numbers on from this one's counters while this one commits; if the commit fails, the
                // next group's conditional move finds the row where it was and that group is written again.
                counters.Committing();
                var commit = CommitAsync(context, transaction, cancellationToken); // sent; its answer is awaited below
                committing?.TrySetResult();
                await commit.ConfigureAwait(false);
            }
            catch (Exception e) when (group.Count == 1 && written.Count == 1 && UniqueViolation(e) is { } constraint)
            {
                // Disposed unfinished: rolled back, events included.
                throw new UniqueConstraintException(written[0].StreamId, constraint, ViolationDetail(e), e);
            }
        }
        catch (Exception e) when (group.Count == 1 && current is not null && UniqueViolation(e) is { } constraint
                                  && (constraint.Contains("pe_idempotency", StringComparison.Ordinal) || constraint.Contains("pe_creation_keys", StringComparison.Ordinal) || constraint.Contains("pe_events", StringComparison.Ordinal)))
        {
            // A used key (a retried request), or a row of this version written by another process meanwhile.
            heads.Forget(current.StreamId);
            counters.Abandoned();
            var keyUsed = current.IdempotencyKey is not null && !constraint.Contains("pe_events", StringComparison.Ordinal);
            return [group[0] is NumberedWrite ? new WriteOutcome(null, keyUsed, current, currentHead, currentExpected) : new WriteOutcome(null, keyUsed)];
        }
        catch
        {
            foreach (var plan in written)
            {
                heads.Forget(plan.StreamId);
            }

            counters.Abandoned();
            throw;
        }

        foreach (var plan in written)
        {
            heads.Set(plan.StreamId, new StreamHead(plan.LastVersion, plan.LastHash));
        }

        if (written.Count > 0)
        {
            EventStoreTelemetry.RecordGroup(Backend, Database, written.Count);
        }

        return outcomes;
    }

    /// <summary>
    /// The counters a group numbers from. A counter this process has not written yet (or that another writer moved) has
    /// its row locked by the group's transaction at its first use (the upsert that also applies the floor). One this
    /// process committed last is numbered from the value it left, without a round trip: the row is then moved from that
    /// value to the last number taken in the appends' own round trip, and only if it still holds it
    /// (<see cref="CounterMove"/>; otherwise the group is written again under the lock). The numbers are handed out in
    /// memory, each one again until an append takes it, so a declined number or one that is given back is the next
    /// append's; the row is set to the last number taken once, with the read models' writes before the commit.
    /// </summary>
    private sealed class GroupCounters(RelationalEventStore store, DbConnection connection, DbTransaction transaction, long sequence)
    {
        /// <summary>Per counter: the number its row holds now, the next number to offer, and whether the row is only assumed (not locked).</summary>
        private readonly Dictionary<string, (long Stored, long Next, bool Assumed)> counters = new(StringComparer.Ordinal);

        public async Task<long> CandidateAsync(string counter, long floor)
        {
            if (counters.TryGetValue(counter, out var c))
            {
                var next = Math.Max(c.Next, floor + 1);
                counters[counter] = c with { Next = next };
                return next;
            }

            if (store.counterValues.TryGet(counter, out var committed))
            {
                var next = Math.Max(committed + 1, floor + 1);
                counters[counter] = (committed, next, true);
                return next;
            }

            // The row now holds the offered number; Save puts it back to what was taken.
            var first = await store.TakeNumberAsync(connection, transaction, counter, floor, CancellationToken.None).ConfigureAwait(false);
            counters[counter] = (first, first, false);
            return first;
        }

        public void Take(string counter, long number) => counters[counter] = counters[counter] with { Next = number + 1 };

        /// <summary>A taken number whose append was not written, given back: it was the last one handed out.</summary>
        public void GiveBack(string counter, long number) => counters[counter] = counters[counter] with { Next = number };

        /// <summary>The assumed counters that numbered an append, moved (in name order, as every writer locks them) to the last number taken.</summary>
        public CounterMove[] Moves()
        {
            var moves = counters.Where(c => c.Value.Assumed && c.Value.Next - 1 != c.Value.Stored)
                                .Select(c => new CounterMove(c.Key, c.Value.Stored, c.Value.Next - 1))
                                .OrderBy(m => m.Counter, StringComparer.Ordinal)
                                .ToArray();
            foreach (var move in moves)
            {
                counters[move.Counter] = (move.To, move.To + 1, false); // written (or the group fails)
            }

            return moves;
        }

        /// <summary>Sets each locked counter's row to the last number taken, as a write waiting in the group's context.</summary>
        public void Save(ProjectionContext context)
        {
            foreach (var (counter, (stored, next, assumed)) in counters)
            {
                if (!assumed && next - 1 != stored)
                {
                    context.Write("UPDATE pe_counters SET value = @v WHERE name = @n").With("@v", next - 1).With("@n", counter);
                }
            }
        }

        /// <summary>
        /// Before the commit: the value each row will hold is where this process numbers from next (a group written
        /// meanwhile chains its conditional move on it).
        /// </summary>
        public void Committing()
        {
            foreach (var (counter, (stored, next, assumed)) in counters)
            {
                store.counterValues.Set(counter, assumed ? stored : next - 1, sequence);
            }
        }

        /// <summary>Nothing committed: the values this group set are forgotten (unless a later group's replaced them).</summary>
        public void Abandoned()
        {
            foreach (var counter in counters.Keys)
            {
                store.counterValues.Forget(counter, sequence);
            }
        }
    }

    /// <summary>
    /// The value each counter's row held when this process last committed it. A counter that another writer moved is left
    /// out for a while (<see cref="Moved"/>): where two nodes number for one agency, each takes the row's lock instead of
    /// losing a round trip to the other again and again.
    /// </summary>
    private sealed class CounterValues
    {
        private const int Capacity = 10_000;
        private const int LockedAfterMove = 100;
        private readonly Lock gate = new();
        private readonly Dictionary<string, (long Value, long Sequence)> values = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> locked = new(StringComparer.Ordinal);

        public bool TryGet(string counter, out long value)
        {
            lock (gate)
            {
                var found = values.TryGetValue(counter, out var entry);
                value = entry.Value;
                return found;
            }
        }

        /// <summary>The value group <paramref name="sequence"/> leaves in the row (a later group's value is not replaced by an earlier one's).</summary>
        public void Set(string counter, long value, long sequence)
        {
            lock (gate)
            {
                if (locked.TryGetValue(counter, out var left))
                {
                    if (left > 1)
                    {
                        locked[counter] = left - 1;
                    }
                    else
                    {
                        locked.Remove(counter);
                    }

                    return;
                }

                if (values.TryGetValue(counter, out var entry) && entry.Sequence > sequence)
                {
                    return;
                }

                if (values.Count >= Capacity && entry == default)
                {
                    values.Clear(); // counters are per agency and day: yesterday's are not asked for again
                }

                values[counter] = (value, sequence);
            }
        }

        public void Forget(string counter, long sequence)
        {
            lock (gate)
            {
                if (values.TryGetValue(counter, out var entry) && entry.Sequence == sequence)
                {
                    values.Remove(counter);
                }
            }
        }

        /// <summary>The row was not where this process thought; with <paramref name="lockForAWhile"/> (another writer moved it) the counter is taken under its lock for the next groups.</summary>
        public void Moved(string counter, bool lockForAWhile)
        {
            lock (gate)
            {
                values.Remove(counter);
                if (!lockForAWhile)
                {
                    return;
                }

                if (locked.Count >= Capacity)
                {
                    locked.Clear();
                }

                locked[counter] = LockedAfterMove;
            }
        }
    }
}
