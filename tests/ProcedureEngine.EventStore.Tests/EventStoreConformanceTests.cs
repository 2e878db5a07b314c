using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ProcedureEngine.EventStore.Postgres;
using ProcedureEngine.EventStore.Sqlite;

namespace ProcedureEngine.EventStore.Tests;

/// <summary>One behaviour suite, run against every backend.</summary>
public abstract class EventStoreConformanceTests
{
    protected abstract Task<IEventStore> CreateStoreAsync(IEnumerable<IProjection>? projections = null);

    /// <summary>A second store on the same database, as a second server node (or process) opens it.</summary>
    protected abstract Task<IEventStore> OpenAgainAsync(IEventStore store);

    protected static readonly DateTimeOffset T0 = new(2026, 4, 24, 9, 0, 0, TimeSpan.FromHours(7));

    protected static EventData Event(string type, object payload, DateTimeOffset? at = null, string? key = null, string user = "cb-motcua-01", string agency = "one-stop") =>
        new(type, JsonSerializer.SerializeToUtf8Bytes(payload), new EventMetadata(new Actor(user, agency), at ?? T0, "corr-1", "cause-1", key));

    protected static string NewStream() => "dossier-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_fetch_for_writing_gives_the_events_the_head_and_the_chain_check_and_an_append_gives_back_what_it_stored()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        var unknown = await store.FetchForWritingAsync(stream);
        unknown.Version.ShouldBe(0);
        unknown.Events.ShouldBeEmpty();
        unknown.Verification.Found.ShouldBeFalse();

        var first = await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("A", new { n = 1 }), Event("B", new { n = 2 })]);
        var fetched = await store.FetchForWritingAsync(stream);
        fetched.Version.ShouldBe(2);
        fetched.Verification.IsValid.ShouldBeTrue();
        fetched.Events.Select(e => (e.Version, e.GlobalPosition, e.Type, Convert.ToHexString(e.Hash.Span)))
            .ShouldBe(first.Written!.Select(e => (e.Version, e.GlobalPosition, e.Type, Convert.ToHexString(e.Hash.Span))));

        var second = await store.AppendAsync(stream, fetched.Version, [Event("C", new { n = 3 })]);
        var all = await store.ReadStreamAsync(stream);
        static object Shape(StoredEvent e) => (e.StreamId, e.Version, e.GlobalPosition, e.Type, Encoding.UTF8.GetString(e.Data.Span), e.Metadata,
            Convert.ToHexString(e.Hash.Span), Convert.ToHexString(e.PreviousHash.Span));
        Shape(second.Written!.Single()).ShouldBe(Shape(all[^1]));
        Convert.ToHexString(second.Written![0].PreviousHash.Span).ShouldBe(Convert.ToHexString(all[1].Hash.Span));
    }

    [Fact]
    public async Task Numbered_appends_take_consecutive_numbers_under_concurrency_and_give_back_numbers_they_do_not_use()
    {
        await using var store = await CreateStoreAsync();
        var counter = "codes-" + Guid.NewGuid().ToString("N")[..8];

        // The counter starts above the floor (codes written before it existed).
        var firstStream = NewStream();
        (await store.AppendNumberedAsync(counter, 7, n => new NumberedAppend(firstStream, ExpectedVersion.NoStream, [Event("Numbered", new { n })])))!.StreamId.ShouldBe(firstStream);
        Encoding.UTF8.GetString((await store.ReadStreamAsync(firstStream))[0].Data.Span).ShouldBe("""{"n":8}""");

        // Nothing decided, or an append that does not take its number: the number is not used.
        (await store.AppendNumberedAsync(counter, 0, _ => null)).ShouldBeNull();
        var unnumbered = NewStream();
        await store.AppendNumberedAsync(counter, 0, n => new NumberedAppend(unnumbered, ExpectedVersion.NoStream, [Event("Unnumbered", new { n })], TakesNumber: false));
        Encoding.UTF8.GetString((await store.ReadStreamAsync(unnumbered))[0].Data.Span).ShouldBe("""{"n":9}""");

        var taken = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var stream = NewStream();
            await store.AppendNumberedAsync(counter, 0, n =>
            {
                taken.Add(n);
                return new NumberedAppend(stream, ExpectedVersion.NoStream, [Event("Numbered", new { n })]);
            });
        })));
        taken.Order().ShouldBe([.. Enumerable.Range(9, 16).Select(n => (long)n)]);
    }

    [Fact]
    public async Task Two_writers_numbering_from_one_counter_never_give_a_number_twice_and_follow_a_counter_moved_by_hand()
    {
        await using var a = await CreateStoreAsync();
        await using var b = await OpenAgainAsync(a);
        var counter = "codes-" + Guid.NewGuid().ToString("N")[..8];
        var streams = new ConcurrentBag<string>();
        async Task<long> TakeAsync(IEventStore store)
        {
            var stream = NewStream();
            streams.Add(stream);
            await store.AppendNumberedAsync(counter, 0, n => new NumberedAppend(stream, ExpectedVersion.NoStream, [Event("Numbered", new { n })]));
            var events = await store.ReadStreamAsync(stream);
            events.Count.ShouldBe(1, "an attempt given up leaves nothing behind");
            return JsonDocument.Parse(events[0].Data).RootElement.GetProperty("n").GetInt64();
        }

        // Each writer numbers on from what it last wrote unless the other wrote since: the second writer's numbers are seen.
        (await TakeAsync(a)).ShouldBe(1);
        (await TakeAsync(a)).ShouldBe(2);
        (await TakeAsync(b)).ShouldBe(3);
        (await TakeAsync(a)).ShouldBe(4);
        (await TakeAsync(b)).ShouldBe(5);
        (await TakeAsync(b)).ShouldBe(6);
        (await TakeAsync(a)).ShouldBe(7);

        // Moved by hand (codes issued elsewhere): the next number follows the row.
        await TestStores.ExecuteAsync(a, $"UPDATE pe_counters SET value = 100 WHERE name = '{counter}'");
        (await TakeAsync(a)).ShouldBe(101);
        (await TakeAsync(b)).ShouldBe(102);

        // Both at once, in groups: every number once, none skipped.
        var together = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => TakeAsync(i % 2 == 0 ? a : b))));
        together.Order().ShouldBe([.. Enumerable.Range(103, 40).Select(n => (long)n)]);
        Convert.ToInt64(await TestStores.ScalarAsync(a, $"SELECT value FROM pe_counters WHERE name = '{counter}'"), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(142);
        streams.Count.ShouldBe(49);
    }

    [Fact]
    public async Task Appended_events_read_back_in_order_with_dense_versions_and_exact_metadata()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        var at = new DateTimeOffset(2026, 4, 24, 9, 15, 30, TimeSpan.FromHours(7)).AddTicks(1234567);
        var first = new EventData("DossierReceived", """{"code":"000.00.07.H13-260424-0001","applicant":"Nguyễn Văn A","z":1,"a":2}"""u8.ToArray(),
            new EventMetadata(new Actor("cb-motcua-01", "one-stop"), at, "corr-42", "cmd-7", "req-1"));
        var result = await store.AppendAsync(stream, ExpectedVersion.NoStream, [first, Event("StepStarted", new { step = "appraise" }, key: "req-1")]);

        result.FirstVersion.ShouldBe(1);
        result.LastVersion.ShouldBe(2);
        result.WasDuplicate.ShouldBeFalse();

        var events = await store.ReadStreamAsync(stream);
        events.Select(e => e.Version).ShouldBe([1L, 2L]);
        events[0].Type.ShouldBe("DossierReceived");
        Encoding.UTF8.GetString(events[0].Data.Span).ShouldBe("""{"code":"000.00.07.H13-260424-0001","applicant":"Nguyễn Văn A","z":1,"a":2}""");
        events[0].Metadata.Actor.ShouldBe(new Actor("cb-motcua-01", "one-stop"));
        events[0].Metadata.CorrelationId.ShouldBe("corr-42");
        events[0].Metadata.CausationId.ShouldBe("cmd-7");
        events[0].Metadata.IdempotencyKey.ShouldBe("req-1");
        events[0].Metadata.Time.ShouldBe(at.AddTicks(-(at.UtcTicks % 10)), "time is kept to the microsecond");
        events[1].GlobalPosition.ShouldBeGreaterThan(events[0].GlobalPosition);
        events[1].GlobalPosition.ShouldBe(result.LastGlobalPosition);
        events[1].PreviousHash.ToArray().ShouldBe(events[0].Hash.ToArray());
        (await store.GetStreamVersionAsync(stream)).ShouldBe(2);
        (await store.VerifyStreamAsync(stream)).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task Listing_streams_pages_through_every_stream_once_in_ordinal_order_with_its_version()
    {
        await using var store = await CreateStoreAsync();
        string[] ids = ["dossier-b", "dossier-B", "dossier-á", "dossier-a", "dossier-a-2", "Dossier-z"];
        for (var i = 0; i < ids.Length; i++)
        {
            await store.AppendAsync(ids[i], ExpectedVersion.NoStream, [.. Enumerable.Range(0, i + 1).Select(n => Event("StepCompleted", new { n }))]);
        }

        var listed = new List<StreamVersion>();
        string? after = null;
        while (await store.ListStreamsAsync(after, 4) is { Count: > 0 } page)
        {
            page.Count.ShouldBeLessThanOrEqualTo(4);
            listed.AddRange(page);
            after = page[^1].StreamId;
        }

        listed.Select(s => s.StreamId).ShouldBe(ids.Order(StringComparer.Ordinal));
        listed.ShouldAllBe(s => s.Version == Array.IndexOf(ids, s.StreamId) + 1);
    }

    [Fact]
    public async Task Stale_expected_version_is_a_typed_conflict_and_writes_nothing()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { n = 1 }), Event("StepStarted", new { n = 2 })]);

        var conflict = await Should.ThrowAsync<ConcurrencyException>(() => store.AppendAsync(stream, 1, [Event("StepCompleted", new { n = 3 })]));
        conflict.StreamId.ShouldBe(stream);
        conflict.ExpectedVersion.ShouldBe(1);
        conflict.ActualVersion.ShouldBe(2);

        var again = await Should.ThrowAsync<ConcurrencyException>(() => store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { n = 9 })]));
        again.ActualVersion.ShouldBe(2);

        (await store.ReadStreamAsync(stream)).Count.ShouldBe(2);
        (await store.VerifyStreamAsync(stream)).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task Expecting_a_version_on_a_missing_stream_is_a_conflict()
    {
        await using var store = await CreateStoreAsync();
        var conflict = await Should.ThrowAsync<ConcurrencyException>(() => store.AppendAsync(NewStream(), 3, [Event("StepStarted", new { })]));
        conflict.ActualVersion.ShouldBe(0);
    }

    [Fact]
    public async Task Retried_request_with_the_same_idempotency_key_appends_once()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { })]);
        var first = await store.AppendAsync(stream, 1, [Event("StepCompleted", new { step = "appraise" }, key: "http-req-77"), Event("StepStarted", new { step = "sign" }, key: "http-req-77")]);
        var retry = await store.AppendAsync(stream, 1, [Event("StepCompleted", new { step = "appraise" }, key: "http-req-77"), Event("StepStarted", new { step = "sign" }, key: "http-req-77")]);
        var retryAny = await store.AppendAsync(stream, ExpectedVersion.Any, [Event("StepCompleted", new { step = "appraise" }, key: "http-req-77")]);

        retry.WasDuplicate.ShouldBeTrue();
        retry.FirstVersion.ShouldBe(first.FirstVersion);
        retry.LastVersion.ShouldBe(first.LastVersion);
        retry.LastGlobalPosition.ShouldBe(first.LastGlobalPosition);
        retryAny.WasDuplicate.ShouldBeTrue();
        (await store.ReadStreamAsync(stream)).Count.ShouldBe(3);

        // The same key on another stream is another request.
        var other = await store.AppendAsync(NewStream(), ExpectedVersion.NoStream, [Event("DossierReceived", new { }, key: "http-req-77")]);
        other.WasDuplicate.ShouldBeFalse();
    }

    [Fact]
    public async Task A_retried_creation_under_a_new_stream_id_returns_the_stream_its_key_created()
    {
        await using var store = await CreateStoreAsync();
        var first = await store.AppendAsync("H13-260424-0001", ExpectedVersion.NoStream, [Event("DossierReceived", new { seq = 1 }, key: "counter-7:req-1")]);

        // The client did not hear back and sends again; the server picked the next code for it.
        var retry = await store.AppendAsync("H13-260424-0002", ExpectedVersion.NoStream, [Event("DossierReceived", new { seq = 2 }, key: "counter-7:req-1")]);
        var retryAny = await store.AppendAsync("H13-260424-0003", ExpectedVersion.Any, [Event("DossierReceived", new { seq = 3 }, key: "counter-7:req-1")]);

        retry.ShouldBe(first with { WasDuplicate = true, Written = null });
        retryAny.ShouldBe(first with { WasDuplicate = true, Written = null });
        (await store.GetStreamVersionAsync("H13-260424-0002")).ShouldBe(0, "nothing is written under the new id");
        (await store.GetStreamVersionAsync("H13-260424-0003")).ShouldBe(0);
        (await store.ListStreamsAsync(null, 10)).Select(s => s.StreamId).ShouldBe(["H13-260424-0001"]);

        // A key used later in a stream's life did not create it: a new stream may still use it.
        await store.AppendAsync("H13-260424-0001", 1, [Event("StepCompleted", new { }, key: "counter-7:req-2")]);
        (await store.AppendAsync("H13-260424-0004", ExpectedVersion.NoStream, [Event("DossierReceived", new { }, key: "counter-7:req-2")])).WasDuplicate.ShouldBeFalse();
    }

    [Fact]
    public async Task Concurrent_retries_of_one_creation_create_one_stream()
    {
        await using var store = await CreateStoreAsync();
        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            Task.Run(() => store.AppendAsync($"H13-260424-{i:0000}", ExpectedVersion.NoStream, [Event("DossierReceived", new { i }, key: "double-click")]))));

        results.Count(r => !r.WasDuplicate).ShouldBe(1);
        results.Select(r => r.StreamId).Distinct().ShouldHaveSingleItem();
        (await store.ListStreamsAsync(null, 100)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Events_of_one_append_must_share_their_idempotency_key()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("A", new { }, key: "k1"), Event("B", new { }, key: "k2")]));
        (await store.GetStreamVersionAsync(stream)).ShouldBe(0);
    }

    [Fact]
    public async Task Many_concurrent_writers_on_one_stream_lose_and_duplicate_nothing()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        const int writers = 16;
        const int perWriter = 15;
        var conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                while (true)
                {
                    var version = await store.GetStreamVersionAsync(stream);
                    try
                    {
                        await store.AppendAsync(stream, version, [Event("StepCompleted", new { writer = w, n = i })]);
                        break;
                    }
                    catch (ConcurrencyException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        })));

        var events = await store.ReadStreamAsync(stream);
        events.Select(e => e.Version).ShouldBe(Enumerable.Range(1, writers * perWriter).Select(v => (long)v));
        var payloads = events.Select(e => Encoding.UTF8.GetString(e.Data.Span)).ToList();
        payloads.Distinct().Count().ShouldBe(writers * perWriter, "every (writer, n) appended exactly once");
        (await store.VerifyStreamAsync(stream)).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task Concurrent_writers_expecting_any_version_all_succeed_with_dense_versions()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await store.AppendAsync(stream, ExpectedVersion.Any, [Event("DeadlineWarning", new { w, i })]);
            }
        })));

        var events = await store.ReadStreamAsync(stream);
        events.Select(e => e.Version).ShouldBe(Enumerable.Range(1, 80).Select(v => (long)v));
        (await store.VerifyStreamAsync(stream)).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task Global_order_spans_streams_and_pages_by_checkpoint()
    {
        await using var store = await CreateStoreAsync();
        var a = NewStream();
        var b = NewStream();
        await store.AppendAsync(a, ExpectedVersion.NoStream, [Event("DossierReceived", new { s = "a1" })]);
        await store.AppendAsync(b, ExpectedVersion.NoStream, [Event("DossierReceived", new { s = "b1" })]);
        await store.AppendAsync(a, 1, [Event("StepStarted", new { s = "a2" }), Event("StepCompleted", new { s = "a3" })]);

        var seen = await TestStores.ReadAllAsync(store, 4, 2);

        seen.Select(e => (e.StreamId, e.Version)).ShouldBe([(a, 1L), (b, 1L), (a, 2L), (a, 3L)]);
        seen.Select(e => e.GlobalPosition).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task Point_in_time_read_returns_only_events_at_or_before_the_time()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [
            Event("DossierReceived", new { }, T0),
            Event("StepStarted", new { }, T0.AddHours(1)),
            Event("StepCompleted", new { }, T0.AddDays(3)),
        ]);

        (await store.ReadStreamAsync(stream, T0.AddHours(1))).Select(e => e.Type).ShouldBe(["DossierReceived", "StepStarted"]);
        (await store.ReadStreamAsync(stream, T0.AddMinutes(-1))).ShouldBeEmpty();
        (await store.ReadStreamAsync(stream, T0.AddYears(1))).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Editing_an_event_row_is_named_by_verification()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        var other = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { fee = 75000 }), Event("StepStarted", new { step = "appraise" }), Event("StepCompleted", new { outcome = "approved" })]);
        await store.AppendAsync(other, ExpectedVersion.NoStream, [Event("DossierReceived", new { fee = 1 })]);

        (await TestStores.ExecuteAsync(store, $"UPDATE pe_events SET data = '{{\"outcome\":\"refused\"}}' WHERE stream_id = '{stream}' AND version = 3")).ShouldBe(1);

        var verification = await store.VerifyStreamAsync(stream);
        verification.IsValid.ShouldBeFalse();
        verification.BadVersion.ShouldBe(3);
        verification.Kind.ShouldBe(BreakKind.Content);
        verification.Describe().ShouldContain($"{stream} v3");
        (await store.VerifyStreamAsync(other)).IsValid.ShouldBeTrue("other streams are untouched");
    }

    [Fact]
    public async Task Editing_metadata_of_an_event_breaks_the_chain_at_that_event()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { }), Event("StepCompleted", new { }, user: "cb-so-xd-01", agency: "so-xay-dung")]);

        await TestStores.ExecuteAsync(store, $"UPDATE pe_events SET actor_agency = 'pc07' WHERE stream_id = '{stream}' AND version = 2");

        var verification = await store.VerifyStreamAsync(stream);
        verification.BadVersion.ShouldBe(2);
        verification.Kind.ShouldBe(BreakKind.Content);
    }

    [Fact]
    public async Task Deleting_an_event_row_reports_the_gap()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { }), Event("StepStarted", new { }), Event("StepCompleted", new { }), Event("ResultReady", new { })]);

        await TestStores.ExecuteAsync(store, $"DELETE FROM pe_events WHERE stream_id = '{stream}' AND version = 2");

        var verification = await store.VerifyStreamAsync(stream);
        verification.IsValid.ShouldBeFalse();
        verification.BadVersion.ShouldBe(2);
        verification.Kind.ShouldBe(BreakKind.Missing);
        verification.Reason!.ShouldContain("missing");
    }

    [Fact]
    public async Task Deleting_the_last_event_row_is_caught_by_the_stream_head()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { }), Event("StepStarted", new { }), Event("DossierWithdrawn", new { })]);

        await TestStores.ExecuteAsync(store, $"DELETE FROM pe_events WHERE stream_id = '{stream}' AND version = 3");

        var verification = await store.VerifyStreamAsync(stream);
        verification.BadVersion.ShouldBe(3);
        verification.Kind.ShouldBe(BreakKind.Missing);
    }

    [Fact]
    public async Task Unknown_stream_is_reported_not_found()
    {
        await using var store = await CreateStoreAsync();
        var verification = await store.VerifyStreamAsync("no-such-dossier");
        verification.Found.ShouldBeFalse();
        verification.IsValid.ShouldBeFalse();
        verification.Describe().ShouldContain("not found");
        (await store.ReadStreamAsync("no-such-dossier")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Corrupted_json_row_is_named_and_nothing_else_is_lost()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        var other = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { a = 1 }), Event("StepStarted", new { b = 2 })]);
        await store.AppendAsync(other, ExpectedVersion.NoStream, [Event("DossierReceived", new { c = 3 })]);

        try
        {
            await TestStores.ExecuteAsync(store, $"UPDATE pe_events SET data = '{{\"b\": 2' WHERE stream_id = '{stream}' AND version = 2");
        }
        catch (Exception ex) when (TestStores.IsPostgresError(ex))
        {
            // PostgreSQL's json type refuses malformed JSON outright: the closest corruption is a well-formed but different document.
            await TestStores.ExecuteAsync(store, $"UPDATE pe_events SET data = '[]' WHERE stream_id = '{stream}' AND version = 2");
        }

        var verification = await store.VerifyStreamAsync(stream);
        verification.BadVersion.ShouldBe(2);
        (await store.ReadStreamAsync(stream)).Count.ShouldBe(2, "the corrupted row is still there to inspect");
        (await store.ReadStreamAsync(other)).Count.ShouldBe(1);
        (await store.VerifyStreamAsync(other)).IsValid.ShouldBeTrue();
        await store.AppendAsync(other, 1, [Event("StepStarted", new { })]);
    }

    [Fact]
    public async Task Malformed_json_is_refused_at_append_and_nothing_is_written()
    {
        await using var store = await CreateStoreAsync();
        var stream = NewStream();
        var ex = await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(stream, ExpectedVersion.NoStream, [
            Event("DossierReceived", new { }),
            new EventData("StepStarted", "{\"step\": "u8.ToArray(), new EventMetadata(Actor.System, T0)),
        ]));
        ex.Message.ShouldContain("event #2 (StepStarted)");
        (await store.GetStreamVersionAsync(stream)).ShouldBe(0);
    }

    [Fact]
    public async Task Migrate_is_idempotent()
    {
        await using var store = await CreateStoreAsync();
        var again = await store.MigrateAsync();
        again.Applied.ShouldBeEmpty();
        again.AlreadyApplied.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Inline_projection_is_updated_in_the_append_transaction()
    {
        var projection = new CountingProjection("inline_counts", ProjectionMode.Inline);
        await using var store = await CreateStoreAsync([projection]);
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { }), Event("StepStarted", new { })]);
        await store.AppendAsync(stream, 2, [Event("StepCompleted", new { })]);

        (await CountingProjection.CountAsync(store, "inline_counts", stream)).ShouldBe(3);
    }

    [Fact]
    public async Task Failing_inline_projection_rolls_the_append_back()
    {
        var projection = new CountingProjection("fragile_counts", ProjectionMode.Inline) { FailOn = "Poison" };
        await using var store = await CreateStoreAsync([projection]);
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { })]);

        await Should.ThrowAsync<InvalidOperationException>(() => store.AppendAsync(stream, 1, [Event("StepStarted", new { }), Event("Poison", new { })]));

        (await store.GetStreamVersionAsync(stream)).ShouldBe(1);
        (await store.ReadStreamAsync(stream)).Count.ShouldBe(1);
        (await CountingProjection.CountAsync(store, "fragile_counts", stream)).ShouldBe(1);
        await store.AppendAsync(stream, 1, [Event("StepStarted", new { })]);
        (await store.VerifyStreamAsync(stream)).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task An_inline_read_model_that_refuses_a_duplicate_value_rolls_the_append_back_with_a_typed_error()
    {
        var codes = new UniqueCodeProjection();
        await using var store = await CreateStoreAsync([codes]);
        var first = NewStream();
        var second = NewStream();
        await store.AppendAsync(first, ExpectedVersion.NoStream, [Event("DossierReceived", new { code = "H13-260424-0001" })]);
        await store.AppendAsync(second, ExpectedVersion.NoStream, [Event("DossierSubmitted", new { })]);

        // A second dossier given the same code: the read model's unique index refuses it, and with it the events.
        var clash = await Should.ThrowAsync<UniqueConstraintException>(() =>
            store.AppendAsync(second, 1, [Event("DossierReceived", new { code = "H13-260424-0001" }), Event("StepStarted", new { })]));
        clash.StreamId.ShouldBe(second);
        clash.Constraint.ShouldContain("code");
        (await store.GetStreamVersionAsync(second)).ShouldBe(1);
        (await store.ReadStreamAsync(second)).Count.ShouldBe(1);

        // The next number goes through, and the chain is whole.
        await store.AppendAsync(second, 1, [Event("DossierReceived", new { code = "H13-260424-0002" })]);
        (await store.VerifyStreamAsync(second)).IsValid.ShouldBeTrue();
        (await TestStores.ScalarAsync(store, $"SELECT code FROM unique_codes WHERE stream_id = '{second}'")).ShouldBe("H13-260424-0002");
    }

    [Fact]
    public async Task A_rebuild_that_meets_a_duplicate_value_is_rolled_back_with_the_constraint_named()
    {
        var codes = new UniqueCodeProjection();
        await using var store = await CreateStoreAsync([codes]);
        var first = NewStream();
        var second = NewStream();
        await store.AppendAsync(first, ExpectedVersion.NoStream, [Event("DossierReceived", new { code = "H13-260424-0001" })]);

        // History that predates the rule (an import, a read model edited by hand): two streams carry one code.
        await TestStores.ExecuteAsync(store, "DELETE FROM unique_codes");
        await store.AppendAsync(second, ExpectedVersion.NoStream, [Event("DossierReceived", new { code = "H13-260424-0001" })]);

        var error = await Should.ThrowAsync<UniqueConstraintException>(() => store.RebuildProjectionsAsync([codes]));
        error.Message.ShouldContain("Rebuilding unique_codes");
        error.Message.ShouldContain("rolled back");
        error.Constraint.ShouldContain("code");
        (await TestStores.ScalarAsync(store, "SELECT stream_id FROM unique_codes")).ShouldBe(second, "the read model is as it was before the rebuild");
    }

    [Fact]
    public async Task Async_projection_catches_up_from_its_checkpoint_and_rebuild_gives_the_same_result()
    {
        var projection = new CountingProjection("async_counts", ProjectionMode.Async);
        await using var store = await CreateStoreAsync([projection]);
        var streams = Enumerable.Range(0, 5).Select(_ => NewStream()).ToList();
        foreach (var stream in streams)
        {
            await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { }), Event("StepStarted", new { })]);
        }

        var daemon = new ProjectionDaemon(store, [projection], batchSize: 3);
        (await TestStores.CatchUpAsync(daemon, 10)).ShouldBe(10);
        (await daemon.CatchUpAsync()).ShouldBe(0, "nothing is applied twice");
        await store.AppendAsync(streams[0], 2, [Event("StepCompleted", new { })]);
        (await TestStores.CatchUpAsync(daemon, 1)).ShouldBe(1);
        (await CountingProjection.CountAsync(store, "async_counts", streams[0])).ShouldBe(3);
        (await store.GetCheckpointAsync("async_counts")).Position.ShouldBe((await store.ReadStreamAsync(streams[0]))[^1].GlobalPosition);

        await TestStores.ExecuteAsync(store, "UPDATE async_counts SET events = 999");
        var report = await store.RebuildProjectionsAsync([projection]);
        report.Events.ShouldBe(11);
        (await CountingProjection.CountAsync(store, "async_counts", streams[0])).ShouldBe(3);
        (await CountingProjection.CountAsync(store, "async_counts", streams[4])).ShouldBe(2);
        (await daemon.CatchUpAsync()).ShouldBe(0, "the rebuild left the checkpoint at the head");
    }

    [Fact]
    public async Task Async_projections_standing_together_share_each_batch_and_one_left_behind_catches_up_before_they_join()
    {
        var first = new CountingProjection("async_first", ProjectionMode.Async);
        var second = new CountingProjection("async_second", ProjectionMode.Async);
        await using var store = await CreateStoreAsync([first, second]);
        var streams = Enumerable.Range(0, 4).Select(_ => NewStream()).ToList();
        foreach (var stream in streams)
        {
            await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", new { }), Event("StepStarted", new { })]);
        }

        // The first read model catches up alone (as if the second were added by a later release).
        (await TestStores.CatchUpAsync(new ProjectionDaemon(store, [first], batchSize: 100), 8)).ShouldBe(8);
        await store.AppendAsync(streams[0], 2, [Event("StepCompleted", new { })]);

        // The second starts from the beginning: it alone takes the batches until it reaches the first.
        var behind = await BatchAsync(store, [first, second], 3);
        behind.Waiting.ShouldBe(1, "the read model ahead waits");
        behind.Applied.ShouldBe(behind.Read, "only the read model behind took the batch");
        (await CountingProjection.CountAsync(store, "async_first", streams[0])).ShouldBe(2, "the one ahead was not touched yet");

        var daemon = new ProjectionDaemon(store, [first, second], batchSize: 3);
        (await TestStores.CatchUpAsync(daemon, 10 - behind.Applied)).ShouldBe(10 - behind.Applied, "9 events for the second, 1 for the first");
        (await daemon.CatchUpAsync()).ShouldBe(0, "nothing is applied twice");
        foreach (var table in new[] { "async_first", "async_second" })
        {
            (await CountingProjection.CountAsync(store, table, streams[0])).ShouldBe(3);
            (await CountingProjection.CountAsync(store, table, streams[3])).ShouldBe(2);
        }

        (await store.GetCheckpointAsync("async_second")).ShouldBe(await store.GetCheckpointAsync("async_first"));

        // Together now: one batch takes a new event to both.
        await store.AppendAsync(streams[1], 2, [Event("StepCompleted", new { })]);
        (await BatchAsync(store, [first, second], 100)).ShouldBe(new ProjectionBatch(1, 2, 0));
        (await CountingProjection.CountAsync(store, "async_second", streams[1])).ShouldBe(3);
    }

    [Fact]
    public async Task Inline_projections_get_the_object_an_event_was_serialised_from_and_events_read_back_carry_none()
    {
        var seen = new CapturingProjection();
        await using var store = await CreateStoreAsync([seen]);
        var stream = NewStream();
        var payload = new { code = "000.00.07.H13-260424-0001" };
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("DossierReceived", payload) with { Value = payload }, Event("StepStarted", new { })]);

        seen.Events.Count.ShouldBe(2);
        seen.Events[0].Value.ShouldBeSameAs(payload);
        seen.Events[1].Value.ShouldBeNull("an event appended without its object");
        (await store.ReadStreamAsync(stream)).ShouldAllBe(e => e.Value == null);
    }

    [Fact]
    public async Task Projection_writes_wait_for_the_flush_a_read_sees_them_and_a_failing_one_undoes_its_append()
    {
        var projection = new WaitingWritesProjection();
        await using var store = await CreateStoreAsync([projection]);
        var first = NewStream();
        await store.AppendAsync(first, ExpectedVersion.NoStream, [Event("DossierReceived", new { code = "H13-260424-0001" })]);

        projection.CommandRefusedWhileWaiting.ShouldBeTrue("a plain command would not see the waiting writes");
        projection.RowsSeenByRead.ShouldBe(2, "the read sent the two waiting writes first (one batch on PostgreSQL)");
        (await TestStores.ScalarAsync(store, "SELECT count(*) FROM waiting_log")).ShouldBe(1L);

        var second = NewStream();
        var error = await Should.ThrowAsync<UniqueConstraintException>(() =>
            store.AppendAsync(second, ExpectedVersion.NoStream, [Event("DossierReceived", new { code = "H13-260424-0001" })]));
        error.Constraint.ShouldContain("code");
        (await store.ReadStreamAsync(second)).ShouldBeEmpty("the append went with the read model's failed write");
        (await TestStores.ScalarAsync(store, "SELECT count(*) FROM waiting_codes")).ShouldBe(1L);
        (await TestStores.ScalarAsync(store, "SELECT count(*) FROM waiting_log")).ShouldBe(1L);
    }

    /// <summary>One batch of the daemon's kind, retried while PostgreSQL's horizon still hides the events (other tests' transactions).</summary>
    private static async Task<ProjectionBatch> BatchAsync(IEventStore store, IReadOnlyList<IProjection> projections, int size)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var batch = await store.RunProjectionBatchAsync(projections, size);
            if (batch.Read > 0 || DateTime.UtcNow > deadline)
            {
                return batch;
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>An inline projection whose writes wait for the flush: a code (unique) and a log row per receipt, then a read.</summary>
public sealed class WaitingWritesProjection : IProjection
{
    public bool CommandRefusedWhileWaiting { get; private set; }

    public long RowsSeenByRead { get; private set; }

    public string Name => "waiting_writes";

    public ProjectionMode Mode => ProjectionMode.Inline;

    public IReadOnlyList<string> Tables => ["waiting_codes", "waiting_log"];

    public IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
        [new Migration("test-waiting-writes", 1, "codes and log", "CREATE TABLE IF NOT EXISTS waiting_codes (stream_id text PRIMARY KEY, code text UNIQUE); CREATE TABLE IF NOT EXISTS waiting_log (stream_id text PRIMARY KEY)")];

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events.Where(e => e.Type == "DossierReceived"))
        {
            var code = JsonDocument.Parse(e.Data).RootElement.GetProperty("code").GetString();
            context.Write("INSERT INTO waiting_log (stream_id) VALUES (@s)").With("s", e.StreamId);
            context.Write("INSERT INTO waiting_codes (stream_id, code) VALUES (@s, @c)").With("s", e.StreamId).With("c", code);
            try
            {
                context.Command("SELECT 1").Dispose();
            }
            catch (InvalidOperationException)
            {
                CommandRefusedWhileWaiting = true;
            }

            await using var read = (await context.CommandAsync(
                "SELECT (SELECT count(*) FROM waiting_codes WHERE stream_id = @s) + (SELECT count(*) FROM waiting_log WHERE stream_id = @s)", cancellationToken)).With("s", e.StreamId);
            RowsSeenByRead = Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken));
        }
    }
}

/// <summary>An inline projection that keeps the events it was given.</summary>
public sealed class CapturingProjection : IProjection
{
    public List<StoredEvent> Events { get; } = [];

    public string Name => "capturing";

    public ProjectionMode Mode => ProjectionMode.Inline;

    public IReadOnlyList<string> Tables => [];

    public IReadOnlyList<Migration> Migrations(SqlDialect dialect) => [];

    public Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        Events.AddRange(events);
        return Task.CompletedTask;
    }
}

/// <summary>A minimal projection: events per stream, in a table of its own.</summary>
public sealed class CountingProjection(string table, ProjectionMode mode) : IProjection
{
    public string Name => table;

    public ProjectionMode Mode => mode;

    public string? FailOn { get; init; }

    public IReadOnlyList<string> Tables => [table];

    public IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
        [new Migration("test-" + table, 1, "counts", $"CREATE TABLE IF NOT EXISTS {table} (stream_id text PRIMARY KEY, events integer NOT NULL)")];

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            if (e.Type == FailOn)
            {
                throw new InvalidOperationException("poison event");
            }

            await using var command = context.Command($"INSERT INTO {table} (stream_id, events) VALUES (@s, 1) ON CONFLICT (stream_id) DO UPDATE SET events = {table}.events + 1")
                .With("s", e.StreamId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async Task<long> CountAsync(IEventStore store, string table, string stream) =>
        Convert.ToInt64(await TestStores.ScalarAsync(store, $"SELECT events FROM {table} WHERE stream_id = '{stream}'") ?? 0L);
}

/// <summary>A read model with a unique column, like the dossier summary's dossier code.</summary>
public sealed class UniqueCodeProjection : IProjection
{
    public string Name => "unique_codes";

    public ProjectionMode Mode => ProjectionMode.Inline;

    public IReadOnlyList<string> Tables => ["unique_codes"];

    public IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
        [new Migration("test-unique-codes", 1, "codes", "CREATE TABLE IF NOT EXISTS unique_codes (stream_id text PRIMARY KEY, code text UNIQUE)")];

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events.Where(e => e.Type == "DossierReceived"))
        {
            var code = JsonDocument.Parse(e.Data).RootElement.GetProperty("code").GetString();
            await using var command = context.Command("INSERT INTO unique_codes (stream_id, code) VALUES (@s, @c)").With("s", e.StreamId).With("c", code!);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

public sealed class SqliteConformanceTests : EventStoreConformanceTests
{
    protected override Task<IEventStore> CreateStoreAsync(IEnumerable<IProjection>? projections = null) => TestStores.SqliteAsync(projections);

    protected override Task<IEventStore> OpenAgainAsync(IEventStore store) => Task.FromResult<IEventStore>(SqliteEventStore.Open(((SqliteEventStore)store).DataSource));
}

public sealed class PostgresConformanceTests : EventStoreConformanceTests
{
    protected override Task<IEventStore> CreateStoreAsync(IEnumerable<IProjection>? projections = null) => TestStores.PostgresAsync(projections);

    protected override Task<IEventStore> OpenAgainAsync(IEventStore store) => TestStores.PostgresAsync(schema: ((PostgresEventStore)store).Schema);

    [Theory]
    [InlineData("", true)]
    [InlineData(";Max Auto Prepare=0", false)]
    public async Task The_store_keeps_its_statements_prepared_on_its_connections_unless_the_connection_string_says_not_to(string setting, bool prepared)
    {
        // One connection in the pool, so the statements the appends sent and the question below share a session.
        await using var store = PostgresEventStore.Open(TestStores.PostgresConnectionString + ";Maximum Pool Size=1" + setting, TestStores.NewSchema());
        await store.MigrateAsync();
        for (var i = 0; i < 10; i++)
        {
            await store.AppendAsync(NewStream(), ExpectedVersion.NoStream, [Event("A", new { i })]);
        }

        var statements = (long)(await TestStores.ScalarAsync(store, "SELECT count(*) FROM pg_prepared_statements"))!;
        (statements > 0).ShouldBe(prepared, $"{statements} statements prepared");
        (await TestStores.ReadAllAsync(store, 10, 100)).Count.ShouldBe(10);
    }
}
