using System.Collections.Immutable;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Persistence;
using DActor = ProcedureEngine.Dossiers.Events.Actor;
using SActor = ProcedureEngine.EventStore.Actor;

namespace ProcedureEngine.EventStore.Tests;

/// <summary>The dossier read models, fed by real dossier events, on every backend.</summary>
public abstract class DossierProjectionTests
{
    protected abstract Task<IEventStore> CreateStoreAsync(IEnumerable<IProjection> projections);

    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly DateTimeOffset Received = new(2026, 4, 24, 9, 0, 0, Vn);
    private static readonly DateTimeOffset Appointment = new(2026, 5, 19, 9, 0, 0, Vn);
    private static readonly DActor Counter = new("cb-motcua-01", "one-stop");
    private static readonly DActor Appraiser = new("sxd-01", "so-xay-dung");

    public static DossierReceived Receipt(string id, string code) => new(
        Received, id, code, "1.009792", 3, "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "nd118-2025", null, Channel.Counter, Counter,
        "Bộ phận Một cửa", new Applicant("Nguyễn Văn A"), ImmutableDictionary<string, string>.Empty, [new DocumentEntry("don-de-nghi", "Đơn đề nghị", 1, true)],
        "15 working days", Received, Appointment,
        [
            new PlannedStep("receive", "Tiếp nhận", "one-stop", "Bộ phận Một cửa", []),
            new PlannedStep("appraise", "Thẩm định", "so-xay-dung", "Sở Xây dựng", ["receive"]),
            new PlannedStep("return", "Trả kết quả", "one-stop", "Bộ phận Một cửa", ["appraise"]) { IsReturn = true },
        ]);

    private static async Task AppendAsync(DossierEventStore dossiers, string id, long expected, params DossierEvent[] events) =>
        await dossiers.AppendAsync(id, expected, [.. events.Select(e => new DossierEventEnvelope(e, DossierEventStore.ActorOf(e, SActor.System), "corr", null))]);

    private static async Task<Dictionary<string, object?>> RowAsync(IEventStore store, string sql)
    {
        await using var connection = await store.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return [];
        }

        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
    }

    [Fact]
    public async Task Summary_and_open_deadlines_follow_the_dossier_in_the_append_transaction()
    {
        await using var store = await CreateStoreAsync(DossierProjections.All());
        var dossiers = new DossierEventStore(store);
        const string id = "d-0001";
        var stepDue = new DateTimeOffset(2026, 5, 12, 17, 0, 0, Vn);
        await AppendAsync(dossiers, id, 0, Receipt(id, "000.00.07.H13-260424-0001"), new StepStarted(Received, "appraise", "so-xay-dung", stepDue));

        var summary = await RowAsync(store, $"SELECT * FROM dossier_summary WHERE dossier_id = '{id}'");
        summary["dossier_code"].ShouldBe("000.00.07.H13-260424-0001");
        summary["status"].ShouldBe("inProgress");
        summary["current_agency"].ShouldBe("so-xay-dung");
        summary["procedure_code"].ShouldBe("1.009792");
        Convert.ToInt64(summary["version"]).ShouldBe(2);
        (await TestStores.ScalarAsync(store, $"SELECT COUNT(*) FROM dossier_deadlines WHERE dossier_id = '{id}'")).ShouldBe(2L);
        var dueSoon = await TestStores.ScalarAsync(store, $"SELECT ref FROM dossier_deadlines WHERE kind = 'step' AND dossier_id = '{id}'");
        dueSoon.ShouldBe("appraise");

        var apology = new ApologyIssued(new DateTimeOffset(2026, 5, 18, 8, 0, 0, Vn), null, "so-xay-dung", "Sở Xây dựng", "appraise", "Chưa kịp thẩm định", Appointment, Appointment.AddDays(7), true);
        await AppendAsync(dossiers, id, 2, new StepOverdue(stepDue, "appraise", "so-xay-dung", stepDue), apology);
        (await TestStores.ScalarAsync(store, $"SELECT COUNT(*) FROM dossier_deadlines WHERE kind = 'step' AND dossier_id = '{id}'")).ShouldBe(0L, "an overdue step's deadline has fired");

        var done = new DateTimeOffset(2026, 5, 20, 10, 0, 0, Vn);
        await AppendAsync(dossiers, id, 4,
            new StepCompleted(done, Appraiser, "appraise", "approved", stepDue, null),
            new ResultReady(done, "approved"),
            new ResultReturned(done.AddDays(1), Counter, Appointment.AddDays(7), true));

        summary = await RowAsync(store, $"SELECT * FROM dossier_summary WHERE dossier_id = '{id}'");
        summary["status"].ShouldBe("returned");
        (await TestStores.ScalarAsync(store, $"SELECT COUNT(*) FROM dossier_deadlines WHERE dossier_id = '{id}'")).ShouldBe(0L, "a returned dossier has no open deadline");
    }

    [Fact]
    public async Task Tracking_book_and_on_time_report_catch_up_and_rebuild_to_the_same_rows()
    {
        var projections = DossierProjections.All();
        await using var store = await CreateStoreAsync(projections);
        var dossiers = new DossierEventStore(store);
        var stepDue = new DateTimeOffset(2026, 5, 12, 17, 0, 0, Vn);
        for (var n = 1; n <= 3; n++)
        {
            var id = $"d-{n}";
            var completed = n == 3 ? stepDue.AddDays(2) : stepDue.AddDays(-1);
            await AppendAsync(dossiers, id, 0, Receipt(id, $"000.00.07.H13-260424-000{n}"), new StepStarted(Received.AddHours(1), "appraise", "so-xay-dung", stepDue));
            await AppendAsync(dossiers, id, 2, new StepCompleted(completed, Appraiser, "appraise", "approved", stepDue, null), new ResultReady(completed, "approved"),
                new ResultReturned(completed.AddHours(2), Counter, Appointment, completed < Appointment));
        }

        (await TestStores.ScalarAsync(store, "SELECT COUNT(*) FROM dossier_tracking_book")).ShouldBe(0L, "async read models wait for the daemon");
        // 15 events, fed to each async read model (tracking book, on-time report, dashboard facts, ...).
        var feeds = 15L * projections.Count(p => p.Mode == ProjectionMode.Async);
        (await TestStores.CatchUpAsync(new ProjectionDaemon(store, projections, batchSize: 4), feeds)).ShouldBe(feeds);

        var book = await RowAsync(store, "SELECT * FROM dossier_tracking_book WHERE dossier_id = 'd-1'");
        book["dossier_code"].ShouldBe("000.00.07.H13-260424-0001");
        book["lead_agency"].ShouldBe("Sở Xây dựng");
        book["applicant"].ShouldBe("Nguyễn Văn A");
        book["transferred_at"].ShouldNotBeNull();
        book["returned_at"].ShouldNotBeNull();
        book["notes"].ShouldBe("Trả đúng hạn");
        var lateSteps = await TestStores.ScalarAsync(store, "SELECT COUNT(*) FROM report_step_results WHERE agency = 'so-xay-dung' AND on_time = " + (store.Dialect == SqlDialect.Postgres ? "false" : "0"));
        Convert.ToInt64(lateSteps).ShouldBe(1);

        var before = await DumpAsync(store);
        await TestStores.ExecuteAsync(store, "DELETE FROM report_step_results");
        await TestStores.ExecuteAsync(store, "UPDATE dossier_summary SET status = 'garbage'");
        var report = await store.RebuildProjectionsAsync(projections, batchSize: 7);
        report.Events.ShouldBe(15);
        (await DumpAsync(store)).ShouldBe(before);
    }

    private static async Task<string> DumpAsync(IEventStore store)
    {
        var lines = new List<string>();
        foreach (var (table, order) in new[] { ("dossier_summary", "dossier_id"), ("dossier_deadlines", "dossier_id, kind, ref"), ("dossier_tracking_book", "dossier_id"), ("report_step_results", "dossier_id, step_id"), ("report_dossier_outcomes", "dossier_id") })
        {
            await using var connection = await store.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY {order}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(table + ": " + string.Join(" | ", Enumerable.Range(0, reader.FieldCount)
                    .Where(i => reader.GetName(i) != "updated_at")
                    .Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        return string.Join("\n", lines);
    }

    [Fact]
    public async Task A_withdrawn_returned_or_closed_dossier_is_held_by_no_agency_however_its_events_were_split_into_appends()
    {
        await using var store = await CreateStoreAsync(DossierProjections.All());
        var dossiers = new DossierEventStore(store);
        var stepDue = new DateTimeOffset(2026, 5, 12, 17, 0, 0, Vn);
        var at = new DateTimeOffset(2026, 5, 5, 10, 0, 0, Vn);
        DossierEvent[] Started(string id) => [Receipt(id, "000.00.07.H13-260424-00" + id[^2..]), new StepStarted(Received, "appraise", "so-xay-dung", stepDue)];
        DossierEvent[][] endings =
        [
            [new DossierWithdrawn(at, Counter, "Công dân rút hồ sơ")],
            [new StepCompleted(at, Appraiser, "appraise", "approved", stepDue, null), new ResultReady(at, "approved"), new ResultReturned(at.AddDays(1), Counter, Appointment, true)],
            [new DossierClosed(at.AddDays(30), at, at.AddDays(30), "Không bổ sung hồ sơ trong thời hạn")],
        ];

        for (var i = 0; i < endings.Length; i++)
        {
            // The same history in one append and in one append per event: the same row, and no agency holds the dossier.
            var whole = $"d-1{i}";
            var split = $"d-2{i}";
            await AppendAsync(dossiers, whole, 0, [.. Started(whole), .. endings[i]]);
            long version = 0;
            foreach (var e in Started(split).Concat(endings[i]))
            {
                await AppendAsync(dossiers, split, version++, e);
            }

            foreach (var id in new[] { whole, split })
            {
                var row = await RowAsync(store, $"SELECT status, current_agency FROM dossier_summary WHERE dossier_id = '{id}'");
                row["current_agency"].ShouldBeNull($"{id} ({row["status"]})");
            }
        }

        (await TestStores.ScalarAsync(store, "SELECT COUNT(*) FROM dossier_summary WHERE current_agency = 'so-xay-dung'")).ShouldBe(0L);
        var check = await ReadModelCheck.RunAsync(store);
        check.Dossiers.ShouldBe(6);
        check.Findings.ShouldBeEmpty(string.Join("; ", check.Findings));
    }

    [Fact]
    public async Task The_read_model_check_finds_rows_edited_in_the_database_and_a_rebuild_puts_them_back()
    {
        var projections = DossierProjections.All();
        await using var store = await CreateStoreAsync(projections);
        var dossiers = new DossierEventStore(store);
        var stepDue = new DateTimeOffset(2026, 5, 12, 17, 0, 0, Vn);
        await AppendAsync(dossiers, "d-0001", 0, Receipt("d-0001", "000.00.07.H13-260424-0001"), new StepStarted(Received, "appraise", "so-xay-dung", stepDue));
        await AppendAsync(dossiers, "d-0002", 0, Receipt("d-0002", "000.00.07.H13-260424-0002"), new StepStarted(Received.AddMinutes(1).AddTicks(1234567), "appraise", "so-xay-dung", stepDue));

        var clean = await ReadModelCheck.RunAsync(store);
        clean.Dossiers.ShouldBe(2);
        clean.Findings.ShouldBeEmpty(string.Join("; ", clean.Findings));

        // Someone makes the public page say the dossier was returned, silences the timers for the other one, and
        // plants a row for a dossier that never existed.
        await TestStores.ExecuteAsync(store, "UPDATE dossier_summary SET status = 'returned' WHERE dossier_id = 'd-0002'");
        await TestStores.ExecuteAsync(store, "DELETE FROM dossier_deadlines WHERE dossier_id = 'd-0001' AND kind = 'step'");
        await TestStores.ExecuteAsync(store,
            "INSERT INTO dossier_summary (dossier_id, dossier_code, status, overdue, version, updated_at) VALUES ('d-9999', '000.00.07.H13-260424-9999', 'returned', " +
            (store.Backend == "postgres" ? "false, 1, now())" : "0, 1, '2026-04-24T02:00:00.0000000Z')"));
        var tampered = await ReadModelCheck.RunAsync(store);
        tampered.Findings.ShouldBe([
            new ReadModelFinding("dossier_deadlines", "d-0001", "step/appraise", null, "2026-05-12T10:00:00.0000000+00:00 (so-xay-dung)"),
            new ReadModelFinding("dossier_summary", "d-0002", "status", "returned", "inProgress"),
            new ReadModelFinding("dossier_summary", "d-9999", "(row)", "a row", null),
        ]);

        await TestStores.ExecuteAsync(store, "DELETE FROM dossier_summary WHERE dossier_id = 'd-9999'");
        await store.RebuildProjectionsAsync(projections);
        (await ReadModelCheck.RunAsync(store)).Findings.ShouldBeEmpty();
    }
}

public sealed class SqliteDossierProjectionTests : DossierProjectionTests
{
    protected override Task<IEventStore> CreateStoreAsync(IEnumerable<IProjection> projections) => TestStores.SqliteAsync(projections);
}

public sealed class PostgresDossierProjectionTests : DossierProjectionTests
{
    protected override Task<IEventStore> CreateStoreAsync(IEnumerable<IProjection> projections) => TestStores.PostgresAsync(projections);
}
