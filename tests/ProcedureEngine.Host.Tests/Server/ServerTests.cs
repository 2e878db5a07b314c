using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>The HTTP API as officers, auditors and citizens use it, on each store backend.</summary>
public abstract class ServerTests<TFixture>(TFixture server)
    where TFixture : ServerFixture
{
    protected TFixture Server { get; } = server;

    // 1.013233 — extension of a construction permit: 5 working days, Sở Xây dựng appraises and signs.
    private static readonly object PermitExtension = new
    {
        procedure = new { code = "1.013233" },
        applicant = new { name = "Nguyễn Văn An", phone = "0912345678", address = "12 Lý Thái Tổ" },
        documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
    };

    private async Task<JsonNode> ReceiveAsync()
    {
        Server.Clock.Now = ServerFixture.Start;
        var (response, json) = await Server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", PermitExtension);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, json?.ToJsonString());
        return json!;
    }

    [Fact]
    public async Task Receipt_gives_the_dossier_code_the_appointment_on_the_legal_calendar_and_the_receipt_letter()
    {
        var receipt = await ReceiveAsync();

        receipt["code"]!.GetValue<string>().ShouldStartWith("000.00.07.H13-260424-");
        // Friday 24/4 09:00 + 5 working days, skipping Hùng Kings' day in lieu (27/4) and 30/4–1/5.
        receipt["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-06T09:00:00+07:00");
        var text = receipt["letter"]!["text"]!.GetValue<string>();
        text.ShouldContain("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
        text.ShouldContain(receipt["code"]!.GetValue<string>());
        text.ShouldContain("Nguyễn Văn An");

        // What the province configured and who received it, as a signed paper needs: place, parent body, the officer's name.
        text.ShouldContain("Bắc Ninh, ngày 24 tháng 4 năm 2026", Case.Sensitive);
        text.ShouldContain("UBND TỈNH BẮC NINH", Case.Sensitive);
        text.ShouldContain("Trần Thị Bình", Case.Sensitive);
        text.ShouldNotContain("cb-motcua-01");

        var officer = Server.Client("kiem-soat-01");
        var url = receipt["letter"]!["url"]!.GetValue<string>();
        (await officer.GetStringAsync(url)).ShouldContain("<html");
        var pdf = await officer.GetByteArrayAsync(url + "?format=pdf");
        Encoding.ASCII.GetString(pdf, 0, 5).ShouldBe("%PDF-");
    }

    [Fact]
    public async Task A_dossier_runs_through_its_agencies_to_the_returned_result_and_the_auditor_sees_any_moment_of_it()
    {
        var receipt = await ReceiveAsync();
        var id = receipt["id"]!.GetValue<string>();
        var department = Server.Client("cb-sxd-01");

        Server.Clock.Now = new DateTimeOffset(2026, 4, 28, 10, 0, 0, TimeSpan.FromHours(7));
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Server.Clock.Now = new DateTimeOffset(2026, 4, 29, 15, 0, 0, TimeSpan.FromHours(7));
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "sign" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Server.Clock.Now = new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.FromHours(7));
        var (returned, state) = await Server.Client("cb-motcua-01").PostJsonAsync($"/api/dossiers/{id}/return", new { });

        returned.StatusCode.ShouldBe(HttpStatusCode.OK, state?.ToJsonString());
        state!["status"]!.GetValue<string>().ShouldBe("returned");
        state["overdue"]!.GetValue<bool>().ShouldBeFalse();

        var auditor = Server.Client("kiem-soat-01");
        var events = await auditor.GetJsonAsync($"/api/dossiers/{id}/events");
        events["chainIntact"]!.GetValue<bool>().ShouldBeTrue();
        var types = events["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        types.ShouldContain("DossierReceived");
        types.ShouldContain("ResultReturned");
        events["events"]!.AsArray().First(e => e!["type"]!.GetValue<string>() == "StepCompleted" && e["data"]!["stepId"]!.GetValue<string>() == "sign")!
            ["actor"]!["user"]!.GetValue<string>().ShouldBe("cb-sxd-01");

        var before = await auditor.GetJsonAsync($"/api/dossiers/{id}/state?at=2026-04-28T12:00");
        before["status"]!.GetValue<string>().ShouldBe("inProgress");
        before["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "appraise")!["status"]!.GetValue<string>().ShouldBe("done");
        before["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "sign")!["status"]!.GetValue<string>().ShouldBe("active");
    }

    [Fact]
    public async Task An_officer_may_not_complete_another_agencys_step_and_nothing_is_recorded()
    {
        var id = (await ReceiveAsync())["id"]!.GetValue<string>();
        var auditor = Server.Client("kiem-soat-01");
        var before = (await auditor.GetJsonAsync($"/api/dossiers/{id}/events"))["events"]!.AsArray().Count;

        var (response, json) = await Server.Client("cb-motcua-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" });

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        json.ShouldBeProblem(422, "wrong-agency");
        json!["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        (await auditor.GetJsonAsync($"/api/dossiers/{id}/events"))["events"]!.AsArray().Count.ShouldBe(before);
    }

    [Fact]
    public async Task Asking_for_a_paper_the_procedure_does_not_list_is_refused()
    {
        var id = (await ReceiveAsync())["id"]!.GetValue<string>();

        var (response, json) = await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/request-supplement",
            new { step = "appraise", documents = new[] { "so-ho-khau" }, reason = "Thiếu sổ hộ khẩu" });

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        json.ShouldBeProblem(422, "undeclared-document");
    }

    [Fact]
    public async Task A_stale_version_in_If_Match_is_a_conflict_and_writes_nothing()
    {
        var id = (await ReceiveAsync())["id"]!.GetValue<string>();
        var current = await Server.Client("kiem-soat-01").GetAsync($"/api/dossiers/{id}");
        var etag = current.Headers.ETag!.Tag;

        var (stale, json) = await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" }, ifMatch: "\"1\"");
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        json.ShouldBeProblem(409, "version-conflict");
        json!["currentVersion"]!.GetValue<long>().ShouldBe(long.Parse(etag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture));

        var (fresh, _) = await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" }, ifMatch: etag);
        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_retried_request_with_the_same_idempotency_key_is_recorded_once()
    {
        var id = (await ReceiveAsync())["id"]!.GetValue<string>();
        var department = Server.Client("cb-sxd-01");

        var (first, a) = await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" }, idempotencyKey: "req-42");
        var (retry, b) = await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" }, idempotencyKey: "req-42");

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        // The client lost the first answer and retries: it gets the same success, and nothing is appended twice.
        retry.StatusCode.ShouldBe(HttpStatusCode.OK, b?.ToJsonString());
        retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        first.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        b!["version"]!.GetValue<long>().ShouldBe(a!["version"]!.GetValue<long>());
        var events = (await Server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{id}/events"))["events"]!.AsArray();
        events.Count(e => e!["type"]!.GetValue<string>() == "StepCompleted" && e["data"]!["stepId"]!.GetValue<string>() == "appraise").ShouldBe(1);
    }

    [Fact]
    public async Task A_retried_receipt_returns_the_first_dossier_instead_of_receiving_it_twice()
    {
        Server.Clock.Now = ServerFixture.Start;
        var key = "receipt-" + Guid.NewGuid().ToString("N");
        var counter = Server.Client("cb-motcua-01");
        var (first, a) = await counter.PostJsonAsync("/api/dossiers", PermitExtension, idempotencyKey: key);
        first.StatusCode.ShouldBe(HttpStatusCode.Created, a?.ToJsonString());
        var id = a!["id"]!.GetValue<string>();

        // The answer was lost on the way; meanwhile the department already took the dossier further.
        (await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (retry, b) = await counter.PostJsonAsync("/api/dossiers", PermitExtension, idempotencyKey: key);

        retry.StatusCode.ShouldBe(HttpStatusCode.Created, b?.ToJsonString());
        retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        b!["id"]!.GetValue<string>().ShouldBe(id);
        b["code"]!.GetValue<string>().ShouldBe(a["code"]!.GetValue<string>());
        b["letter"]!["form"]!.GetValue<string>().ShouldBe(a["letter"]!["form"]!.GetValue<string>());
        b["letter"]!["url"]!.GetValue<string>().ShouldBe(a["letter"]!["url"]!.GetValue<string>());
        var events = (await Server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{id}/events"))["events"]!.AsArray();
        events.Count(e => e!["type"]!.GetValue<string>() == "DossierReceived").ShouldBe(1);

        // The key is the officer's own: another counter that happens to send the same one receives its own dossier.
        var (other, c) = await Server.Client("cb-motcua-02").PostJsonAsync("/api/dossiers", PermitExtension, idempotencyKey: key);
        other.StatusCode.ShouldBe(HttpStatusCode.Created, c?.ToJsonString());
        other.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        c!["id"]!.GetValue<string>().ShouldNotBe(id);
    }

    [Fact]
    public async Task A_body_that_is_not_the_expected_json_is_refused_with_the_reason_and_where()
    {
        var counter = Server.Client("cb-motcua-01");
        using var truncated = new StringContent("""{"procedure":{"code":"1.013233"},"documents":["x" """, Encoding.UTF8, "application/json");
        var response = await counter.PostAsync("/api/dossiers", truncated);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(text);
        problem.ShouldBeProblem(400, "invalid-body");
        problem!["detailEn"]!.GetValue<string>().ShouldStartWith("the body is not valid JSON at $.documents");
        problem["detail"]!.GetValue<string>().ShouldContain("dòng 1");

        var id = (await ReceiveAsync())["id"]!.GetValue<string>();
        var (mistyped, json) = await counter.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = 5 });
        mistyped.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        json.ShouldBeProblem(400, "invalid-body");
        json!["detailEn"]!.GetValue<string>().ShouldStartWith("the value at $.step ");

        // A misspelt key is not read as "no documents" (which would end in a guidance letter listing them all).
        var (misspelt, refusal) = await counter.PostJsonAsync("/api/dossiers",
            new { procedure = new { code = "1.013233" }, applicant = new { name = "Nguyễn Văn An" }, documnets = new[] { "don-de-nghi-gia-han-giay" } });
        misspelt.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        refusal.ShouldBeProblem(400, "invalid-body");
        refusal!["detailEn"]!.GetValue<string>().ShouldBe("unknown property 'documnets' at $.documnets");
    }

    [Fact]
    public async Task An_incomplete_dossier_gets_guidance_and_no_appointment_and_times_print_to_the_second()
    {
        Server.Clock.Now = ServerFixture.Start.AddMilliseconds(345.678);
        var (response, guidance) = await Server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers",
            new { procedure = new { code = "1.013233" }, applicant = new { name = "Phạm Thị Dung" }, documents = new[] { "don-de-nghi-gia-han-giay" } });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, guidance?.ToJsonString());
        guidance!["letter"]!["form"]!.GetValue<string>().ShouldBe("02");
        guidance["code"].ShouldBeNull();
        guidance["appointmentAt"].ShouldBeNull();

        var receipt = await Server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", PermitExtension);
        var code = receipt.Json!["code"]!.GetValue<string>();
        var track = await Server.Client(null).GetJsonAsync($"/api/track/{code}");
        track["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-06T09:00:00+07:00");
    }

    private async Task<JsonNode> SubmitOnlineAsync(DateTimeOffset at)
    {
        Server.Clock.Now = at;
        var (response, json) = await Server.Client("cong-dvc").PostJsonAsync("/api/dossiers/online", PermitExtension);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, json?.ToJsonString());
        return json!;
    }

    [Fact]
    public async Task An_online_dossier_waits_for_acceptance_and_is_received_under_the_next_code_of_the_day()
    {
        // Friday 24/4 09:00: 6 office hours left that day, Monday 27/4 is off, so 8 working hours end Tuesday 09:30.
        var submitted = await SubmitOnlineAsync(ServerFixture.Start);
        submitted["status"]!.GetValue<string>().ShouldBe("submitted");
        submitted["acceptBy"]!.GetValue<string>().ShouldBe("2026-04-28T09:30:00+07:00");
        submitted["code"].ShouldBeNull();
        submitted.ToJsonString().ShouldNotContain("Nguyễn Văn An", Case.Sensitive);
        var id = submitted["id"]!.GetValue<string>();

        // Tuesday 08:00 the counter receives a walk-in dossier, then accepts the online one: two codes of the day.
        var tuesday = new DateTimeOffset(2026, 4, 28, 8, 0, 0, TimeSpan.FromHours(7));
        Server.Clock.Now = tuesday;
        var walkIn = await Server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", PermitExtension);
        var (accepted, dossier) = await Server.Client("cb-motcua-01").PostJsonAsync($"/api/dossiers/{id}/receive", new { });
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, dossier?.ToJsonString());
        dossier!["status"]!.GetValue<string>().ShouldBe("inProgress");
        var code = dossier["code"]!.GetValue<string>();
        code.ShouldStartWith("000.00.07.H13-260428-");
        code.ShouldNotBe(walkIn.Json!["code"]!.GetValue<string>());
        dossier["receivedAt"]!.GetValue<string>().ShouldBe("2026-04-28T08:00:00+07:00");
        dossier["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-07T08:00:00+07:00");

        var status = await Server.Client("cong-dvc").GetJsonAsync($"/api/dossiers/online/{id}");
        status["code"]!.GetValue<string>().ShouldBe(code);
        status["acceptanceOverdue"]!.GetValue<bool>().ShouldBeFalse();
        (await Server.Client(null).GetJsonAsync($"/api/track/{code}"))["status"]!.GetValue<string>().ShouldBe("inProgress");
    }

    [Fact]
    public async Task Online_dossiers_accepted_at_once_by_several_officers_never_share_a_code()
    {
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await SubmitOnlineAsync(ServerFixture.Start))["id"]!.GetValue<string>());
        }

        Server.Clock.Now = new DateTimeOffset(2026, 4, 29, 8, 0, 0, TimeSpan.FromHours(7));
        var answers = await Task.WhenAll(ids.Select(async (id, i) =>
            await Server.Client(i % 2 == 0 ? "cb-motcua-01" : "cb-motcua-02").PostJsonAsync($"/api/dossiers/{id}/receive", new { }))
            .Append(Task.Run(async () => await Server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", PermitExtension))));

        answers.ShouldAllBe(a => a.Response.IsSuccessStatusCode, string.Join("; ", answers.Select(a => $"{(int)a.Response.StatusCode} {a.Json?.ToJsonString()}")));
        var codes = answers.Select(a => a.Json!["code"]!.GetValue<string>()).ToList();
        codes.ShouldAllBe(c => c.StartsWith("000.00.07.H13-260429-", StringComparison.Ordinal));
        codes.Distinct().Count().ShouldBe(7);
    }

    [Fact]
    public async Task An_online_dossier_not_accepted_within_8_working_hours_is_flagged_by_the_timers()
    {
        var id = (await SubmitOnlineAsync(ServerFixture.Start))["id"]!.GetValue<string>();

        Server.Clock.Now = new DateTimeOffset(2026, 4, 28, 10, 0, 0, TimeSpan.FromHours(7));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonNode status;
        do
        {
            await Task.Delay(200);
            status = await Server.Client("cong-dvc").GetJsonAsync($"/api/dossiers/online/{id}");
        }
        while (!status["acceptanceOverdue"]!.GetValue<bool>() && DateTime.UtcNow < deadline);

        status["acceptanceOverdue"]!.GetValue<bool>().ShouldBeTrue();
        status["status"]!.GetValue<string>().ShouldBe("submitted");
        var events = (await Server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{id}/events"))["events"]!.AsArray();
        events.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["DossierSubmitted", "AcceptanceOverdue"]);
    }

    [Fact]
    public async Task The_portal_lodges_and_follows_online_dossiers_but_reads_nothing_else_and_officers_cannot_lodge_online()
    {
        var portal = Server.Client("cong-dvc");
        (await portal.GetAsync("/api/dossiers")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var counterDossier = (await ReceiveAsync())["id"]!.GetValue<string>();
        (await portal.GetAsync($"/api/dossiers/{counterDossier}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await portal.GetAsync($"/api/dossiers/online/{counterDossier}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await portal.PostJsonAsync($"/api/dossiers/{counterDossier}/complete", new { step = "appraise" })).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers/online", PermitExtension)).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var (undeclared, json) = await portal.PostJsonAsync("/api/dossiers/online",
            new { procedure = new { code = "1.013233" }, applicant = new { name = "Lý Thị E" }, documents = new[] { "so-ho-khau" } });
        undeclared.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        json.ShouldBeProblem(422, "undeclared-document");
    }

    [Fact]
    public async Task The_list_comes_in_pages_that_follow_the_Link_header_to_the_end_without_gaps_or_repeats()
    {
        for (var i = 0; i < 5; i++)
        {
            await ReceiveAsync();
        }

        var auditor = Server.Client("kiem-soat-01");
        var all = (await auditor.GetJsonAsync("/api/dossiers?agency=so-xay-dung&limit=1000")).AsArray().Select(d => d!["id"]!.GetValue<string>()).ToList();
        all.Count.ShouldBeGreaterThanOrEqualTo(5);

        var paged = new List<string>();
        var url = "/api/dossiers?agency=so-xay-dung&limit=2";
        var pages = 0;
        while (url is not null && pages++ < 1000)
        {
            var response = await auditor.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
            page.Count.ShouldBeLessThanOrEqualTo(2);
            page.ShouldAllBe(d => d!["currentAgency"]!.GetValue<string>() == "so-xay-dung");
            paged.AddRange(page.Select(d => d!["id"]!.GetValue<string>()));
            url = response.Headers.TryGetValues("Link", out var link) ? link.Single().Split('>')[0].TrimStart('<') : null;
        }

        paged.ShouldBe(all);
        (await auditor.GetAsync("/api/dossiers?limit=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await auditor.GetAsync("/api/dossiers?limit=1001")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_dossier_whose_events_were_altered_is_frozen_and_shown_as_broken_and_nothing_is_appended()
    {
        var id = (await ReceiveAsync())["id"]!.GetValue<string>();
        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ProcedureEngine.EventStore.IEventStore>(Server.App.Services);
        await using (var connection = await store.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            // Someone with database access edits the receipt: the applicant's name.
            command.CommandText = store.Backend == "postgres"
                ? $"UPDATE pe_events SET data = replace(data::text, 'Nguyễn Văn An', 'Nguyễn Văn Ân')::json WHERE stream_id = '{id}' AND version = 1"
                : $"UPDATE pe_events SET data = replace(data, 'Nguyễn Văn An', 'Nguyễn Văn Ân') WHERE stream_id = '{id}' AND version = 1";
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var (response, json) = await Server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" });
        response.StatusCode.ShouldBe(HttpStatusCode.Locked, json?.ToJsonString());
        json.ShouldBeProblem(423, "dossier-frozen");
        json!["detailEn"]!.GetValue<string>().ShouldContain("fails the hash check at v1");
        json["badVersion"]!.GetValue<long>().ShouldBe(1);

        var events = await Server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{id}/events");
        events["chainIntact"]!.GetValue<bool>().ShouldBeFalse();
        (await store.GetStreamVersionAsync(id)).ShouldBe(4, "the refused action appended nothing");
    }

    [Fact]
    public async Task Auditors_read_but_cannot_write_and_strangers_get_nothing()
    {
        var id = (await ReceiveAsync())["id"]!.GetValue<string>();

        (await Server.Client("kiem-soat-01").PostJsonAsync($"/api/dossiers/{id}/return", new { })).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Server.Client("kiem-soat-01").GetAsync($"/api/dossiers/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Server.Client(null).GetAsync($"/api/dossiers/{id}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Server.Client(null).PostJsonAsync("/api/dossiers", PermitExtension)).Response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_public_lookup_shows_status_and_appointment_but_no_personal_data()
    {
        var receipt = await ReceiveAsync();
        var code = receipt["code"]!.GetValue<string>();

        var api = await Server.Client(null).GetStringAsync($"/api/track/{code}");
        var page = await Server.Client(null).GetStringAsync($"/track/{code}");

        api.ShouldContain("2026-05-06");
        api.ShouldNotContain("Nguyễn Văn An");
        api.ShouldNotContain("0912345678");
        page.ShouldContain("Đang giải quyết");
        page.ShouldNotContain("Nguyễn");
        (await Server.Client(null).GetAsync("/api/track/000.00.07.H13-990101-9999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Timers_send_one_apology_before_a_late_appointment_then_flag_the_dossier_overdue()
    {
        var id = (await ReceiveAsync())["id"]!.GetValue<string>();
        var auditor = Server.Client("kiem-soat-01");

        // Nobody at Sở Xây dựng acts. Tuesday 5/5 10:00 is within one working day of the appointment (6/5 09:00)
        // and the appraisal is already late: the timer (sweeping every 0.5 s) must issue the apology now.
        Server.Clock.Now = new DateTimeOffset(2026, 5, 5, 10, 0, 0, TimeSpan.FromHours(7));
        var apology = await WaitForAsync(auditor, id, s => s["letters"]!.AsArray().Any(l => l!["form"]!.GetValue<string>() == "04"));
        var newAppointment = DateTimeOffset.Parse(apology["appointmentAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        newAppointment.ShouldBeGreaterThan(new DateTimeOffset(2026, 5, 6, 9, 0, 0, TimeSpan.FromHours(7)));
        apology["overdue"]!.GetValue<bool>().ShouldBeFalse();

        // The new appointment passes too: the dossier is flagged overdue, and still only one apology exists.
        Server.Clock.Now = newAppointment.AddDays(3);
        var late = await WaitForAsync(auditor, id, s => s["overdue"]!.GetValue<bool>());

        var types = (await auditor.GetJsonAsync($"/api/dossiers/{id}/events"))["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        types.Count(t => t == "ApologyIssued").ShouldBe(1);
        types.ShouldContain("DossierOverdue");
        late["letters"]!.AsArray().Count(l => l!["form"]!.GetValue<string>() == "04").ShouldBe(1);
        (await auditor.GetJsonAsync("/api/dossiers?overdue=true")).AsArray().Select(d => d!["id"]!.GetValue<string>()).ShouldContain(id);
    }

    private static async Task<JsonNode> WaitForAsync(HttpClient client, string id, Func<JsonNode, bool> condition)
    {
        JsonNode state = await client.GetJsonAsync($"/api/dossiers/{id}");
        for (var i = 0; i < 120 && !condition(state); i++)
        {
            await Task.Delay(250);
            state = await client.GetJsonAsync($"/api/dossiers/{id}");
        }

        condition(state).ShouldBeTrue($"the timer did not act on {id}: {state.ToJsonString()}");
        return state;
    }

    [Fact]
    public async Task Two_dossiers_received_the_same_day_get_consecutive_codes()
    {
        var a = (await ReceiveAsync())["code"]!.GetValue<string>();
        var b = (await ReceiveAsync())["code"]!.GetValue<string>();

        var seqA = int.Parse(a[^4..], System.Globalization.CultureInfo.InvariantCulture);
        int.Parse(b[^4..], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(seqA + 1);
    }

    [Fact]
    public async Task Unknown_dossier_procedure_or_action_gets_a_clear_error()
    {
        var officer = Server.Client("cb-motcua-01");
        (await officer.GetAsync("/api/dossiers/nope")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var (unknownProcedure, json) = await officer.PostJsonAsync("/api/dossiers", new { procedure = new { code = "9.999999" }, applicant = new { name = "A" } });
        unknownProcedure.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        json.ShouldBeProblem(422, "unknown-procedure");
        json!["detailEn"]!.GetValue<string>().ShouldContain("9.999999");
        var (missing, m) = await officer.PostJsonAsync("/api/dossiers", new { applicant = new { name = "A" } });
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        m.ShouldBeProblem(400, "invalid-body");
        m!["detailEn"]!.GetValue<string>().ShouldContain("procedure.code");
        using var bad = new StringContent("{ not json", Encoding.UTF8, "application/json");
        (await officer.PostAsync("/api/dossiers", bad)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Each_command_takes_only_its_own_fields_names_a_missing_one_and_an_unknown_command_lists_the_commands()
    {
        var receipt = await ReceiveAsync();
        var id = receipt["id"]!.GetValue<string>();
        var counter = Server.Client("cb-motcua-01");
        var department = Server.Client("cb-sxd-01");
        Server.Clock.Now = ServerFixture.Start.AddHours(2);

        // The step is what `complete` needs: without it nothing is decided, and the answer says which field.
        var (noStep, missing) = await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { outcome = "approved" });
        noStep.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        missing.ShouldBeProblem(400, "invalid-body");
        missing!["detailEn"]!.GetValue<string>().ShouldContain("'step'");

        // A field of another command (a rating's score on a step) is not silently ignored.
        var (foreign, unknown) = await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", score = 5 });
        foreign.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknown!["detailEn"]!.GetValue<string>().ShouldBe("unknown property 'score' at $.score");

        // Nothing of the above was written: the dossier is where the receipt left it.
        var dossier = JsonNode.Parse(await counter.GetStringAsync($"/api/dossiers/{id}"))!;
        dossier["version"]!.GetValue<long>().ShouldBe(receipt["version"]!.GetValue<long>());

        var (unknownCommand, list) = await counter.PostJsonAsync($"/api/dossiers/{id}/approve", new { });
        unknownCommand.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        list.ShouldBeProblem(404, "not-found");
        list!["detailEn"]!.GetValue<string>().ShouldBe("unknown action 'approve'; expected one of receive, refuse, complete, request-supplement, supplement, return, withdraw, evaluate, apologize");

        // A withdrawal needs no body at all; it answers with the dossier as it now stands and its version in ETag.
        using var empty = new HttpRequestMessage(HttpMethod.Post, $"/api/dossiers/{id}/withdraw");
        var withdrawn = await counter.SendAsync(empty);
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync());
        var after = JsonNode.Parse(await withdrawn.Content.ReadAsStringAsync())!;
        after["status"]!.GetValue<string>().ShouldBe("withdrawn");
        withdrawn.Headers.ETag!.Tag.ShouldBe($"\"{after["version"]!.GetValue<long>()}\"");
    }

    [Fact]
    public async Task A_receipt_answers_201_with_where_the_new_dossier_is()
    {
        Server.Clock.Now = ServerFixture.Start;
        var (response, json) = await Server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", PermitExtension);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var location = response.Headers.Location!.ToString();
        location.ShouldBe($"/api/dossiers/{Uri.EscapeDataString(json!["id"]!.GetValue<string>())}");
        var dossier = JsonNode.Parse(await Server.Client("kiem-soat-01").GetStringAsync(location))!;
        dossier["code"]!.GetValue<string>().ShouldBe(json["code"]!.GetValue<string>());
        dossier["letters"]!.AsArray().Count.ShouldBe(1);
    }
}

[Collection("sqlite-server")]
public sealed class SqliteServerTests(SqliteServerFixture server) : ServerTests<SqliteServerFixture>(server), IClassFixture<SqliteServerFixture>;

[Collection("postgres-server")]
public sealed class PostgresServerTests(PostgresServerFixture server) : ServerTests<PostgresServerFixture>(server), IClassFixture<PostgresServerFixture>;
