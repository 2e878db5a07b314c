using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>The workspace's server side: the agencies' worklists and the auditor's timeline and store verification.</summary>
public abstract class WorkspaceApiTests<TFixture>(TFixture server)
    where TFixture : ServerFixture
{
    protected TFixture Server { get; } = server;

    private static int applicants;

    private async Task<(string Id, string Code, string Applicant)> ReceiveAsync(string applicant, DateTimeOffset at)
    {
        Server.Clock.Now = at;
        var (response, json) = await Server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", Bodies.PermitExtension(applicant));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, json?.ToJsonString());
        return (json!["id"]!.GetValue<string>(), json["code"]!.GetValue<string>(), applicant);
    }

    private static string UniqueName(string family) => $"{family} Thị Hằng {Interlocked.Increment(ref applicants)}";

    [Fact]
    public async Task An_agency_officer_sees_its_waiting_steps_in_due_order_and_finds_them_by_name_without_accents_or_by_code()
    {
        var family = "Đặng" + Guid.NewGuid().ToString("N")[..4];
        var received = new List<(string Id, string Code, string Applicant)>();
        for (var i = 0; i < 5; i++)
        {
            // Received an hour apart; each is due 5 working days later, so the due order is the receipt order.
            received.Add(await ReceiveAsync(UniqueName(family), ServerFixture.Start.AddHours(i)));
        }

        var department = Server.Client("cb-sxd-01");
        var folded = family.Replace("Đặng", "dang", StringComparison.Ordinal);
        var page = await department.GetJsonAsync($"/api/worklist?q={Uri.EscapeDataString(folded)}&limit=2");
        page["agency"]!.GetValue<string>().ShouldBe("so-xay-dung");
        page["agencyName"]!.GetValue<string>().ShouldBe("Sở Xây dựng");
        var seen = new List<string>();
        while (true)
        {
            foreach (var item in page["items"]!.AsArray())
            {
                item!["work"]!.GetValue<string>().ShouldBe("step/appraise");
                item["agency"]!.GetValue<string>().ShouldBe("so-xay-dung");
                item["statusText"]!.GetValue<string>().ShouldBe("Đang giải quyết");
                seen.Add(item["code"]!.GetValue<string>());
            }

            if (page["next"] is not { } next)
            {
                break;
            }

            page = await department.GetJsonAsync($"/api/worklist?q={Uri.EscapeDataString(folded)}&limit=2&after={next.GetValue<string>()}");
        }

        seen.ShouldBe(received.Select(r => r.Code).ToList(), "every dossier once, in due order, across pages of two");

        var byCode = await department.GetJsonAsync($"/api/worklist?q={Uri.EscapeDataString(received[2].Code)}");
        byCode["items"]!.AsArray().Select(i => i!["dossierId"]!.GetValue<string>()).ShouldBe([received[2].Id]);

        // The one-stop centre has nothing of these waiting on it, and may not look into the department's queue.
        var counter = Server.Client("cb-motcua-01");
        (await counter.GetJsonAsync($"/api/worklist?q={folded}"))["items"]!.AsArray().Count.ShouldBe(0);
        var refused = await counter.GetAsync("/api/worklist?agency=so-xay-dung");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("chỉ xem được danh sách việc của cơ quan mình");

        // Once the appraisal is done, the signature is what waits.
        (await department.PostJsonAsync($"/api/dossiers/{received[0].Id}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await department.GetJsonAsync($"/api/worklist?q={Uri.EscapeDataString(received[0].Code)}");
        after["items"]!.AsArray().Select(i => i!["work"]!.GetValue<string>()).ShouldBe(["step/sign"]);
        after["items"]![0]!["workName"]!.GetValue<string>().ShouldNotBe("sign", "the step's name from the definition");
    }

    [Fact]
    public async Task Steps_past_their_due_instant_are_badged_overdue_and_counted_and_the_filter_lists_only_them()
    {
        var family = "Vũ" + Guid.NewGuid().ToString("N")[..4];
        var late = await ReceiveAsync(UniqueName(family), ServerFixture.Start.AddDays(-30));
        var fresh = await ReceiveAsync(UniqueName(family), ServerFixture.Start);
        Server.Clock.Now = ServerFixture.Start.AddHours(1);

        var department = Server.Client("cb-sxd-01");
        var q = Uri.EscapeDataString(family.Replace("Vũ", "vu", StringComparison.Ordinal));
        var all = await department.GetJsonAsync($"/api/worklist?q={q}");
        var items = all["items"]!.AsArray();
        items.Select(i => i!["dossierId"]!.GetValue<string>()).ShouldBe([late.Id, fresh.Id]);
        items[0]!["badges"]!.AsArray().Select(b => b!.GetValue<string>()).ShouldContain("overdue");
        items[1]!["badges"]!.AsArray().Select(b => b!.GetValue<string>()).ShouldNotContain("overdue");
        all["counts"]!["overdue"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(1);

        var overdue = await department.GetJsonAsync($"/api/worklist?q={q}&badge=overdue");
        overdue["items"]!.AsArray().Select(i => i!["dossierId"]!.GetValue<string>()).ShouldBe([late.Id]);

        (await department.GetAsync("/api/worklist?badge=late")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await department.GetAsync("/api/worklist?after=nonsense")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await department.GetAsync("/api/worklist?limit=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_auditor_sees_each_event_verified_with_its_hash_and_the_state_at_any_instant()
    {
        var (id, code, _) = await ReceiveAsync(UniqueName("Lý"), ServerFixture.Start);
        var done = new DateTimeOffset(2026, 4, 28, 10, 0, 0, TimeSpan.FromHours(7));
        Server.Clock.Now = done;
        (await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var auditor = Server.Client("kiem-soat-01");
        var timeline = await auditor.GetJsonAsync($"/api/audit/dossiers/{code}/timeline");
        timeline["dossierId"]!.GetValue<string>().ShouldBe(id, "found by its code");
        timeline["chainIntact"]!.GetValue<bool>().ShouldBeTrue();
        var events = timeline["events"]!.AsArray();
        events.ShouldAllBe(e => e!["verified"]!.GetValue<bool>());
        events.ShouldAllBe(e => e!["hash"]!.GetValue<string>().Length == 12);
        events[0]!["typeName"]!.GetValue<string>().ShouldBe("Tiếp nhận hồ sơ");
        events[0]!["agencyName"]!.GetValue<string>().ShouldBe("Trung tâm Phục vụ hành chính công tỉnh");
        var completed = events.Last(e => e!["type"]!.GetValue<string>() == "StepCompleted")!;
        completed["summary"]!.GetValue<string>().ShouldBe("appraise: approved");
        completed["typeName"]!.GetValue<string>().ShouldBe("Hoàn thành bước xử lý");
        completed["user"]!.GetValue<string>().ShouldBe("cb-sxd-01");

        var before = await auditor.GetJsonAsync($"/api/audit/dossiers/{id}/timeline?at={Uri.EscapeDataString(done.AddMinutes(-1).ToString("O"))}");
        StepStatus(before["state"]!, "appraise").ShouldBe("active");
        var after = await auditor.GetJsonAsync($"/api/audit/dossiers/{id}/timeline?at={Uri.EscapeDataString(done.ToString("O"))}");
        StepStatus(after["state"]!, "appraise").ShouldBe("done");

        // The same fold as the state endpoint (and `replay --at`).
        var state = await auditor.GetJsonAsync($"/api/dossiers/{id}/state?at={Uri.EscapeDataString(done.AddMinutes(-1).ToString("O"))}");
        before["state"]!["status"]!.GetValue<string>().ShouldBe(state["status"]!.GetValue<string>());

        (await Server.Client("cb-sxd-01").GetAsync($"/api/audit/dossiers/{id}/timeline")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await auditor.GetAsync("/api/audit/dossiers/no-such-dossier/timeline")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_tampered_dossier_shows_its_intact_events_names_the_first_bad_version_and_the_store_verification_finds_it_against_the_seal()
    {
        var auditor = Server.Client("kiem-soat-01");
        var (id, _, _) = await ReceiveAsync(UniqueName("Tạ"), ServerFixture.Start);
        Server.Clock.Now = new DateTimeOffset(2026, 4, 28, 10, 0, 0, TimeSpan.FromHours(7));
        (await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var sealResponse = await auditor.PostAsync("/api/audit/verify", null);
        var sealRun = JsonNode.Parse(await sealResponse.Content.ReadAsStringAsync())!;
        sealResponse.StatusCode.ShouldBe(HttpStatusCode.OK, sealRun.ToJsonString());
        var seal = sealRun["seal"]!.ToJsonString();

        var store = Server.App.Services.GetRequiredService<IEventStore>();
        var completedVersion = (await store.ReadStreamAsync(id)).Last(e => e.Type == "StepCompleted").Version;
        await using (var connection = await store.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = store.Backend == "postgres"
                ? $"UPDATE pe_events SET data = replace(data::text, 'approved', 'rejected')::json WHERE stream_id = '{id}' AND version = {completedVersion}"
                : $"UPDATE pe_events SET data = replace(data, 'approved', 'rejected') WHERE stream_id = '{id}' AND version = {completedVersion}";
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var timeline = await auditor.GetJsonAsync($"/api/audit/dossiers/{id}/timeline");
        timeline["chainIntact"]!.GetValue<bool>().ShouldBeFalse();
        timeline["firstBadVersion"]!.GetValue<long>().ShouldBe(completedVersion);
        var events = timeline["events"]!.AsArray();
        events.Where(e => e!["version"]!.GetValue<long>() < completedVersion).ShouldAllBe(e => e!["verified"]!.GetValue<bool>());
        events.Where(e => e!["version"]!.GetValue<long>() >= completedVersion).ShouldAllBe(e => !e!["verified"]!.GetValue<bool>());
        timeline["lastTrustedVersion"]!.GetValue<long>().ShouldBe(completedVersion - 1);
        timeline["lastTrustedState"]!["status"]!.GetValue<string>().ShouldBe("inProgress");
        StepStatus(timeline["lastTrustedState"]!, "appraise").ShouldBe("active");

        using var content = new StringContent(seal, System.Text.Encoding.UTF8, "application/json");
        using var verifyResponse = await auditor.PostAsync("/api/audit/verify", content);
        var verify = JsonNode.Parse(await verifyResponse.Content.ReadAsStringAsync())!;
        verifyResponse.StatusCode.ShouldBe(HttpStatusCode.OK, verify.ToJsonString());
        verify["intact"]!.GetValue<bool>().ShouldBeFalse();
        verify["comparedWith"]!["digest"]!.GetValue<string>().ShouldBe(sealRun["digest"]!.GetValue<string>());
        var finding = verify["findings"]!.AsArray().First(f => f!["stream"]!.GetValue<string>() == id)!;
        finding["version"]!.GetValue<long>().ShouldBe(completedVersion);
        finding["kindText"]!.GetValue<string>().ShouldBe("Nội dung bị sửa");

        using var bad = new StringContent("{\"not\":\"a seal\"}", System.Text.Encoding.UTF8, "application/json");
        (await auditor.PostAsync("/api/audit/verify", bad)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_online_submission_waits_in_the_worklist_of_the_one_stop_unit_that_receives_it_until_accepted_there()
    {
        Server.Clock.Now = ServerFixture.Start;
        var applicant = UniqueName("Trịnh");
        var (submittedResponse, submitted) = await Server.Client("cong-dvc").PostJsonAsync("/api/dossiers/online", Bodies.PermitExtension(applicant));
        submittedResponse.StatusCode.ShouldBe(HttpStatusCode.Created, submitted?.ToJsonString());
        var id = submitted!["id"]!.GetValue<string>();
        var search = Uri.EscapeDataString(WorklistProjectionFold(applicant));

        // The counter of the one-stop unit that receives 1.013233 has it to accept, due at the acceptance limit;
        // the construction department (which appraises it later) has nothing yet.
        var counter = Server.Client("cb-motcua-01");
        var queue = await counter.GetJsonAsync($"/api/worklist?q={search}");
        var entry = queue["items"]!.AsArray().ShouldHaveSingleItem()!;
        entry["dossierId"]!.GetValue<string>().ShouldBe(id);
        entry["work"]!.GetValue<string>().ShouldBe("accept");
        entry["workName"]!.GetValue<string>().ShouldBe("Tiếp nhận hồ sơ nộp trực tuyến");
        entry["status"]!.GetValue<string>().ShouldBe("submitted");
        entry["procedureName"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        entry["dueAt"]!.GetValue<string>().ShouldBe(submitted["acceptBy"]!.GetValue<string>());
        (await counter.GetJsonAsync($"/api/worklist?q={search}&status=submitted"))["items"]!.AsArray().Count.ShouldBe(1);
        (await Server.Client("cb-sxd-01").GetJsonAsync($"/api/worklist?q={search}"))["items"]!.AsArray().ShouldBeEmpty();

        // Its dossier page offers that unit (and only it) to accept or refuse.
        static string[] Actions(JsonNode page) => [.. page["actions"]!.AsArray().Select(a => a!["action"]!.GetValue<string>())];
        Actions(await counter.GetJsonAsync($"/api/workspace/dossiers/{id}")).ShouldBe(["receive", "refuse", "withdraw"], "the applicant may also withdraw it at the counter");
        Actions(await Server.Client("cb-sxd-01").GetJsonAsync($"/api/workspace/dossiers/{id}")).ShouldBeEmpty();

        // Accepted: it leaves the counter's queue and its first step waits at the construction department.
        Server.Clock.Now = ServerFixture.Start.AddHours(1);
        var (accepted, dossier) = await counter.PostJsonAsync($"/api/dossiers/{id}/receive", new { });
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, dossier?.ToJsonString());
        (await counter.GetJsonAsync($"/api/worklist?q={search}"))["items"]!.AsArray().ShouldBeEmpty();
        var step = (await Server.Client("cb-sxd-01").GetJsonAsync($"/api/worklist?q={search}"))["items"]!.AsArray().ShouldHaveSingleItem()!;
        step["work"]!.GetValue<string>().ShouldBe("step/appraise");
        step["code"]!.GetValue<string>().ShouldBe(dossier!["code"]!.GetValue<string>());
    }

    private static string WorklistProjectionFold(string text) => ProcedureEngine.Dossiers.Persistence.WorklistProjection.Fold(text);

    [Fact]
    public async Task The_dossier_page_offers_each_officer_only_what_the_decider_lets_its_agency_do_now()
    {
        var (id, code, applicant) = await ReceiveAsync(UniqueName("Quách"), ServerFixture.Start);
        Server.Clock.Now = ServerFixture.Start.AddHours(1);

        static string[] Actions(JsonNode page) =>
            [.. page["actions"]!.AsArray().Select(a => a!["action"]!.GetValue<string>() + (a["step"] is { } s ? "/" + s.GetValue<string>() : ""))];

        var department = await Server.Client("cb-sxd-01").GetJsonAsync($"/api/workspace/dossiers/{code}");
        department["id"]!.GetValue<string>().ShouldBe(id, "found by its code");
        department["applicant"]!.GetValue<string>().ShouldBe(applicant);
        department["statusText"]!.GetValue<string>().ShouldBe("Đang giải quyết");
        Actions(department).ShouldContain("complete/appraise");
        Actions(department).ShouldContain("request-supplement/appraise");
        var complete = department["actions"]!.AsArray().First(a => a!["action"]!.GetValue<string>() == "complete")!;
        complete["outcomes"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).ShouldBe(["approved", "rejected"], "a supplement is requested with its documents, not as an outcome");
        var step = department["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "appraise")!;
        step["agencyName"]!.GetValue<string>().ShouldBe("Sở Xây dựng");
        step["mine"]!.GetValue<bool>().ShouldBeTrue();
        department["history"]!.AsArray()[0]!["typeName"]!.GetValue<string>().ShouldBe("Tiếp nhận hồ sơ");
        department["history"]!.AsArray()[0]!["userName"]!.GetValue<string>().ShouldBe("Trần Thị Bình");

        // Another department and the counter: nothing of the construction department's; an auditor: nothing at all.
        Actions(await Server.Client("cb-stc-01").GetJsonAsync($"/api/workspace/dossiers/{id}")).ShouldBeEmpty();
        Actions(await Server.Client("cb-motcua-01").GetJsonAsync($"/api/workspace/dossiers/{id}")).ShouldNotContain(a => a.StartsWith("complete", StringComparison.Ordinal) || a.StartsWith("request-supplement", StringComparison.Ordinal));
        Actions(await Server.Client("kiem-soat-01").GetJsonAsync($"/api/workspace/dossiers/{id}")).ShouldBeEmpty();

        // What was offered is accepted; then the next step is what is offered, and 4 working days late it says so.
        Server.Clock.Now = new DateTimeOffset(2026, 5, 8, 9, 0, 0, TimeSpan.FromHours(7));
        (await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await Server.Client("cb-sxd-01").GetJsonAsync($"/api/workspace/dossiers/{id}");
        Actions(after).ShouldContain("complete/sign");
        Actions(after).ShouldNotContain("complete/appraise");
        var done = after["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "appraise")!;
        done["completedByName"]!.GetValue<string>().ShouldBe("Lê Văn Cường");
        done["lateMinutes"]!.GetValue<long>().ShouldBe((long)(Server.Clock.Now - DateTimeOffset.Parse(done["dueAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).TotalMinutes);

        // The control slip, and errors in the one problem shape.
        var slip = await Server.Client("cb-sxd-01").GetAsync($"/api/dossiers/{id}/control-slip");
        slip.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await slip.Content.ReadAsStringAsync()).ShouldContain(code);
        var pdf = await Server.Client("cb-sxd-01").GetAsync($"/api/dossiers/{id}/control-slip?format=pdf");
        pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var bad = await Server.Client("cb-sxd-01").GetAsync($"/api/dossiers/{id}/control-slip?format=docx");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonNode.Parse(await bad.Content.ReadAsStringAsync()).ShouldBeProblem(400, "invalid-parameter");
        var missing = await Server.Client("cb-sxd-01").GetAsync("/api/workspace/dossiers/no-such-dossier");
        JsonNode.Parse(await missing.Content.ReadAsStringAsync()).ShouldBeProblem(404, "not-found");
    }

    [Fact]
    public async Task The_counter_is_offered_the_procedures_its_unit_receives_and_the_session_says_it_is_a_one_stop_unit()
    {
        var catalogue = await Server.Client("cb-motcua-01").GetJsonAsync("/api/workspace/catalogue");
        var procedures = catalogue["procedures"]!.AsArray();
        var extension = procedures.Single(p => p!["code"]!.GetValue<string>() == "1.013233")!;
        extension["oneStops"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["one-stop"]);
        extension["folded"]!.GetValue<string>().ShouldStartWith("gia han giay phep xay dung");
        procedures.Single(p => p!["code"]!.GetValue<string>() == "1.013216")!["oneStops"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldNotContain("one-stop");
        catalogue["fields"]!.AsArray().ShouldContain(f => f!["id"]!.GetValue<string>() == "construction" && f["name"]!.GetValue<string>() == "Hoạt động xây dựng");

        (await Server.Client("cb-motcua-01").GetJsonAsync("/api/session"))["oneStop"]!.GetValue<bool>().ShouldBeTrue();
        (await Server.Client("cb-sxd-01").GetJsonAsync("/api/session"))["oneStop"]!.GetValue<bool>().ShouldBeFalse();
    }

    private static string StepStatus(JsonNode state, string step) =>
        state["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == step)!["status"]!.GetValue<string>();
}

public sealed class SqliteWorkspaceApiTests(SqliteServerFixture server) : WorkspaceApiTests<SqliteServerFixture>(server), IClassFixture<SqliteServerFixture>;

public sealed class PostgresWorkspaceApiTests(PostgresServerFixture server) : WorkspaceApiTests<PostgresServerFixture>(server), IClassFixture<PostgresServerFixture>;
