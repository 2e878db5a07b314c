using System.Text;
using System.Text.Json;

namespace ProcedureEngine.EventStore.Tests;

/// <summary>
/// The whole-store audit and its seal, on every backend: what a database administrator could do to the event
/// tables, and which of it the hash chain alone, the stream heads, or a seal kept outside the database catches.
/// </summary>
public abstract class StoreAuditTests
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 24, 9, 0, 0, TimeSpan.FromHours(7));

    protected abstract Task<IEventStore> CreateStoreAsync();

    private static EventData Event(string type, object payload) =>
        new(type, JsonSerializer.SerializeToUtf8Bytes(payload), new EventMetadata(new Actor("cb-motcua-01", "one-stop"), T0));

    private static async Task<string> DossierAsync(IEventStore store, int events)
    {
        var stream = "dossier-" + Guid.NewGuid().ToString("N")[..12];
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [.. Enumerable.Range(1, events).Select(i => Event(i == 1 ? "DossierReceived" : "StepCompleted", new { n = i }))]);
        return stream;
    }

    private static async Task<AuditReport> AuditAsync(IEventStore store, StoreSeal? seal = null) =>
        await StoreAudit.RunAsync(store, seal is null ? null : StoreSeal.Parse(seal.ToJson(), "seal.json"), T0.AddDays(1));

    private static string Bytes(IEventStore store, ReadOnlySpan<byte> bytes) =>
        store.Backend == "postgres" ? $"'\\x{Convert.ToHexStringLower(bytes)}'::bytea" : $"X'{Convert.ToHexStringLower(bytes)}'";

    /// <summary>What a careful attacker with write access does: edits event <paramref name="version"/> and recomputes every hash after it, and the head.</summary>
    private static async Task RewriteConsistentlyAsync(IEventStore store, string stream, long version, string newData)
    {
        var events = await store.ReadStreamAsync(stream);
        var previous = events[(int)version - 2].Hash.ToArray();
        foreach (var stored in events.Where(e => e.Version >= version))
        {
            var data = stored.Version == version ? Encoding.UTF8.GetBytes(newData) : stored.Data.ToArray();
            var hash = HashChain.Recompute(stored with { Data = data, PreviousHash = previous });
            await TestStores.ExecuteAsync(store,
                $"UPDATE pe_events SET data = '{Encoding.UTF8.GetString(data)}', hash = {Bytes(store, hash)}, prev_hash = {Bytes(store, previous)} WHERE stream_id = '{stream}' AND version = {stored.Version}");
            previous = hash;
        }

        await TestStores.ExecuteAsync(store, $"UPDATE pe_streams SET last_hash = {Bytes(store, previous)} WHERE stream_id = '{stream}'");
    }

    [Fact]
    public async Task An_untouched_store_is_intact_and_later_appends_still_match_its_seal()
    {
        await using var store = await CreateStoreAsync();
        var a = await DossierAsync(store, 3);
        await DossierAsync(store, 5);
        var first = await AuditAsync(store);
        first.IsIntact.ShouldBeTrue(string.Join("; ", first.Findings));
        first.Streams.ShouldBe(2);
        first.Events.ShouldBe(8);
        first.Current.Heads.Single(h => h.Stream == a).Version.ShouldBe(3);

        await store.AppendAsync(a, 3, [Event("ResultReady", new { }), Event("ResultReturned", new { })]);
        await DossierAsync(store, 1);
        var later = await AuditAsync(store, first.Current);

        later.IsIntact.ShouldBeTrue(string.Join("; ", later.Findings));
        later.Streams.ShouldBe(3);
        later.Current.Heads.Single(h => h.Stream == a).Version.ShouldBe(5);
    }

    [Fact]
    public async Task An_edited_event_is_named_with_its_stream_and_version()
    {
        await using var store = await CreateStoreAsync();
        var stream = await DossierAsync(store, 4);
        var other = await DossierAsync(store, 2);

        await TestStores.ExecuteAsync(store, $"UPDATE pe_events SET data = '{{\"n\":99}}' WHERE stream_id = '{stream}' AND version = 2");
        var report = await AuditAsync(store);

        var finding = report.Findings.ShouldHaveSingleItem();
        finding.Stream.ShouldBe(stream);
        finding.Version.ShouldBe(2);
        finding.Kind.ShouldBe(AuditFindingKind.Altered);
        report.Findings.ShouldNotContain(f => f.Stream == other);
    }

    [Fact]
    public async Task A_chain_rewritten_consistently_passes_the_chain_check_but_not_the_seal()
    {
        await using var store = await CreateStoreAsync();
        var stream = await DossierAsync(store, 4);
        var seal = (await AuditAsync(store)).Current;

        await RewriteConsistentlyAsync(store, stream, 2, "{\"n\":\"refused\"}");

        // The chain alone cannot tell: every hash matches its content and links to the one before.
        (await store.VerifyStreamAsync(stream)).IsValid.ShouldBeTrue();
        (await AuditAsync(store)).IsIntact.ShouldBeTrue();
        var finding = (await AuditAsync(store, seal)).Findings.ShouldHaveSingleItem();
        finding.Kind.ShouldBe(AuditFindingKind.Rewritten);
        finding.Stream.ShouldBe(stream);
        finding.Version.ShouldBe(4);
        finding.Message.ShouldContain("rewritten since the seal");
    }

    [Fact]
    public async Task Deleting_the_last_events_is_caught_by_the_head_or_if_the_head_was_edited_too_by_the_seal()
    {
        await using var store = await CreateStoreAsync();
        var stream = await DossierAsync(store, 4);
        var gone = await DossierAsync(store, 2);
        var seal = (await AuditAsync(store)).Current;

        await TestStores.ExecuteAsync(store, $"DELETE FROM pe_events WHERE stream_id = '{stream}' AND version = 4");
        var headOnly = (await AuditAsync(store)).Findings.ShouldHaveSingleItem();
        headOnly.Kind.ShouldBe(AuditFindingKind.Head);
        headOnly.Message.ShouldContain("deleted");

        var third = (await store.ReadStreamAsync(stream))[2].Hash.ToArray();
        await TestStores.ExecuteAsync(store, $"UPDATE pe_streams SET version = 3, last_hash = {Bytes(store, third)} WHERE stream_id = '{stream}'");
        await TestStores.ExecuteAsync(store, $"DELETE FROM pe_events WHERE stream_id = '{gone}'");
        await TestStores.ExecuteAsync(store, $"DELETE FROM pe_streams WHERE stream_id = '{gone}'");
        (await AuditAsync(store)).IsIntact.ShouldBeTrue("without a seal, a consistent truncation leaves no trace");

        var findings = (await AuditAsync(store, seal)).Findings;
        findings.Count.ShouldBe(2);
        findings.ShouldContain(f => f.Stream == stream && f.Kind == AuditFindingKind.Truncated && f.Message.Contains("has 3 event(s)"));
        findings.ShouldContain(f => f.Stream == gone && f.Kind == AuditFindingKind.Truncated && f.Message.Contains("gone"));
    }

    [Fact]
    public async Task A_seal_file_edited_by_hand_is_refused_with_the_reason()
    {
        await using var store = await CreateStoreAsync();
        var stream = await DossierAsync(store, 2);
        var json = (await AuditAsync(store)).Current.ToJson();
        var hash = (await store.ReadStreamAsync(stream))[1].Hash.ToArray();

        var edited = json.Replace(Convert.ToHexStringLower(hash), new string('0', 64), StringComparison.Ordinal);
        edited.ShouldNotBe(json);
        Should.Throw<FormatException>(() => StoreSeal.Parse(edited, "seal.json")).Message.ShouldContain("seal.json: the heads do not match the seal's digest");
        Should.Throw<FormatException>(() => StoreSeal.Parse("{ nope", "seal.json")).Message.ShouldStartWith("seal.json:");
        Should.Throw<FormatException>(() => StoreSeal.Parse("{}", "seal.json")).Message.ShouldContain("not a seal file");
    }
}

public sealed class SqliteStoreAuditTests : StoreAuditTests
{
    protected override Task<IEventStore> CreateStoreAsync() => TestStores.SqliteAsync();
}

public sealed class PostgresStoreAuditTests : StoreAuditTests
{
    protected override Task<IEventStore> CreateStoreAsync() => TestStores.PostgresAsync();

    [Fact]
    public async Task A_transaction_left_open_elsewhere_on_the_server_hides_no_stream_from_the_audit()
    {
        // Another application on the same server (here: another schema) holds a transaction open. The global order is
        // read only below it, so a pass over it alone would see nothing appended since; the audit must still check all.
        // It holds back the global order of every test running on this server, so it stays open no longer than needed.
        await using var store = await CreateStoreAsync();
        AuditReport clean;
        await using (var blocker = new Npgsql.NpgsqlConnection(TestStores.PostgresConnectionString))
        {
            await blocker.OpenAsync();
            await using var open = await blocker.BeginTransactionAsync();
            await using (var xid = new Npgsql.NpgsqlCommand("SELECT pg_current_xact_id()", blocker, open))
            {
                await xid.ExecuteScalarAsync();
            }

            var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { n = 1 });
            var meta = new EventMetadata(new Actor("cb-motcua-01", "one-stop"), DateTimeOffset.UtcNow);
            await store.AppendAsync("dossier-a", ExpectedVersion.NoStream, [new EventData("DossierReceived", payload, meta), new EventData("StepCompleted", payload, meta)]);
            await store.AppendAsync("dossier-b", ExpectedVersion.NoStream, [new EventData("DossierReceived", payload, meta)]);
            (await store.ReadAllAsync(GlobalCheckpoint.Start, 100)).Events.ShouldBeEmpty("the open transaction holds the global order back");

            clean = await StoreAudit.RunAsync(store, null, DateTimeOffset.UtcNow);
        }

        clean.IsIntact.ShouldBeTrue(string.Join("; ", clean.Findings));
        clean.Streams.ShouldBe(2);
        clean.Events.ShouldBe(3);

        await TestStores.ExecuteAsync(store, "UPDATE pe_events SET data = '{\"n\":2}' WHERE stream_id = 'dossier-b'");
        var altered = await StoreAudit.RunAsync(store, clean.Current, DateTimeOffset.UtcNow);
        altered.Findings.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            f => f.Stream.ShouldBe("dossier-b"),
            f => f.Kind.ShouldBe(AuditFindingKind.Altered));
    }
}
