using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using ProcedureEngine.EventStore.Core;

namespace ProcedureEngine.EventStore.Tests;

/// <summary>
/// Group commit: appends that arrive while a write transaction runs are written together in the next one. Each append
/// must still get exactly its own outcome — written, replayed, refused as a conflict or by a read model — and a
/// refusal must cost no other append its write. A slow inline projection holds the first transaction open so the
/// others queue behind it; the store's own metric (pe.append.group) shows they shared transactions.
/// </summary>
public abstract class GroupCommitTests
{
    protected abstract Task<IEventStore> CreateStoreAsync(IEnumerable<IProjection>? projections = null);

    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.FromHours(7));

    private static EventData Event(string type, object payload, string? key = null) =>
        new(type, JsonSerializer.SerializeToUtf8Bytes(payload), new EventMetadata(new Actor("cb-motcua-01", "one-stop"), T0, null, null, key));

    private static string NewStream() => "dossier-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Appends_arriving_together_share_a_transaction_and_each_gets_its_own_outcome()
    {
        var hold = new HoldFirstTransaction();
        await using var store = await CreateStoreAsync([hold]);
        using var groups = new GroupSizes(store);

        // Before the burst: a stream to conflict on and an idempotency key already used.
        var contested = NewStream();
        await store.AppendAsync(contested, ExpectedVersion.NoStream, [Event("Received", new { n = 0 })]);
        var retried = NewStream();
        var original = await store.AppendAsync(retried, ExpectedVersion.NoStream, [Event("Received", new { n = 0 }, key: "req-1")]);
        hold.Arm();

        var fresh = Enumerable.Range(0, 30).Select(_ => NewStream()).ToArray();
        var writes = fresh.Select((s, i) => store.AppendAsync(s, ExpectedVersion.NoStream, [Event("Received", new { n = i }), Event("StepStarted", new { n = i })]))
            .ToList();
        var replays = Enumerable.Range(0, 5).Select(_ => store.AppendAsync(retried, ExpectedVersion.NoStream, [Event("Received", new { n = 0 }, key: "req-1")])).ToList();
        var stale = Enumerable.Range(0, 5).Select(_ => store.AppendAsync(contested, 0, [Event("Late", new { n = 1 })])).ToList();

        var results = await Task.WhenAll(writes);
        results.Select(r => (r.StreamId, r.FirstVersion, r.LastVersion, r.WasDuplicate)).ShouldBe(fresh.Select(s => (s, 1L, 2L, false)));
        foreach (var replay in await Task.WhenAll(replays))
        {
            replay.WasDuplicate.ShouldBeTrue();
            replay.LastGlobalPosition.ShouldBe(original.LastGlobalPosition);
        }

        foreach (var conflict in stale)
        {
            (await Should.ThrowAsync<ConcurrencyException>(conflict)).ActualVersion.ShouldBe(1);
        }

        // Every fresh stream reads back whole, chained, and the read model saw each event once.
        foreach (var (stream, i) in fresh.Select((s, i) => (s, i)))
        {
            var events = await store.ReadStreamAsync(stream);
            events.Select(e => (e.Version, e.Type, Encoding.UTF8.GetString(e.Data.Span))).ShouldBe([(1L, "Received", $$"""{"n":{{i}}}"""), (2L, "StepStarted", $$"""{"n":{{i}}}""")]);
            (await store.VerifyStreamAsync(stream)).IsValid.ShouldBeTrue();
        }

        (await store.ReadStreamAsync(retried)).Count.ShouldBe(1);
        (await store.ReadStreamAsync(contested)).Count.ShouldBe(1);
        hold.Seen.Count.ShouldBe(30 * 2);
        hold.Seen.Distinct().Count().ShouldBe(hold.Seen.Count);
        groups.Largest.ShouldBeGreaterThan(1, $"group sizes seen: {string.Join(", ", groups.All)}");
        groups.All.Sum().ShouldBe(2 + 30, "every written append was committed once, in some group");
    }

    [Fact]
    public async Task A_read_model_refusal_in_a_group_fails_only_its_own_append()
    {
        var hold = new HoldFirstTransaction();
        var codes = new UniqueCodeProjection();
        await using var store = await CreateStoreAsync([hold, codes]);
        using var groups = new GroupSizes(store);
        await store.AppendAsync(NewStream(), ExpectedVersion.NoStream, [Event("DossierReceived", new { code = "X-0001" })]);
        hold.Arm();

        var fresh = Enumerable.Range(0, 20).Select(_ => NewStream()).ToArray();
        var writes = fresh.Select((s, i) => store.AppendAsync(s, ExpectedVersion.NoStream, [Event("DossierReceived", new { code = $"A-{i:D4}" })])).ToList();
        var clashing = NewStream();
        var clash = store.AppendAsync(clashing, ExpectedVersion.NoStream, [Event("DossierReceived", new { code = "X-0001" })]);

        (await Task.WhenAll(writes)).Select(r => r.StreamId).ShouldBe(fresh);
        var error = await Should.ThrowAsync<UniqueConstraintException>(clash);
        error.StreamId.ShouldBe(clashing);
        (await store.ReadStreamAsync(clashing)).ShouldBeEmpty();
        Convert.ToInt64(await TestStores.ScalarAsync(store, "SELECT count(*) FROM unique_codes"), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(21);

        // The appends queued behind the held transaction were tried as one group, rolled back by the clash, then
        // written one by one: the projection before the refusing one met their events twice, and every group committed
        // afterwards holds one append.
        hold.Seen.Count.ShouldBeGreaterThan(21);
        hold.Seen.Distinct().Count().ShouldBe(21);
        groups.All.ShouldAllBe(size => size == 1);
        groups.All.Count.ShouldBe(1 + 20);
    }

    [Fact]
    public async Task Numbered_appends_in_one_group_take_consecutive_numbers_and_give_back_the_ones_they_do_not_use()
    {
        var hold = new HoldFirstTransaction();
        await using var store = await CreateStoreAsync([hold]);
        using var groups = new GroupSizes(store);
        var counter = "codes-" + Guid.NewGuid().ToString("N")[..8];
        await store.AppendNumberedAsync(counter, 0, n => new NumberedAppend(NewStream(), ExpectedVersion.NoStream, [Event("Numbered", new { n })]));
        hold.Arm();

        // Every third decides nothing, every fifth writes without taking its number; the rest take one each.
        var results = await Task.WhenAll(Enumerable.Range(1, 30).Select(i => store.AppendNumberedAsync(counter, 0, n =>
            i % 3 == 0 ? null : new NumberedAppend(NewStream(), ExpectedVersion.NoStream, [Event("Numbered", new { n, i })], TakesNumber: i % 5 != 0))));

        var written = results.Where(r => r is not null).Select(r => r!).ToList();
        written.Count.ShouldBe(20);
        var numbers = new List<(int I, long N)>();
        foreach (var result in written)
        {
            var payload = JsonDocument.Parse((await store.ReadStreamAsync(result.StreamId))[0].Data).RootElement;
            numbers.Add((payload.GetProperty("i").GetInt32(), payload.GetProperty("n").GetInt64()));
        }

        var taking = numbers.Where(x => x.I % 5 != 0).Select(x => x.N).Order().ToList();
        taking.ShouldBe([.. Enumerable.Range(2, 16).Select(n => (long)n)], "the takers' numbers follow the first one with no gap and no repeat");
        numbers.Where(x => x.I % 5 == 0).ShouldAllBe(x => x.N >= 2 && x.N <= 18, "a number not taken is one nobody keeps");
        groups.Largest.ShouldBeGreaterThan(1, $"group sizes seen: {string.Join(", ", groups.All)}");

        var next = await store.AppendNumberedAsync(counter, 0, n => new NumberedAppend(NewStream(), ExpectedVersion.NoStream, [Event("Numbered", new { n })]));
        JsonDocument.Parse((await store.ReadStreamAsync(next!.StreamId))[0].Data).RootElement.GetProperty("n").GetInt64().ShouldBe(18);
    }

    [Fact]
    public async Task A_numbered_append_whose_stream_moves_within_its_group_is_a_conflict_and_its_number_goes_to_the_next()
    {
        var hold = new HoldFirstTransaction();
        await using var store = await CreateStoreAsync([hold]);
        var counter = "codes-" + Guid.NewGuid().ToString("N")[..8];
        var online = NewStream();
        await store.AppendAsync(online, ExpectedVersion.NoStream, [Event("Submitted", new { n = 0 })]);
        hold.Arm();

        // Behind the held transaction: a note on the stream, then an acceptance numbered against version 1, then a receipt.
        var blocker = store.AppendAsync(NewStream(), ExpectedVersion.NoStream, [Event("Received", new { n = 0 })]);
        var note = store.AppendAsync(online, ExpectedVersion.Any, [Event("Noted", new { n = 1 })]);
        var accept = store.AppendNumberedAsync(counter, 0, n => new NumberedAppend(online, 1, [Event("Accepted", new { n })]));
        var receipt = NewStream();
        var next = store.AppendNumberedAsync(counter, 0, n => new NumberedAppend(receipt, ExpectedVersion.NoStream, [Event("Received", new { n })]));

        await blocker;
        (await note).LastVersion.ShouldBe(2);
        var conflict = await Should.ThrowAsync<ConcurrencyException>(accept);
        (conflict.ExpectedVersion, conflict.ActualVersion).ShouldBe((1L, 2L));
        (await next)!.StreamId.ShouldBe(receipt);
        (await store.ReadStreamAsync(online)).Select(e => e.Type).ShouldBe(["Submitted", "Noted"]);
        JsonDocument.Parse((await store.ReadStreamAsync(receipt))[0].Data).RootElement.GetProperty("n").GetInt64().ShouldBe(1, "the refused acceptance's number is the receipt's");
    }

    [Fact]
    public async Task A_group_written_while_the_one_before_fails_its_commit_numbers_from_the_row_not_from_the_failed_group()
    {
        var hold = new HoldFirstTransaction();
        await using var store = await CreateStoreAsync([hold, new CodesWrittenAtCommit()]);
        var counter = "codes-" + Guid.NewGuid().ToString("N")[..8];
        static NumberedAppend Receipt(long n, string code) => new(NewStream(), ExpectedVersion.NoStream, [Event("DossierReceived", new { code, n })]);
        await store.AppendNumberedAsync(counter, 0, n => Receipt(n, "TAKEN"));
        hold.Arm();

        // Held before its commit, the first group (one receipt whose code the read model refuses only when its writes go
        // with the commit) lets the others queue; on PostgreSQL they are written while it commits, numbered on from it.
        var refused = store.AppendNumberedAsync(counter, 0, n => Receipt(n, "TAKEN"));
        var others = Enumerable.Range(0, 20).Select(_ => store.AppendNumberedAsync(counter, 0, n => Receipt(n, $"C-{n}"))).ToList();

        await Should.ThrowAsync<UniqueConstraintException>(refused);
        var numbers = new List<long>();
        foreach (var result in await Task.WhenAll(others))
        {
            var events = await store.ReadStreamAsync(result!.StreamId);
            events.Count.ShouldBe(1);
            numbers.Add(JsonDocument.Parse(events[0].Data).RootElement.GetProperty("n").GetInt64());
        }

        numbers.Order().ToList().ShouldBe([.. Enumerable.Range(2, 20).Select(n => (long)n)], "the refused receipt's number is not lost, and none is given twice");
        var next = await store.AppendNumberedAsync(counter, 0, n => Receipt(n, $"C-{n}"));
        JsonDocument.Parse((await store.ReadStreamAsync(next!.StreamId))[0].Data).RootElement.GetProperty("n").GetInt64().ShouldBe(22);
        Convert.ToInt64(await TestStores.ScalarAsync(store, "SELECT count(*) FROM codes_at_commit"), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(22);
    }

    /// <summary>A read model with a unique code whose inserts wait for the flush that goes with the commit (on PostgreSQL a refused one is slow to fail).</summary>
    private sealed class CodesWrittenAtCommit : IProjection
    {
        public string Name => "codes_at_commit";

        public ProjectionMode Mode => ProjectionMode.Inline;

        public IReadOnlyList<string> Tables => ["codes_at_commit"];

        public IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
            [new Migration("test-codes-at-commit", 1, "codes", "CREATE TABLE IF NOT EXISTS codes_at_commit (stream_id text PRIMARY KEY, code text UNIQUE)")];

        public Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
        {
            foreach (var e in events)
            {
                var code = JsonDocument.Parse(e.Data).RootElement.GetProperty("code").GetString();
                if (code == "TAKEN" && context.Dialect == SqlDialect.Postgres)
                {
                    // A slow commit: the next group is surely written, numbered on from this one, before this one fails.
                    context.Write("SELECT pg_sleep(0.3)");
                }

                context.Write("INSERT INTO codes_at_commit (stream_id, code) VALUES (@s, @c)").With("@s", e.StreamId).With("@c", code);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>An inline projection that, once armed, keeps its next transaction open a moment (so appends queue behind it) and records every event it is given.</summary>
    private sealed class HoldFirstTransaction : IProjection
    {
        private int armed;

        public ConcurrentBag<(string, long)> Seen { get; } = [];

        public string Name => "hold";

        public ProjectionMode Mode => ProjectionMode.Inline;

        public IReadOnlyList<string> Tables => [];

        public IReadOnlyList<Migration> Migrations(SqlDialect dialect) => [];

        public void Arm()
        {
            Seen.Clear();
            Volatile.Write(ref armed, 1);
        }

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
        {
            foreach (var e in events)
            {
                Seen.Add((e.StreamId, e.Version));
            }

            if (Interlocked.Exchange(ref armed, 0) == 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(400), cancellationToken);
            }
        }

        public Task ResetAsync(ProjectionContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The sizes of the groups this store committed, from its telemetry.</summary>
    private sealed class GroupSizes : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentQueue<int> sizes = new();

        public GroupSizes(IEventStore store)
        {
            var database = ((RelationalEventStore)store).Database;
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EventStoreTelemetry.Name && instrument.Name == "pe.append.group")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "db.namespace" && Equals(tag.Value, database))
                    {
                        sizes.Enqueue(value);
                    }
                }
            });
            listener.Start();
        }

        public IReadOnlyList<int> All => [.. sizes];

        public int Largest => sizes.IsEmpty ? 0 : sizes.Max();

        public void Dispose() => listener.Dispose();
    }
}

public sealed class SqliteGroupCommitTests : GroupCommitTests
{
    protected override Task<IEventStore> CreateStoreAsync(IEnumerable<IProjection>? projections = null) => TestStores.SqliteAsync(projections);
}

public sealed class PostgresGroupCommitTests : GroupCommitTests
{
    protected override Task<IEventStore> CreateStoreAsync(IEnumerable<IProjection>? projections = null) => TestStores.PostgresAsync(projections);
}
