using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// The officers' workspace (/workspace/) and the auditor's page (/audit/) in real Chromium against a real server,
/// each user doing what they do all day: the counter receives a dossier and prints form 01, an agency completes
/// its step and sees no other agency's actions, an auditor slides through a dossier's history and finds a
/// tampered one. Screens are saved under artifacts/screenshots/.
/// </summary>
public sealed class WorkspaceBrowserTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>, IAsyncLifetime
{
    private static int applicants;

    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        (playwright, browser) = await Browsers.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    private async Task<IPage> SignInAsync(string user, string path = "/workspace/")
    {
        // A browser set up as in a Vietnamese office: dates and times in the pickers read dd/MM/yyyy, 24 hours.
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "vi-VN", TimezoneId = "Asia/Ho_Chi_Minh" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + path);
        await Browsers.ShouldBeBuiltAsync(page);
        await page.FillAsync("#token", "token-" + user);
        await page.ClickAsync("#sign-in");
        await page.Locator("#who").WaitForAsync();
        return page;
    }

    /// <summary>At the counter: types a procedure's code into the search and picks it from the results.</summary>
    private static async Task ChooseProcedureAsync(IPage page, string code)
    {
        await page.FillAsync("#procedure-search", code);
        await page.ClickAsync($"#procedure-results button[data-code='{code}']");
    }

    private static string UniqueName(string family) => $"{family} Văn Khải {Interlocked.Increment(ref applicants)}";

    private async Task<(string Id, string Code)> ReceiveAsync(string applicant, DateTimeOffset at)
    {
        server.Clock.Now = at;
        var (response, json) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", new
        {
            procedure = new { code = "1.013233" },
            applicant = new { name = applicant, phone = "0912345678" },
            documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, json?.ToJsonString());
        return (json!["id"]!.GetValue<string>(), json["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_counter_officer_finds_the_procedure_without_accents_sees_the_appointment_before_confirming_and_prints_form_01()
    {
        server.Clock.Now = ServerFixture.Start;
        var page = await SignInAsync("cb-motcua-01");
        (await page.TextContentAsync("#who")).ShouldBe("Trần Thị Bình · cán bộ");
        await page.ClickAsync("#tab-receive");

        // Typed without accents, found with them.
        await page.FillAsync("#procedure-search", "gia han giay phep xay dung");
        var hit = page.Locator("#procedure-results button[data-code='1.013233']");
        await hit.WaitForAsync();
        (await hit.TextContentAsync() ?? "").ShouldContain("Gia hạn giấy phép xây dựng");
        await hit.ClickAsync();

        // Nothing ticked yet: the page says what is missing and that confirming would give form 02.
        var box = page.Locator("#appointment[data-complete='false']");
        await box.WaitForAsync();
        (await page.Locator("#missing li").CountAsync()).ShouldBe(2);
        (await page.TextContentAsync("#confirm-receipt")).ShouldBe("Lập phiếu hướng dẫn (mẫu 02)");

        await page.CheckAsync("#doc-chinh-giay-phep-xay-dung-da");
        await page.CheckAsync("#doc-don-de-nghi-gia-han-giay");
        // Friday 24/4/2026 09:00; 5 working days skip 27/4 (in lieu of Hùng Kings' day) and 30/4–1/5.
        await page.Locator("#preview-appointment", new() { HasText = "09:00 06/05/2026" }).WaitForAsync();
        (await page.TextContentAsync("#confirm-receipt")).ShouldBe("Xác nhận tiếp nhận");
        var applicant = UniqueName("Hoàng");
        await page.FillAsync("#applicant-name", applicant);
        await page.FillAsync("#applicant-phone", "0912345678");
        await Browsers.ScreenshotAsync(page, "workspace-counter-preview");

        await page.ClickAsync("#confirm-receipt");
        var summary = page.Locator("#receipt-summary", new() { HasText = "Đã tiếp nhận hồ sơ" });
        await summary.WaitForAsync();
        (await summary.TextContentAsync() ?? "").ShouldEndWith("hẹn trả kết quả 09:00 06/05/2026.");
        (await page.GetAttributeAsync("#receipt-result", "data-form")).ShouldBe("01");

        // The receipt opens in the page, ready to print, through the browser's session (no bearer header).
        var frame = page.FrameLocator("#letter-frame");
        await frame.Locator("body", new() { HasText = applicant }).WaitForAsync();
        (await frame.Locator("body").TextContentAsync() ?? "").ShouldContain("Mẫu số 01");
        await page.EvaluateAsync("() => { const w = document.getElementById('letter-frame').contentWindow; w.print = () => { w.document.body.dataset.printed = 'yes'; }; }");
        await page.ClickAsync("#print-letter");
        await frame.Locator("body[data-printed='yes']").WaitForAsync();
        await Browsers.ScreenshotAsync(page, "workspace-receipt-form01");

        var url = await page.GetAttributeAsync("#letter-open", "href") ?? "";
        var html = await page.Context.APIRequest.GetAsync(server.BaseUrl + url);
        html.Status.ShouldBe(200);
        var text = await html.TextAsync();
        text.ShouldContain("size: A5", customMessage: "form 01 is printed on A5");
        var pdf = await page.Context.APIRequest.GetAsync(server.BaseUrl + url + "?format=pdf");
        pdf.Status.ShouldBe(200);
        pdf.Headers["content-type"].ShouldBe("application/pdf");
        (await pdf.BodyAsync())[..4].ShouldBe("%PDF"u8.ToArray());

        // The same link opened in a fresh tab of the session prints too (the old answer was 401).
        var tab = await page.Context.NewPageAsync();
        var opened = await tab.GotoAsync(server.BaseUrl + url);
        opened!.Status.ShouldBe(200);
        (await tab.TextContentAsync("body") ?? "").ShouldContain(applicant);
    }

    [Fact]
    public async Task A_counter_officer_refuses_a_dossier_with_a_reason_and_prints_the_refusal_letter_form_03()
    {
        server.Clock.Now = ServerFixture.Start;
        var page = await SignInAsync("cb-motcua-01");
        await page.ClickAsync("#tab-receive");
        await ChooseProcedureAsync(page, "1.013233");
        await page.Locator("#appointment[data-complete='false']").WaitForAsync();
        var applicant = UniqueName("Lý");
        await page.FillAsync("#applicant-name", applicant);

        // No reason, no refusal: the reason is what the letter tells the applicant.
        await page.ClickAsync("#refuse-box summary");
        await page.ClickAsync("#confirm-refusal");
        await page.Locator("#status.error", new() { HasText = "Hãy ghi lý do từ chối" }).WaitForAsync();
        (await page.IsHiddenAsync("#receipt-result")).ShouldBeTrue("nothing was recorded");

        const string reason = "Công trình không thuộc thẩm quyền cấp phép của Sở Xây dựng.";
        await page.FillAsync("#refuse-reason", reason);
        await page.ClickAsync("#confirm-refusal");
        await page.Locator("#receipt-summary", new() { HasText = "Đã từ chối tiếp nhận hồ sơ" }).WaitForAsync();
        (await page.GetAttributeAsync("#receipt-result", "data-form")).ShouldBe("03");
        (await page.IsHiddenAsync("#receipt-dossier")).ShouldBeTrue("a refused dossier is not opened for work");
        var frame = page.FrameLocator("#letter-frame");
        await frame.Locator("body", new() { HasText = "không thuộc thẩm quyền cấp phép của Sở Xây dựng" }).WaitForAsync();
        var letter = await frame.Locator("body").TextContentAsync() ?? "";
        letter.ShouldContain("Mẫu số 03");
        letter.ShouldContain(applicant);
        await Browsers.ScreenshotAsync(page, "workspace-counter-refusal-form03");
    }

    [Fact]
    public async Task A_conditional_document_appears_once_its_input_is_answered_and_an_incomplete_dossier_gets_the_guidance_letter_form_02()
    {
        server.Clock.Now = ServerFixture.Start;
        var page = await SignInAsync("cb-motcua-02");
        await page.ClickAsync("#tab-receive");
        // A procedure of the ministry's own one-stop unit is not offered at the province's counter.
        await page.FillAsync("#procedure-search", "1.0132");
        await page.Locator("#procedure-results button[data-code='1.013217']").WaitForAsync();
        (await page.Locator("#procedure-results button[data-code='1.013216']").CountAsync()).ShouldBe(0);
        await ChooseProcedureAsync(page, "1.013217");
        await page.Locator("#appointment[data-complete='false']").WaitForAsync();
        (await page.Locator("#documents [data-document='don-de-nghi-cap-chi-hanh']").CountAsync()).ShouldBe(0, "asked for only when lodged online");

        await page.SelectOptionAsync("#input-case\\.truong-hop-nop-truc-tuyen", "true");
        await page.Locator("#documents [data-document='don-de-nghi-cap-chi-hanh']").WaitForAsync();
        await Browsers.ScreenshotAsync(page, "workspace-counter-conditional");

        await page.FillAsync("#applicant-name", UniqueName("Đỗ"));
        await page.ClickAsync("#confirm-receipt");
        await page.Locator("#receipt-result:not([hidden]), #status.error").First.WaitForAsync();
        (await page.TextContentAsync("#status")).ShouldBe("Hồ sơ chưa đủ: đã lập Phiếu hướng dẫn hoàn thiện hồ sơ (mẫu 02).");
        (await page.GetAttributeAsync("#receipt-result", "data-form")).ShouldBe("02");
        await page.FrameLocator("#letter-frame").Locator("body", new() { HasText = "Mẫu số 02" }).WaitForAsync();
        (await page.IsHiddenAsync("#receipt-dossier")).ShouldBeTrue("a guidance letter opens no dossier");
    }

    [Fact]
    public async Task A_counter_officer_finds_an_online_submission_in_the_worklist_accepts_it_and_the_receipt_form_01_is_ready_to_print()
    {
        var family = "Trịnh" + Guid.NewGuid().ToString("N")[..4];
        server.Clock.Now = ServerFixture.Start;
        var (submitted, json) = await server.Client("cong-dvc").PostJsonAsync("/api/dossiers/online", new
        {
            procedure = new { code = "1.013233" },
            applicant = new { name = UniqueName(family), phone = "0912345678" },
            documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
        });
        submitted.StatusCode.ShouldBe(HttpStatusCode.Created, json?.ToJsonString());
        var id = json!["id"]!.GetValue<string>();

        var page = await SignInAsync("cb-motcua-01");
        var query = family.Replace("Trịnh", "trinh", StringComparison.Ordinal);
        await page.FillAsync("#q", query);
        await page.ClickAsync("#filters button[type=submit]");
        var row = page.Locator($"#rows[data-query='{query}'] tr[data-dossier='{id}'][data-work='accept']");
        await row.WaitForAsync();
        (await row.TextContentAsync() ?? "").ShouldContain("Tiếp nhận hồ sơ nộp trực tuyến");
        (await row.TextContentAsync() ?? "").ShouldContain("Chờ tiếp nhận");
        await Browsers.ScreenshotAsync(page, "workspace-online-submission");

        await row.Locator("a").ClickAsync();
        var accept = page.Locator("form.action[data-action='receive']");
        await accept.WaitForAsync();
        (await page.Locator("form.action[data-action='refuse']").CountAsync()).ShouldBe(1, "it may be refused instead, with a reason");
        (await page.Locator("#letters li").CountAsync()).ShouldBe(0, "nothing is issued before it is accepted");

        server.Clock.Now = ServerFixture.Start.AddHours(1);
        await accept.Locator("button[type=submit]").ClickAsync();
        var receipt = page.Locator("#letters li[data-form='01'] a.print-link");
        await receipt.WaitForAsync();
        (await page.TextContentAsync("#status")).ShouldBe("Đã ghi nhận.");
        var code = (await server.Client("cb-motcua-01").GetJsonAsync($"/api/dossiers/{id}"))["code"]!.GetValue<string>();
        (await page.TextContentAsync("#dossier-title")).ShouldBe("Hồ sơ " + code);
        (await page.Locator("form.action[data-action='receive']").CountAsync()).ShouldBe(0);

        // The receipt opens from the session (no bearer header) with the code the acceptance gave.
        var letter = await page.Context.APIRequest.GetAsync(server.BaseUrl + await receipt.GetAttributeAsync("href"));
        letter.Status.ShouldBe(200);
        (await letter.TextAsync()).ShouldContain(code);
        await Browsers.ScreenshotAsync(page, "workspace-online-accepted");
    }

    [Fact]
    public async Task After_the_result_is_returned_the_counter_records_the_applicants_rating_once()
    {
        var (id, _) = await ReceiveAsync(UniqueName("Vương"), ServerFixture.Start);
        var department = server.Client("cb-sxd-01");
        server.Clock.Now = ServerFixture.Start.AddHours(2);
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "sign" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.Client("cb-motcua-01").PostJsonAsync($"/api/dossiers/{id}/return", new { })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var page = await SignInAsync("cb-motcua-01", "/workspace/#dossier=" + Uri.EscapeDataString(id));
        var rate = page.Locator("form.action[data-action='evaluate']");
        await rate.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.ClickAsync("details:has(form.action[data-action='evaluate']) > summary");
        await rate.WaitForAsync();
        await rate.Locator("select[name='score']").SelectOptionAsync("4");
        await rate.Locator("input[name='comment']").FillAsync("Cán bộ hướng dẫn tận tình");
        await rate.Locator("button[type=submit]").ClickAsync();
        await page.Locator("#history li[data-type='DossierEvaluated']").WaitForAsync();
        (await page.TextContentAsync("#status")).ShouldBe("Đã ghi nhận.");
        (await page.Locator("form.action[data-action='evaluate']").CountAsync()).ShouldBe(0, "a dossier is rated once");
        (await server.Client("cb-motcua-01").GetJsonAsync($"/api/dossiers/{id}"))["score"]!.GetValue<int>().ShouldBe(4);
        await Browsers.ScreenshotAsync(page, "workspace-rating-recorded");
    }

    [Fact]
    public async Task An_auditor_picks_whose_worklist_to_read_and_an_officer_is_not_offered_the_choice()
    {
        var family = "Lạc" + Guid.NewGuid().ToString("N")[..4];
        var (id, _) = await ReceiveAsync(UniqueName(family), ServerFixture.Start);
        server.Clock.Now = ServerFixture.Start.AddHours(1);
        var query = family.Replace("Lạc", "lac", StringComparison.Ordinal);

        var auditor = await SignInAsync("kiem-soat-01");
        var picker = auditor.Locator("#agency-filter");
        await picker.Locator("option[value='so-xay-dung']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await picker.SelectOptionAsync("so-tai-chinh");
        await auditor.FillAsync("#q", query);
        await auditor.ClickAsync("#filters button[type=submit]");
        await auditor.Locator("#agency-name", new() { HasText = "Sở Tài chính" }).WaitForAsync();
        await auditor.Locator($"#rows[data-query='{query}']").WaitForAsync();
        (await auditor.Locator("#rows tr[data-dossier]").CountAsync()).ShouldBe(0, "the finance department has nothing of this dossier");

        await picker.SelectOptionAsync("so-xay-dung");
        await auditor.ClickAsync("#filters button[type=submit]");
        await auditor.Locator("#agency-name", new() { HasText = "Sở Xây dựng" }).WaitForAsync();
        await auditor.Locator($"#rows tr[data-dossier='{id}'][data-work='step/appraise']").WaitForAsync();
        await Browsers.ScreenshotAsync(auditor, "workspace-auditor-agency-picker");

        var officer = await SignInAsync("cb-sxd-01");
        await officer.Locator("#agency-name", new() { HasText = "Sở Xây dựng" }).WaitForAsync();
        (await officer.Locator("#agency-pick").IsHiddenAsync()).ShouldBeTrue("an officer reads its own agency's queue only");
    }

    [Fact]
    public async Task An_agency_officer_finds_its_waiting_step_completes_it_and_another_agency_sees_no_action_on_the_dossier()
    {
        var family = "Phan" + Guid.NewGuid().ToString("N")[..4];
        var late = await ReceiveAsync(UniqueName(family), ServerFixture.Start.AddDays(-30));
        var (id, code) = await ReceiveAsync(UniqueName(family), ServerFixture.Start);
        server.Clock.Now = ServerFixture.Start.AddHours(2);

        var page = await SignInAsync("cb-sxd-01");
        await page.Locator("#agency-name", new() { HasText = "Sở Xây dựng" }).WaitForAsync();
        var query = family.Replace("Phan", "phan", StringComparison.Ordinal);
        await page.FillAsync("#q", query);
        await page.ClickAsync("#filters button[type=submit]");
        var rows = page.Locator("#rows tr[data-dossier]");
        // The rows of this search, not the whole queue shown before it (which holds the dossier too).
        await page.Locator($"#rows[data-query='{query}'] tr[data-dossier='{id}']").WaitForAsync();
        (await rows.CountAsync()).ShouldBe(2);
        (await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.dossier)")).ShouldBe([late.Id, id], "due order");
        (await page.Locator($"#rows tr[data-dossier='{late.Id}'] [data-badge='overdue']").CountAsync()).ShouldBe(1);
        (await page.Locator($"#rows tr[data-dossier='{id}'] [data-badge]").CountAsync()).ShouldBe(0);
        await Browsers.ScreenshotAsync(page, "workspace-worklist");

        await page.SelectOptionAsync("#badge", "overdue");
        await page.ClickAsync("#filters button[type=submit]");
        await page.Locator($"#rows tr[data-dossier='{id}']").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.dossier)")).ShouldBe([late.Id]);
        await page.SelectOptionAsync("#badge", "");
        await page.ClickAsync("#filters button[type=submit]");

        await page.ClickAsync($"#rows tr[data-dossier='{id}'] a");
        var complete = page.Locator("form.action[data-action='complete'][data-step='appraise']");
        await complete.WaitForAsync();
        (await page.TextContentAsync("#dossier-title")).ShouldBe("Hồ sơ " + code);
        (await page.TextContentAsync("#steps tr[data-step='appraise']") ?? "").ShouldContain("Sở Xây dựng");
        await Browsers.ScreenshotAsync(page, "workspace-dossier-agency");

        server.Clock.Now = ServerFixture.Start.AddHours(3);
        await complete.Locator("select").SelectOptionAsync("approved");
        await complete.Locator("button[type=submit]").ClickAsync();
        await page.Locator("#steps tr[data-step='appraise'][data-status='done']").WaitForAsync();
        (await page.TextContentAsync("#steps tr[data-step='appraise']") ?? "").ShouldContain("Lê Văn Cường");
        (await page.TextContentAsync("#steps tr[data-step='appraise']") ?? "").ShouldContain("đúng hạn");
        (await page.TextContentAsync("#status")).ShouldBe("Đã ghi nhận.");
        await page.Locator("form.action[data-action='complete'][data-step='sign']").WaitForAsync();
        (await page.TextContentAsync("#history") ?? "").ShouldContain("Hoàn thành bước xử lý");

        // In English the page's own words switch; the names from the catalogue stay as the decision writes them.
        await page.ClickAsync("#lang");
        await page.Locator("h1", new() { HasText = "One-stop workspace" }).WaitForAsync();
        await page.Locator("#history", new() { HasText = "Step completed" }).WaitForAsync();
        (await page.TextContentAsync("#steps tr[data-step='appraise']") ?? "").ShouldContain("on time");
        await page.ClickAsync("#lang");
        await page.Locator("h1", new() { HasText = "Bàn làm việc một cửa" }).WaitForAsync();

        // The finance department and the counter open the same dossier: no step of the construction department is theirs.
        foreach (var other in new[] { "cb-stc-01", "cb-motcua-01" })
        {
            var theirs = await SignInAsync(other, $"/workspace/#dossier={Uri.EscapeDataString(id)}");
            await theirs.Locator("#steps tr[data-step='appraise'][data-status='done']").WaitForAsync();
            (await theirs.Locator("form.action[data-action='complete']").CountAsync()).ShouldBe(0, other);
            (await theirs.Locator("form.action[data-action='request-supplement']").CountAsync()).ShouldBe(0, other);
            if (other == "cb-stc-01")
            {
                (await theirs.TextContentAsync("#no-actions")).ShouldBe("Cơ quan của bạn không có việc gì với hồ sơ này lúc này.");
                await Browsers.ScreenshotAsync(theirs, "workspace-dossier-other-agency");
            }
        }

        // The control slip prints from the session, A5 as the form requires.
        var slip = await page.Context.APIRequest.GetAsync(server.BaseUrl + await page.GetAttributeAsync("#control-slip", "href"));
        slip.Status.ShouldBe(200);
        var slipText = await slip.TextAsync();
        slipText.ShouldContain("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ");
        slipText.ShouldContain("size: A5");
    }

    [Fact]
    public async Task An_auditor_slides_through_a_dossiers_history_and_a_tampered_dossier_is_flagged_with_its_last_trusted_state_and_by_the_store_verify()
    {
        var (id, code) = await ReceiveAsync(UniqueName("Trịnh"), ServerFixture.Start);
        server.Clock.Now = new DateTimeOffset(2026, 4, 28, 10, 0, 0, TimeSpan.FromHours(7));
        (await server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var page = await SignInAsync("kiem-soat-01", "/audit/");
        await page.FillAsync("#code", code);
        await page.ClickAsync("#find button[type=submit]");
        await page.Locator("#chain[data-intact='true']").WaitForAsync();
        (await page.TextContentAsync("#timeline-title") ?? "").ShouldStartWith(code);
        (await page.Locator("#events tr").CountAsync()).ShouldBeGreaterThan(2);
        (await page.TextContentAsync("#events") ?? "").ShouldContain("Tiếp nhận hồ sơ");
        await page.Locator("#state-steps li[data-step='appraise'][data-status='done']").WaitForAsync();

        // Back to the receipt: the appraisal was still under way then (the server's fold, as `replay --at`).
        await page.Locator("#slider").FillAsync("0");
        await page.Locator("#state-steps li[data-step='appraise'][data-status='active']").WaitForAsync();
        (await page.TextContentAsync("#at")).ShouldBe("09:00 24/04/2026");
        await Browsers.ScreenshotAsync(page, "audit-slider");
        await page.Locator("#slider").FillAsync("1");
        await page.Locator("#state-steps li[data-step='appraise'][data-status='done']").WaitForAsync();

        // The time picker: a minute before the completion.
        await page.FillAsync("#at-input", "2026-04-28T09:59");
        await page.ClickAsync("#at-go");
        await page.Locator("#state-steps li[data-step='appraise'][data-status='active']").WaitForAsync();

        // Sealed, then tampered with behind the engine's back.
        var sealRun = JsonNode.Parse(await (await server.Client("kiem-soat-01").PostAsync("/api/audit/verify", null)).Content.ReadAsStringAsync())!;
        var store = server.App.Services.GetRequiredService<IEventStore>();
        var completed = (await store.ReadStreamAsync(id)).Last(e => e.Type == "StepCompleted").Version;
        await using (var connection = await store.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE pe_events SET data = replace(data, 'approved', 'rejected') WHERE stream_id = '{id}' AND version = {completed}";
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        await page.ClickAsync("#find button[type=submit]");
        var chain = page.Locator("#chain[data-intact='false']");
        await chain.WaitForAsync();
        (await chain.TextContentAsync() ?? "").ShouldContain($"từ phiên bản {completed}");
        (await page.Locator("#events tr.bad").CountAsync()).ShouldBe((int)(await store.GetStreamVersionAsync(id) - completed + 1));
        (await page.Locator($"#events tr[data-version='{completed - 1}'].bad").CountAsync()).ShouldBe(0, "the events before it still verify");
        await page.Locator("#trusted-box").WaitForAsync();
        await page.Locator("#trusted-steps li[data-step='appraise'][data-status='active']").WaitForAsync();
        (await page.GetAttributeAsync("#trusted-status", "data-status")).ShouldBe("inProgress");

        // The store-wide verify against the seal taken before.
        await page.SetInputFilesAsync("#seal", new FilePayload { Name = "seal.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(sealRun["seal"]!.ToJsonString()) });
        await page.ClickAsync("#run-verify");
        await page.Locator("#verify-summary[data-intact='false']").WaitForAsync();
        await page.Locator($"#findings li[data-stream='{id}'][data-kind='altered']").WaitForAsync();
        (await page.TextContentAsync("#seal-comparison") ?? "").ShouldContain(sealRun["digest"]!.GetValue<string>()[..16]);
        await page.EvaluateAsync("() => document.getElementById('verify-title').scrollIntoView()");
        await Browsers.ScreenshotAsync(page, "audit-verify-seal");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await Browsers.ScreenshotAsync(page, "audit-tampered");

        // An officer is told the page is not theirs; the API refuses them anyway.
        var officer = await SignInAsync("cb-sxd-01", "/audit/");
        await officer.Locator("#not-auditor").WaitForAsync();
    }

    /// <summary>
    /// Bytes transferred (headers and bodies, fresh cache) from opening a page until its first useful content shows and
    /// its fonts are loaded, and the script files it fetched.
    /// </summary>
    private async Task<(long Bytes, int Requests, List<string> Files)> WeighAsync(string? user, string path, string useful)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        if (user is not null)
        {
            var signIn = await context.APIRequest.PostAsync(server.BaseUrl + "/api/session", new APIRequestContextOptions
            {
                Headers = new Dictionary<string, string> { ["X-PE-CSRF"] = "1" },
                DataObject = new { token = "token-" + user },
            });
            signIn.Status.ShouldBe(200);
        }

        var page = await context.NewPageAsync();
        var started = new List<IRequest>();
        var finished = new List<IRequest>();
        page.Request += (_, request) => { lock (started) { started.Add(request); } };
        page.RequestFinished += (_, request) => { lock (finished) { finished.Add(request); } };
        page.RequestFailed += (_, request) => { lock (finished) { finished.Add(request); } };
        await page.GotoAsync(server.BaseUrl + path);
        await page.Locator(useful).First.WaitForAsync();

        // The bundled fonts are fetched when text that needs a subset is laid out, so whether a subset is counted
        // depended on how fast the machine rendered (a CI run counted the shell at 132 KB, a loaded one at 164 KB).
        // Count what the page has fetched once its fonts are loaded and every request it started has ended.
        await page.EvaluateAsync("() => document.fonts.ready.then(() => true)");
        List<IRequest> pending;
        lock (started)
        {
            pending = [.. started];
        }

        foreach (var request in pending)
        {
            var response = await request.ResponseAsync();
            if (response is not null)
            {
                await response.FinishedAsync();
            }
        }

        List<IRequest> done;
        lock (finished)
        {
            done = [.. finished.Distinct()];
        }

        long bytes = 0;
        foreach (var request in done)
        {
            var sizes = await request.SizesAsync();
            bytes += sizes.ResponseBodySize + sizes.ResponseHeadersSize + sizes.RequestHeadersSize + sizes.RequestBodySize;
        }

        await context.CloseAsync();
        return (bytes, done.Count, [.. done.Select(r => new Uri(r.Url).AbsolutePath).Where(p => p.EndsWith(".js", StringComparison.Ordinal))]);
    }

    [Fact]
    public async Task Each_workspace_page_adds_little_to_the_bare_sign_in_shell_and_fetches_none_of_the_designers_editor_or_diagram_code()
    {
        var (id, code) = await ReceiveAsync(UniqueName("Mai"), ServerFixture.Start);
        var pages = new (string Name, string? User, string Path, string Useful)[]
        {
            ("sign-in (baseline)", null, "/workspace/", "#token"),
            ("worklist", "cb-sxd-01", "/workspace/", "#rows tr[data-dossier]"),
            ("dossier", "cb-sxd-01", $"/workspace/#dossier={Uri.EscapeDataString(id)}", "form.action[data-action='complete']"),
            ("counter", "cb-motcua-01", "/workspace/#receive", "#procedure-search"),
            ("audit timeline", "kiem-soat-01", "/audit/?code=" + Uri.EscapeDataString(code), "#chain[data-intact]"),
            ("designer (for comparison)", "admin", "/designer/", "#procedures button"),
        };
        var report = new JsonObject();
        var weights = new Dictionary<string, long>();
        foreach (var (name, user, path, useful) in pages)
        {
            var (bytes, requests, files) = await WeighAsync(user, path, useful);
            weights[name] = bytes;
            report[name] = new JsonObject { ["bytes"] = bytes, ["requests"] = requests, ["scripts"] = new JsonArray([.. files.Select(f => (JsonNode)f)]) };
            if (!name.StartsWith("designer", StringComparison.Ordinal))
            {
                files.ShouldNotContain(f => f.Contains("/diagram-", StringComparison.Ordinal) || f.Contains("/editor-", StringComparison.Ordinal), $"{name}: {string.Join(", ", files)}");
            }
        }

        var shell = weights["sign-in (baseline)"];
        foreach (var (name, bytes) in weights.Where(w => w.Key != "sign-in (baseline)"))
        {
            report[name]!["ratioToSignIn"] = Math.Round((double)bytes / shell, 3);
        }

        Directory.CreateDirectory(Browsers.ArtifactsRoot);
        await File.WriteAllTextAsync(Path.Combine(Browsers.ArtifactsRoot, "workspace-page-weights.json"), report.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        // The shell (HTML, styles, the bundled font's subsets, the session code) is most of every page: the worklist,
        // the dossier page, the counter and the auditor's timeline each add their own code and first answers only.
        foreach (var (name, bytes) in weights.Where(w => !w.Key.StartsWith("designer", StringComparison.Ordinal) && w.Key != "sign-in (baseline)"))
        {
            ((double)bytes / shell).ShouldBeLessThan(1.5, report.ToJsonString());
        }
    }

    [Fact]
    public async Task Each_workspace_page_has_no_serious_or_critical_accessibility_violation()
    {
        var (id, code) = await ReceiveAsync(UniqueName("Lưu"), ServerFixture.Start);
        var failures = new List<string>();
        async Task ScanAsync(IPage page, string name)
        {
            var violations = await Browsers.AxeAsync(page);
            failures.AddRange(violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{name}: {v.Impact} {v.Id}: {v.Nodes}"));
        }

        var anonymous = await (await browser.NewContextAsync()).NewPageAsync();
        await anonymous.GotoAsync(server.BaseUrl + "/workspace/");
        await anonymous.Locator("#token").WaitForAsync();
        await ScanAsync(anonymous, "sign-in");

        var page = await SignInAsync("cb-sxd-01");
        await page.Locator("#rows tr[data-dossier]").First.WaitForAsync();
        await ScanAsync(page, "worklist");
        await page.GotoAsync(server.BaseUrl + $"/workspace/#dossier={Uri.EscapeDataString(id)}");
        await page.Locator("form.action[data-action='complete']").WaitForAsync();
        await ScanAsync(page, "dossier");

        var counter = await SignInAsync("cb-motcua-01");
        await counter.ClickAsync("#tab-receive");
        await ChooseProcedureAsync(counter, "1.013217");
        await counter.Locator("#appointment[data-complete='false']").WaitForAsync();
        await ScanAsync(counter, "counter");

        var auditor = await SignInAsync("kiem-soat-01", "/audit/?code=" + Uri.EscapeDataString(code));
        await auditor.Locator("#chain[data-intact]").WaitForAsync();
        await ScanAsync(auditor, "audit");

        failures.ShouldBeEmpty(string.Join("\n", failures));
    }
}
