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
/// DbTransaction, IReadOnlyList{ValueTuple{AppendPlan, StreamHead}}, CancellationToken)"/>). One group is written at a
/// time per store; the next forms while it commits.
/// </summary>
public abstract partial class RelationalEventStore
{
    /// <summary>At most this many appends share a transaction.</summary>
    private const int MaxGroup = 64;

    private readonly Lock pendingLock = new();
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
            try
            {
                await WriteGroupAsync(group).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Only a single append's own failure comes here (a group falls back to its members alone).
                foreach (var write in group)
                {
                    write.Done.TrySetException(e);
                }
            }
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

    private async Task WriteGroupAsync(List<PendingWrite> group)
    {
        if (group.Count == 1)
        {
            group[0].Done.TrySetResult((await WriteTogetherAsync(group).ConfigureAwait(false))[0]);
            return;
        }

        WriteOutcome[] outcomes;
        try
        {
            outcomes = await WriteTogetherAsync(group).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Rolled back as a whole: each member alone, so only the append that fails sees its error.
            foreach (var write in group)
            {
                try
                {
                    write.Done.TrySetResult((await WriteTogetherAsync([write]).ConfigureAwait(false))[0]);
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
    private async Task<WriteOutcome[]> WriteTogetherAsync(IReadOnlyList<PendingWrite> group)
    {
        var cancellationToken = CancellationToken.None; // one member's cancellation must not undo the others
        var outcomes = new WriteOutcome[group.Count];
        var written = new List<AppendPlan>(group.Count);
        var stored = new List<StoredEvent>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var write = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var transaction = write.Transaction;
        var counters = new GroupCounters(this, connection, transaction);
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

            var positions = await WriteEventsAsync(connection, transaction, [.. toWrite.Select(w => (w.Plan, w.Head))], cancellationToken).ConfigureAwait(false);
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

                await context.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (group.Count == 1 && written.Count == 1 && UniqueViolation(e) is { } constraint)
            {
                // Disposed unfinished: rolled back, events included.
                throw new UniqueConstraintException(written[0].StreamId, constraint, ViolationDetail(e), e);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (group.Count == 1 && current is not null && UniqueViolation(e) is { } constraint
                                  && (constraint.Contains("pe_idempotency", StringComparison.Ordinal) || constraint.Contains("pe_creation_keys", StringComparison.Ordinal) || constraint.Contains("pe_events", StringComparison.Ordinal)))
        {
            // A used key (a retried request), or a row of this version written by another process meanwhile.
            heads.Forget(current.StreamId);
            var keyUsed = current.IdempotencyKey is not null && !constraint.Contains("pe_events", StringComparison.Ordinal);
            return [group[0] is NumberedWrite ? new WriteOutcome(null, keyUsed, current, currentHead, currentExpected) : new WriteOutcome(null, keyUsed)];
        }
        catch
        {
            foreach (var plan in written)
            {
                heads.Forget(plan.StreamId);
            }

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
    /// The counters a group numbers from. A counter's row is locked by the group's transaction at its first use (the
    /// upsert that also applies the floor) and the numbers are then handed out in memory, each one again until an
    /// append takes it, so a declined number or one that is given back is the next append's; the row is set to the
    /// last number taken once, with the read models' writes before the commit. One statement per counter and group instead of one or two per append.
    /// </summary>
    private sealed class GroupCounters(RelationalEventStore store, DbConnection connection, DbTransaction transaction)
    {
        /// <summary>Per counter: the number its row holds now, and the next number to offer.</summary>
        private readonly Dictionary<string, (long Stored, long Next)> counters = new(StringComparer.Ordinal);

        public async Task<long> CandidateAsync(string counter, long floor)
        {
            if (counters.TryGetValue(counter, out var c))
            {
                var next = Math.Max(c.Next, floor + 1);
                counters[counter] = c with { Next = next };
                return next;
            }

            // The row now holds the offered number; Save puts it back to what was taken.
            var first = await store.TakeNumberAsync(connection, transaction, counter, floor, CancellationToken.None).ConfigureAwait(false);
            counters[counter] = (first, first);
            return first;
        }

        public void Take(string counter, long number) => counters[counter] = (counters[counter].Stored, number + 1);

        /// <summary>A taken number whose append was not written, given back: it was the last one handed out.</summary>
        public void GiveBack(string counter, long number) => counters[counter] = (counters[counter].Stored, number);

        /// <summary>Sets each counter's row to the last number taken, as a write waiting in the group's context.</summary>
        public void Save(ProjectionContext context)
        {
            foreach (var (counter, (stored, next)) in counters)
            {
                if (next - 1 != stored)
                {
                    context.Write("UPDATE pe_counters SET value = @v WHERE name = @n").With("@v", next - 1).With("@n", counter);
                }
            }
        }
    }
}
