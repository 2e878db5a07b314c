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

    private static void ShouldCarrySecurityHeaders(HttpResponseMessage response, string what, string frameAncestors = "'none'")
    {
        string Header(string name) =>
            response.Headers.TryGetValues(name, out var v) || response.Content.Headers.TryGetValues(name, out v) ? string.Join(", ", v) : "";
        var csp = Header("Content-Security-Policy");
        csp.ShouldContain("script-src 'self';", Case.Sensitive, $"{what}: {csp}");
        csp.ShouldContain($"frame-ancestors {frameAncestors}", Case.Sensitive, what);
        csp.ShouldContain("object-src 'none'", Case.Sensitive, what);
        csp.ShouldNotContain("unsafe-eval", Case.Sensitive, what);
        Header("X-Content-Type-Options").ShouldBe("nosniff", what);
        Header("Referrer-Policy").ShouldBe("no-referrer", what);
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers_api_answers_are_not_stored_and_a_401_says_bearer()
    {
        var (id, _) = await ReceiveAsync();
        var anonymous = server.Client(null);

        // The pages and what they load: only the server's own scripts, framed by nobody.
        var page = await anonymous.GetAsync("/designer/");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldCarrySecurityHeaders(page, "/designer/");
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldNotContain("<script>", Case.Insensitive, "no inline script: the policy would block it");
        var asset = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        asset.ShouldNotBeEmpty(html);
        ShouldCarrySecurityHeaders(await anonymous.GetAsync(asset), asset);
        ShouldCarrySecurityHeaders(await anonymous.GetAsync($"/track/{Uri.EscapeDataString(id)}"), "/track");
        ShouldCarrySecurityHeaders(await anonymous.GetAsync("/openapi/v1.json"), "/openapi/v1.json");
        ShouldCarrySecurityHeaders(await anonymous.GetAsync("/no-such-page"), "404");

        // API answers carry personal data: never stored by a browser or a proxy.
        var officer = server.Client("cb-motcua-01");
        foreach (var url in new[] { $"/api/dossiers/{id}", $"/api/dossiers/{id}/events", "/api/dossiers?limit=5" })
        {
            var answer = await officer.GetAsync(url);
            answer.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            ShouldCarrySecurityHeaders(answer, url);
            answer.Headers.CacheControl!.NoStore.ShouldBeTrue(url);
        }

        // A letter may be shown in a frame of the server's own pages (the workspace prints from one), no one else's.
        var letter = await officer.GetAsync($"/api/dossiers/{id}/letters/1");
        letter.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldCarrySecurityHeaders(letter, "letter", "'self'");
        letter.Headers.CacheControl!.NoStore.ShouldBeTrue();

        // 401 tells the client how to authenticate, whether the token is missing, unknown or malformed.
        foreach (var (what, authorization) in new[] { ("none", (string?)null), ("unknown", "Bearer not-a-token"), ("basic", "Basic YWRtaW46YWRtaW4=") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dossiers");
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            var refused = await anonymous.SendAsync(request);
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, what);
            refused.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer", what);
            ShouldCarrySecurityHeaders(refused, "401 " + what);
        }

        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = System.Net.Http.Json.JsonContent.Create(new { token = "not-a-token" }) };
        signIn.Headers.Add(ProcedureEngine.Host.Web.Security.Sessions.CsrfHeader, "1");
        var session = await anonymous.SendAsync(signIn);
        session.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, await session.Content.ReadAsStringAsync());
        session.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_portal_account_sees_only_the_submissions_it_lodged()
    {
        var path = Path.Combine(server.Root, "users.yaml");
        var other = ProcedureEngine.Host.Web.Security.UserFile.Add(path, "cong-dvc-tinh-khac", null, ProcedureEngine.Host.Web.Security.UserRole.Portal, null);
        using var otherPortal = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        otherPortal.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other);
        try
        {
            var (lodged, submission) = await server.Client("cong-dvc").PostJsonAsync("/api/dossiers/online", Permit());
            lodged.StatusCode.ShouldBe(HttpStatusCode.Created, submission?.ToJsonString());
            var online = submission!["id"]!.GetValue<string>();

            (await server.Client("cong-dvc").GetAsync($"/api/dossiers/online/{online}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var foreign = await otherPortal.GetAsync($"/api/dossiers/online/{online}");
            foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound, "another portal account does not even learn that the submission exists");
            (await foreign.Content.ReadAsStringAsync()).ShouldNotContain("Nguyễn");

            // Its own submissions it follows as before.
            var (mine, own) = await otherPortal.PostJsonAsync("/api/dossiers/online", Permit(name: "Trần Thị Bình"));
            mine.StatusCode.ShouldBe(HttpStatusCode.Created, own?.ToJsonString());
            (await otherPortal.GetAsync($"/api/dossiers/online/{own!["id"]!.GetValue<string>()}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await server.Client("cong-dvc").GetAsync($"/api/dossiers/online/{own["id"]!.GetValue<string>()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        finally
        {
            ProcedureEngine.Host.Web.Security.UserFile.Remove(path, "cong-dvc-tinh-khac");
        }
    }

    [Fact]
    public async Task A_withdrawn_or_refused_dossier_is_listed_under_no_agency_and_verify_read_models_finds_the_store_healthy()
    {
        // Both are at Sở Xây dựng's appraisal when they end: one withdrawn at the counter, one refused by the appraisal.
        var (withdrawn, _) = await ReceiveAsync();
        var (refused, _) = await ReceiveAsync();
        var (working, _) = await ReceiveAsync();
        await Act("cb-motcua-01", withdrawn, "withdraw", new { reason = "Công dân rút hồ sơ" });
        await Act("cb-sxd-01", refused, "complete", new { step = "appraise", outcome = "rejected", note = "Công trình không thuộc diện gia hạn" });

        var listed = (await server.Client("kiem-soat-01").GetJsonAsync("/api/dossiers?agency=so-xay-dung&limit=1000")).AsArray()
            .Select(d => d!["id"]!.GetValue<string>()).ToList();
        listed.ShouldContain(working, "a dossier at its appraisal is Sở Xây dựng's");
        listed.ShouldNotContain(withdrawn, "a withdrawn dossier is no agency's work");
        listed.ShouldNotContain(refused, "a refused dossier is no agency's work");
        var finished = await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers?status=refused&limit=1000");
        finished.AsArray().Single(d => d!["id"]!.GetValue<string>() == refused)!["currentAgency"].ShouldBeNull();

        // The auditor's check recomputes every summary row from the events: the live store is healthy.
        var (exit, output, error) = Cli.Run(server.Root, ["verify", "--read-models", "--store", "sqlite", "--connection", Path.Combine(server.Root, "data", "procedure-engine.db")]);
        exit.ShouldBe(0, output + error);
        output.ShouldContain("match their events");
    }
}

/// <summary>
/// A dossier altered in the database (issue 10, item 8), on a server of its own: its broken chain would make every
/// store verification of a shared server fail.
/// </summary>
public sealed class TamperedDossierTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task A_tampered_dossier_shows_its_intact_events_the_first_bad_version_and_its_last_trusted_state()
    {
        server.Clock.Now = ServerFixture.Start;
        var (received, receipt) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", new
        {
            procedure = new { code = "1.013233" },
            applicant = new { name = "Nguyễn Văn An", phone = "0912345678" },
            documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
        });
        received.StatusCode.ShouldBe(HttpStatusCode.Created, receipt?.ToJsonString());
        var id = receipt!["id"]!.GetValue<string>();
        server.Clock.Now = ServerFixture.Start.AddDays(1);
        var (approved, state) = await server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" });
        approved.StatusCode.ShouldBe(HttpStatusCode.OK, state?.ToJsonString());
        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ProcedureEngine.EventStore.IEventStore>(server.App.Services);
        var completed = (await store.ReadStreamAsync(id)).Last(e => e.Type == "StepCompleted").Version;
        await using (var connection = await store.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            // Someone with database access turns the approval into a refusal.
            command.CommandText = $"UPDATE pe_events SET data = replace(data, 'approved', 'rejected') WHERE stream_id = '{id}' AND version = {completed}";
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var auditor = server.Client("kiem-soat-01");
        var events = await auditor.GetJsonAsync($"/api/dossiers/{id}/events");
        events["chainIntact"]!.GetValue<bool>().ShouldBeFalse();
        events["firstBadVersion"]!.GetValue<long>().ShouldBe(completed);
        events["events"]!.AsArray().Select(e => e!["seq"]!.GetValue<long>()).ShouldBe(Enumerable.Range(1, (int)completed - 1).Select(v => (long)v),
            "the intact events before the altered one are shown, nothing from it on");

        var dossier = await auditor.GetJsonAsync($"/api/dossiers/{id}");
        dossier["chainIntact"]!.GetValue<bool>().ShouldBeFalse();
        dossier["firstBadVersion"]!.GetValue<long>().ShouldBe(completed);
        dossier["status"]!.GetValue<string>().ShouldBe("inProgress", "the last trusted state, not an empty 'new' one");
        dossier["version"]!.GetValue<long>().ShouldBe(completed - 1);

        // Still frozen: nothing is decided on an altered history.
        var (response, json) = await server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "sign" });
        response.StatusCode.ShouldBe(HttpStatusCode.Locked, json?.ToJsonString());
    }
}

internal static class Pipe
{
    public static void Let<T>(this T value, Action<T> action) => action(value);
}
