using System.Text;
using ProcedureEngine.EventStore.Postgres;

namespace ProcedureEngine.EventStore.Tests;

public sealed class PostgresBulkImportTests
{
    private static EventData Event(string type, int n) =>
        new(type, Encoding.UTF8.GetBytes($$"""{"n":{{n}},"note":"Hồ sơ lịch sử"}"""), new EventMetadata(new Actor("import", "one-stop"), new DateTimeOffset(2023, 3, 1, 8, 0, 0, TimeSpan.FromHours(7)).AddMinutes(n), "import-2023", null, null));

    [Fact]
    public async Task Imported_dossiers_are_hash_chained_readable_and_appendable()
    {
        await using var store = (PostgresEventStore)await TestStores.PostgresAsync();
        var streams = Enumerable.Range(1, 20).Select(s => ($"hist-{s}", (IReadOnlyList<EventData>)Enumerable.Range(1, 10).Select(n => Event("StepCompleted", n)).ToList())).ToList();

        (await new PostgresBulkImporter(store).ImportAsync(streams)).ShouldBe(200);

        (await store.VerifyStreamAsync("hist-7")).IsValid.ShouldBeTrue();
        (await store.ReadStreamAsync("hist-7")).Select(e => e.Version).ShouldBe(Enumerable.Range(1, 10).Select(v => (long)v));
        (await store.AppendAsync("hist-7", 10, [Event("ResultReturned", 11)])).LastVersion.ShouldBe(11);
        (await store.VerifyStreamAsync("hist-7")).IsValid.ShouldBeTrue();
        (await TestStores.ReadAllAsync(store, 201, 1000)).Count.ShouldBe(201);
    }

    [Fact]
    public async Task Importing_over_an_existing_stream_writes_nothing()
    {
        await using var store = (PostgresEventStore)await TestStores.PostgresAsync();
        await store.AppendAsync("hist-1", ExpectedVersion.NoStream, [Event("DossierReceived", 1)]);

        var ex = await Should.ThrowAsync<EventStoreException>(() => new PostgresBulkImporter(store).ImportAsync([
            ("hist-0", [Event("DossierReceived", 1)]),
            ("hist-1", [Event("DossierReceived", 1), Event("StepStarted", 2)]),
        ]));
        ex.Message.ShouldContain("nothing written");
        (await store.GetStreamVersionAsync("hist-0")).ShouldBe(0);
        (await store.ReadStreamAsync("hist-1")).Count.ShouldBe(1);
    }
}
