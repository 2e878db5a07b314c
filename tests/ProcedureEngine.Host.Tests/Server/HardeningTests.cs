using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// What a hostile or careless caller tried (issue 10), through the HTTP API: who may do what (docs/http-api.md),
/// Idempotency-Key bound to its request, the apology's bound, known jurisdictions only, field limits.
/// </summary>
public sealed class HardeningTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    // 1.013233 — extension of a construction permit: 5 working days; Sở Xây dựng appraises and signs, the one-stop centre receives and returns.
    private static object Permit(string name = "Nguyễn Văn An", string? jurisdiction = null, string? refuse = null) => new
    {
        procedure = new { code = "1.013233" },
        jurisdiction,
        applicant = new { name, phone = "0912345678" },
        documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
        refuse,
    };

    private async Task<(string Id, JsonNode Json)> ReceiveAsync()
    {
        server.Clock.Now = ServerFixture.Start;
        var (response, json) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", Permit());
        response.StatusCode.ShouldBe(HttpStatusCode.Created, json?.ToJsonString());
        return (json!["id"]!.GetValue<string>(), json);
    }

    private async Task<long> VersionAsync(string id) => (await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{id}"))["version"]!.GetValue<long>();

    private static void Refused(HttpResponseMessage response, JsonNode? json, string rule)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, json?.ToJsonString());
        json.ShouldBeProblem(422, rule);
    }

    private async Task Act(string user, string id, string action, object body, string? rule = null)
    {
        var before = await VersionAsync(id);
        var (response, json) = await server.Client(user).PostJsonAsync($"/api/dossiers/{id}/{action}", body);
        if (rule is null)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{user} {action}: {json?.ToJsonString()}");
        }
        else
        {
            Refused(response, json, rule);
            (await VersionAsync(id)).ShouldBe(before, "a refused action writes nothing");
        }
    }

    [Fact]
    public async Task Only_the_one_stop_unit_holding_the_dossier_records_a_withdrawal_a_supplement_or_an_evaluation()
    {
        // Sở Tài chính plays no part in a construction permit; Sở Xây dựng appraises it but does not speak for the applicant.
        var (withdrawn, _) = await ReceiveAsync();
        await Act("cb-stc-01", withdrawn, "withdraw", new { reason = "Rút" }, "wrong-agency");
        await Act("cb-sxd-01", withdrawn, "withdraw", new { reason = "Rút" }, "wrong-agency");
        await Act("cb-motcua-01", withdrawn, "withdraw", new { reason = "Công dân rút hồ sơ" });

        var (supplemented, _) = await ReceiveAsync();
        await Act("cb-stc-01", supplemented, "request-supplement", new { step = "appraise", documents = new[] { "don-de-nghi-gia-han-giay" }, reason = "Bổ sung" }, "wrong-agency");
        await Act("cb-sxd-01", supplemented, "request-supplement", new { step = "appraise", documents = new[] { "don-de-nghi-gia-han-giay" }, reason = "Đơn thiếu chữ ký" });
        await Act("cb-stc-01", supplemented, "supplement", new { documents = new[] { "don-de-nghi-gia-han-giay" } }, "wrong-agency");
        await Act("cb-sxd-01", supplemented, "supplement", new { documents = new[] { "don-de-nghi-gia-han-giay" } }, "wrong-agency");
        await Act("cb-motcua-01", supplemented, "supplement", new { documents = new[] { "don-de-nghi-gia-han-giay" } });

        var (evaluated, _) = await ReceiveAsync();
        await Act("cb-motcua-01", evaluated, "complete", new { step = "appraise", outcome = "approved" }, "wrong-agency");
        await Act("cb-sxd-01", evaluated, "complete", new { step = "appraise", outcome = "approved" });
        await Act("cb-sxd-01", evaluated, "complete", new { step = "sign" });
        await Act("cb-sxd-01", evaluated, "return", new { }, "wrong-agency");
        await Act("cb-motcua-01", evaluated, "return", new { });
        await Act("cb-stc-01", evaluated, "evaluate", new { score = 1 }, "wrong-agency");
        await Act("cb-motcua-01", evaluated, "evaluate", new { score = 5 });
    }

    [Fact]
    public async Task Who_may_do_what_each_row_of_the_table_with_one_allowed_and_one_refused_caller()
    {
        server.Clock.Now = ServerFixture.Start;

        // Receipt and refusal at the counter: a one-stop officer; a department's officer is not the counter, others have no such role.
        (await server.Client("cb-sxd-01").PostJsonAsync("/api/dossiers", Permit())).Let(r => Refused(r.Response, r.Json, "not-one-stop"));
        (await server.Client("kiem-soat-01").PostJsonAsync("/api/dossiers", Permit())).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.Client("cong-dvc").PostJsonAsync("/api/dossiers", Permit())).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.Client(null).PostJsonAsync("/api/dossiers", Permit())).Response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await server.Client("cb-sxd-01").PostJsonAsync("/api/dossiers", Permit(refuse: "Không thuộc thẩm quyền"))).Let(r => Refused(r.Response, r.Json, "not-one-stop"));
        (await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", Permit(refuse: "Không thuộc thẩm quyền"))).Response.StatusCode.ShouldBe(HttpStatusCode.Created);

        // Online: the portal lodges, an officer cannot; a one-stop officer accepts, a department cannot.
        (await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers/online", Permit())).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (lodged, submission) = await server.Client("cong-dvc").PostJsonAsync("/api/dossiers/online", Permit());
        lodged.StatusCode.ShouldBe(HttpStatusCode.Created, submission?.ToJsonString());
        var online = submission!["id"]!.GetValue<string>();
        await Act("cb-sxd-01", online, "receive", new { }, "not-one-stop");
        await Act("cb-motcua-01", online, "receive", new { });

        // Steps: the step's agency; apology: the agency at fault or the one-stop unit.
        var (id, _) = await ReceiveAsync();
        await Act("cb-stc-01", id, "apologize", new { agencyAtFault = "so-xay-dung", reason = "Chậm" }, "wrong-agency");
        await Act("cb-sxd-01", id, "apologize", new { reason = "Cần kiểm tra thực địa" });

        // Reads: officers, auditors, admins; the portal only its own submissions; nobody without a token.
        (await server.Client("kiem-soat-01").GetAsync($"/api/dossiers/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.Client("cong-dvc").GetAsync($"/api/dossiers/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.Client(null).GetAsync($"/api/dossiers/{id}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Definitions: only an administrator saves drafts.
        (await server.Client("admin").GetAsync("/api/definitions/drafts")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.Client("cb-motcua-01").GetAsync("/api/definitions/drafts")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_idempotency_key_reused_with_another_body_action_or_user_is_refused_and_writes_nothing()
    {
        server.Clock.Now = ServerFixture.Start;
        var counter = server.Client("cb-motcua-01");
        var key = "receipt-" + Guid.NewGuid();
        var (first, created) = await counter.PostJsonAsync("/api/dossiers", Permit(), idempotencyKey: key);
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = created!["id"]!.GetValue<string>();
        var total = (await server.Client("kiem-soat-01").GetJsonAsync("/api/dossiers?limit=1000")).AsArray().Count;

        // The same request again: the first answer. Another body under the key: refused, naming the key, nothing created.
        var (again, replayed) = await counter.PostJsonAsync("/api/dossiers", Permit(), idempotencyKey: key);
        again.StatusCode.ShouldBe(HttpStatusCode.Created);
        replayed!["id"]!.GetValue<string>().ShouldBe(id);
        var (other, refusal) = await counter.PostJsonAsync("/api/dossiers", Permit(name: "Trần Thị Khác"), idempotencyKey: key);
        Refused(other, refusal, "idempotency-key-reused");
        refusal!["idempotencyKey"]!.GetValue<string>().ShouldBe(key);
        (await server.Client("kiem-soat-01").GetJsonAsync("/api/dossiers?limit=1000")).AsArray().Count.ShouldBe(total);

        // Actions: the key is the dossier's; another action, another body or another user under it is refused.
        var actionKey = "act-" + Guid.NewGuid();
        var department = server.Client("cb-sxd-01");
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" }, idempotencyKey: actionKey))
            .Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var version = await VersionAsync(id);
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" }, idempotencyKey: actionKey))
            .Response.Headers.GetValues("Idempotent-Replayed").ShouldContain("true");
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "sign" }, idempotencyKey: actionKey))
            .Let(r => Refused(r.Response, r.Json, "idempotency-key-reused"));
        (await department.PostJsonAsync($"/api/dossiers/{id}/request-supplement", new { step = "appraise", documents = new[] { "don-de-nghi-gia-han-giay" }, reason = "x" }, idempotencyKey: actionKey))
            .Let(r => Refused(r.Response, r.Json, "idempotency-key-reused"));
        (await server.Client("cb-motcua-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" }, idempotencyKey: actionKey))
            .Let(r => Refused(r.Response, r.Json, "idempotency-key-reused"));
        (await VersionAsync(id)).ShouldBe(version);
    }

    [Fact]
    public async Task An_apology_cannot_set_an_appointment_beyond_the_current_one_plus_the_procedures_time_limit()
    {
        var (id, receipt) = await ReceiveAsync();
        receipt["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-06T09:00:00+07:00");

        // 06/05 09:00 plus 5 working days is 13/05 09:00: year 9999 would make the dossier never overdue.
        var (response, json) = await server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/apologize",
            new { reason = "Chậm thẩm định", newAppointmentAt = "9999-12-31T09:00:00+07:00" });
        Refused(response, json, "appointment-beyond-bound");
        json!["detail"]!.GetValue<string>().ShouldContain("09:00 ngày 13/05/2026");
        json["detail"]!.GetValue<string>().ShouldContain("Nghị định");
        await Act("cb-sxd-01", id, "apologize", new { reason = "Chậm", newAppointmentAt = "2026-05-13T09:01:00+07:00" }, "appointment-beyond-bound");
        await Act("cb-sxd-01", id, "apologize", new { reason = "Chậm", newAppointmentAt = "2026-05-06T08:00:00+07:00" }, "appointment-not-later");

        await Act("cb-sxd-01", id, "apologize", new { reason = "Cần kiểm tra thực địa", newAppointmentAt = "2026-05-13T09:00:00+07:00" });
        (await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{id}"))["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-13T09:00:00+07:00");
    }

    [Fact]
    public async Task A_dossier_is_promised_its_cases_own_limit_on_the_receipt_and_in_the_designer_preview()
    {
        // 1.009794 (acceptance check of construction works): 16 working days for grade special/I, 12 for the others.
        server.Clock.Now = ServerFixture.Start;
        object Body(string grade) => new
        {
            procedure = new { code = "1.009794" },
            applicant = new { name = "Công ty Xây dựng An Phát" },
            inputs = new Dictionary<string, string> { ["works.grade"] = grade },
            documents = new[] { "danh-muc-ho-hoan-thanh-cong", "bao-cao-hoan-thanh-thi-cong" },
        };
        var (lowResponse, low) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", Body("III"));
        lowResponse.StatusCode.ShouldBe(HttpStatusCode.Created, low?.ToJsonString());
        // Friday 24/4 09:00 + 12 working days (27/4, 30/4 and 1/5 off) = Friday 15/5 09:00; the receipt prints the case's limit.
        low!["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-15T09:00:00+07:00");
        low["letter"]!["text"]!.GetValue<string>().ShouldContain("12 ngày làm việc");
        var (highResponse, high) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", Body("I"));
        highResponse.StatusCode.ShouldBe(HttpStatusCode.Created, high?.ToJsonString());
        high!["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-21T09:00:00+07:00");

        var yaml = await File.ReadAllTextAsync(Path.Combine(server.DefinitionsRoot, "construction-quality", "1.009794.yaml"));
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        var validated = await server.Client("admin").PostAsync("/api/definitions/validate", content);
        var result = JsonNode.Parse(await validated.Content.ReadAsStringAsync())!;
        var cases = result["preview"]!["cases"]!.AsArray();
        cases.Count.ShouldBe(1, result.ToJsonString());
        cases[0]!["id"]!.GetValue<string>().ShouldBe("other-grades");
        cases[0]!["timeLimit"]!.GetValue<string>().ShouldBe("12 working days");
        cases[0]!["appointmentAt"]!.GetValue<string>().ShouldNotBeNull();
    }

    [Theory]
    [InlineData("Son-Ha")]
    [InlineData("sonha")]
    [InlineData("../../x")]
    public async Task An_unknown_jurisdiction_is_refused_with_the_known_ones_instead_of_dropping_the_local_limit(string jurisdiction)
    {
        server.Clock.Now = ServerFixture.Start;
        foreach (var (user, url) in new[] { ("cb-motcua-01", "/api/dossiers"), ("cong-dvc", "/api/dossiers/online") })
        {
            var (response, json) = await server.Client(user).PostJsonAsync(url, Permit(jurisdiction: jurisdiction));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, json?.ToJsonString());
            json.ShouldBeProblem(400, "invalid-body");
            json!["detailEn"]!.GetValue<string>().ShouldContain("son-ha");
            json["detailEn"]!.GetValue<string>().ShouldContain(jurisdiction);
        }

        // The known one applies the province's reduction: 4 working days instead of 5.
        var (ok, receipt) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", Permit(jurisdiction: "son-ha"));
        ok.StatusCode.ShouldBe(HttpStatusCode.Created, receipt?.ToJsonString());
        receipt!["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-05T09:00:00+07:00");
    }

    [Fact]
    public async Task Applicant_fields_over_their_limit_or_with_control_characters_are_refused_and_text_is_stored_in_nfc()
    {
        server.Clock.Now = ServerFixture.Start;
        var counter = server.Client("cb-motcua-01");
        var total = (await server.Client("kiem-soat-01").GetJsonAsync("/api/dossiers?limit=1000")).AsArray().Count;

        var (huge, hugeJson) = await counter.PostJsonAsync("/api/dossiers", Permit(name: new string('A', 3_000_000)));
        huge.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        hugeJson.ShouldBeProblem(400, "invalid-body");
        hugeJson!["detailEn"]!.GetValue<string>().ShouldContain("applicant.name: at most 200 characters");
        (await counter.PostJsonAsync("/api/dossiers", Permit(name: new string('A', 201)))).Response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await counter.PostJsonAsync("/api/dossiers", Permit(name: "Nguyễn\u0001Văn An"))).Let(r =>
        {
            r.Response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            r.Json!["detailEn"]!.GetValue<string>().ShouldContain("U+0001");
        });
        (await server.Client("cong-dvc").PostJsonAsync("/api/dossiers/online", Permit(name: "An\u001b[31m"))).Response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // Duplicate keys: which one would count is a guess; refused.
        using (var duplicate = new StringContent("""{"procedure":{"code":"1.013233"},"applicant":{"name":"A","name":"B"},"documents":[]}""", Encoding.UTF8, "application/json"))
        {
            (await counter.PostAsync("/api/dossiers", duplicate)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        (await server.Client("kiem-soat-01").GetJsonAsync("/api/dossiers?limit=1000")).AsArray().Count.ShouldBe(total, "nothing refused was stored");

        // A name typed with combining marks is stored precomposed (NFC), as the same name typed on another keyboard.
        var decomposed = "Nguyễn Văn An".Normalize(NormalizationForm.FormD);
        var (ok, receipt) = await counter.PostJsonAsync("/api/dossiers", Permit(name: decomposed));
        ok.StatusCode.ShouldBe(HttpStatusCode.Created, receipt?.ToJsonString());
        var text = receipt!["letter"]!["text"]!.GetValue<string>();
        text.ShouldContain("Nguyễn Văn An".Normalize(NormalizationForm.FormC));
        text.ShouldNotContain(decomposed);

        // Action text too: a 2,001-character reason is refused.
        var id = receipt["id"]!.GetValue<string>();
        (await server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/apologize", new { reason = new string('x', 2001) }))
            .Response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}

internal static class Pipe
{
    public static void Let<T>(this T value, Action<T> action) => action(value);
}
