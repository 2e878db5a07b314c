using System.Text;
using System.Text.Json.Nodes;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.Dossiers.Serialization;
using DActor = ProcedureEngine.Dossiers.Events.Actor;
using SActor = ProcedureEngine.EventStore.Actor;

namespace ProcedureEngine.EventStore.Tests;

/// <summary>Dossier streams on each backend: exact round trip, point in time, upcasting, unreadable rows.</summary>
public abstract class DossierEventStoreTests
{
    protected abstract Task<IEventStore> CreateStoreAsync();

    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly DActor Counter = new("cb-motcua-01", "one-stop");

    [Fact]
    public async Task Dossier_events_round_trip_exactly_and_read_at_a_point_in_time()
    {
        await using var store = await CreateStoreAsync();
        var dossiers = new DossierEventStore(store);
        var receipt = DossierProjectionTests.Receipt("d-rt", "000.00.07.H13-260424-0009");
        var started = new StepStarted(receipt.At.AddHours(2), "appraise", "so-xay-dung", receipt.At.AddDays(10));
        var returned = new ResultReturned(receipt.At.AddDays(12), Counter, receipt.AppointmentAt, true);
        await dossiers.AppendAsync("d-rt", 0, [new(receipt, new SActor("cb-motcua-01", "one-stop"), "corr-1", "cmd-1"), new(started, SActor.System)]);
        await dossiers.AppendAsync("d-rt", 2, [new(returned, new SActor("cb-motcua-01", "one-stop"))], idempotencyKey: "req-9");

        var all = await dossiers.LoadAsync("d-rt");
        all.Verification.IsValid.ShouldBeTrue();
        string Json(DossierEvent e) => Encoding.UTF8.GetString(DossierEventSerializer.Default.Serialize(e).Json);
        all.Events.Select(e => Json(e.Event)).ShouldBe([Json(receipt), Json(started), Json(returned)], "events read back serialise to what was appended");
        all.Events.Select(e => Encoding.UTF8.GetString(e.Stored.Data.Span)).ShouldBe([Json(receipt), Json(started), Json(returned)], "the stored bytes are the appended bytes");
        all.Events[1].Event.ShouldBe(started);
        all.Events[2].Event.ShouldBe(returned);
        all.Events[0].Stored.Metadata.CorrelationId.ShouldBe("corr-1");
        all.Events[1].Stored.Metadata.Actor.ShouldBe(SActor.System);

        var atNoon = await dossiers.LoadAsync("d-rt", new DateTimeOffset(2026, 4, 24, 12, 0, 0, Vn));
        atNoon.Events.Select(e => e.Event.Type).ShouldBe(["DossierReceived", "StepStarted"]);
    }

    [Fact]
    public async Task Renamed_event_is_upcast_on_read_and_its_hash_still_holds()
    {
        await using var store = await CreateStoreAsync();
        var receipt = DossierProjectionTests.Receipt("d-old", "000.00.07.H13-240102-0001");
        var (type, json) = DossierEventSerializer.Default.Serialize(receipt);
        var old = """{"at":"2024-02-01T10:00:00+07:00","officer":{"user":"cb-motcua-01","agency":"one-stop"},"appointmentAt":"2024-02-05T17:00:00+07:00","onTime":true}"""u8.ToArray();
        await store.AppendAsync("d-old", ExpectedVersion.NoStream, [
            new EventData(type, json, new EventMetadata(new SActor("cb-motcua-01", "one-stop"), receipt.At)),
            new EventData("ResultDelivered", old, new EventMetadata(new SActor("cb-motcua-01", "one-stop"), new DateTimeOffset(2024, 2, 1, 10, 0, 0, Vn))),
        ]);
        var upcaster = new EventUpcaster("ResultDelivered", data =>
        {
            var officer = data["officer"]!.DeepClone();
            data.Remove("officer");
            data["by"] = officer;
            return ("ResultReturned", data);
        });

        var history = await new DossierEventStore(store, new DossierEventSerializer([upcaster])).LoadAsync("d-old");

        history.Verification.IsValid.ShouldBeTrue("the chain covers the stored bytes, not the upcast shape");
        var returned = history.Events[1].Event.ShouldBeOfType<ResultReturned>();
        returned.By.ShouldBe(Counter);
        returned.OnTime.ShouldBeTrue();
        history.Events[1].Stored.Type.ShouldBe("ResultDelivered");
    }

    [Fact]
    public async Task Unreadable_event_names_the_dossier_and_version()
    {
        await using var store = await CreateStoreAsync();
        var receipt = DossierProjectionTests.Receipt("d-bad", "000.00.07.H13-260424-0010");
        var (type, json) = DossierEventSerializer.Default.Serialize(receipt);
        await store.AppendAsync("d-bad", ExpectedVersion.NoStream, [
            new EventData(type, json, new EventMetadata(SActor.System, receipt.At)),
            new EventData("StepCompleted", Encoding.UTF8.GetBytes("""{"stepId": 42}"""), new EventMetadata(SActor.System, receipt.At)),
        ]);

        var ex = await Should.ThrowAsync<CorruptEventException>(() => new DossierEventStore(store).LoadAsync("d-bad"));
        ex.StreamId.ShouldBe("d-bad");
        ex.Version.ShouldBe(2);
        ex.Message.ShouldContain("d-bad v2");
    }

    [Fact]
    public async Task Tampered_dossier_is_not_folded()
    {
        await using var store = await CreateStoreAsync();
        var dossiers = new DossierEventStore(store);
        var receipt = DossierProjectionTests.Receipt("d-tamper", "000.00.07.H13-260424-0011");
        await dossiers.AppendAsync("d-tamper", 0, [new(receipt, SActor.System), new(new StepStarted(receipt.At, "appraise", "so-xay-dung", receipt.AppointmentAt), SActor.System)]);
        var node = JsonNode.Parse(DossierEventSerializer.Default.Serialize(receipt).Json)!;
        node["appointmentAt"] = "2026-12-31T17:00:00+07:00";
        await TestStores.ExecuteAsync(store, $"UPDATE pe_events SET data = '{node.ToJsonString()}' WHERE stream_id = 'd-tamper' AND version = 1");

        var history = await dossiers.LoadAsync("d-tamper");
        history.Verification.BadVersion.ShouldBe(1);
        history.Events.ShouldBeEmpty();
    }
}

public sealed class SqliteDossierEventStoreTests : DossierEventStoreTests
{
    protected override Task<IEventStore> CreateStoreAsync() => TestStores.SqliteAsync();
}

public sealed class PostgresDossierEventStoreTests : DossierEventStoreTests
{
    protected override Task<IEventStore> CreateStoreAsync() => TestStores.PostgresAsync();
}
