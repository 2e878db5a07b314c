using System.Text.Json;
using Microsoft.Playwright;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// The designer (designer/, built by test.sh into designer/dist) in real Chromium (Debian's, installed by ./test.sh),
/// against a real server. Each screen is saved under artifacts/screenshots/.
/// </summary>
public sealed class DesignerBrowserTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>, IAsyncLifetime
{
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private readonly List<IPage> pages = [];

    public async Task InitializeAsync()
    {
        (playwright, browser) = await Browsers.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        // Every page of every test ran under the server's Content-Security-Policy: none may have been refused anything.
        var violations = new List<string>();
        foreach (var page in pages.Where(p => !p.IsClosed))
        {
            violations.AddRange(await Browsers.CspViolationsAsync(page));
        }

        await browser.DisposeAsync();
        playwright.Dispose();
        violations.ShouldBeEmpty("Content-Security-Policy violations reported by the page");
    }

    private async Task<IPage> SignInAsync(string user = "admin", ViewportSize? viewport = null)
    {
        var context = await Browsers.NewContextAsync(browser, viewport ?? new ViewportSize { Width = 1280, Height = 720 });
        var page = await context.NewPageAsync();
        pages.Add(page);
        await page.GotoAsync(server.BaseUrl + "/designer/");
        await Browsers.ShouldBeBuiltAsync(page);
        await page.FillAsync("#token", "token-" + user);
        await page.ClickAsync("#sign-in");
        await page.Locator("#who").WaitForAsync();
        return page;
    }

    private static async Task OpenAsync(IPage page, string code, int version = 1)
    {
        await page.FillAsync("#filter", code);
        await page.ClickAsync($"#procedures button:has-text('{code}')");
        await page.Locator("#opened", new() { HasText = $"{code} v{version}" }).WaitForAsync();
        await page.Locator("#validity", new() { HasText = "Hợp lệ." }).WaitForAsync();
    }

    /// <summary>Published versions open read-only: "Phiên bản mới" gives the editable next version (its text is returned).</summary>
    private async Task<string> NewVersionAsync(IPage page, string code)
    {
        await page.ClickAsync("#new-version");
        await page.Locator("#status", new() { HasText = "Bản nháp phiên bản" }).WaitForAsync();
        return await server.Client("admin").GetStringAsync($"/api/definitions/{code}/versions/1/next");
    }

    /// <summary>Replaces the editor's whole text as a user would: select all, then type (inserted as one input).</summary>
    private static async Task TypeIntoEditorAsync(IPage page, string text)
    {
        // Focused by the element, not by a click at coordinates: a click can land beside the editor while the
        // page is still laying out what an open rendered (history, diagram), and the keys then go nowhere.
        await page.FocusAsync("#editor .cm-content");
        await page.Locator("#editor .cm-editor.cm-focused").WaitForAsync();
        await page.Keyboard.PressAsync("Control+a");
        await page.Keyboard.InsertTextAsync(text);
    }

    private Task<string> PublishedTextAsync(string code, int version) =>
        server.Client("admin").GetStringAsync($"/api/definitions/{code}/versions/{version}");

    [Fact]
    public async Task On_a_390_pixel_phone_the_designer_reads_a_procedure_and_its_diagram_without_offering_to_edit_or_publish()
    {
        var page = await SignInAsync(viewport: new ViewportSize { Width = 390, Height = 844 });
        await page.Locator("#procedures button").First.WaitForAsync();
        await OpenAsync(page, "1.013233");
        await page.Locator("#appointment", new() { HasText = "2026-05-06T09:00:00+07:00" }).WaitForAsync();
        await page.Locator("#panel-diagram svg .step").First.WaitForAsync();
        (await page.Locator("#publish").IsVisibleAsync()).ShouldBeFalse("editing needs a larger screen");
        (await page.Locator("#save").IsVisibleAsync()).ShouldBeFalse();
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "no sideways scrolling of the page");
        (await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.querySelector('#preview')).fontSize)")).ShouldBeGreaterThanOrEqualTo(12);
        await Browsers.ScreenshotAsync(page, "designer-phone-390");
        (await Browsers.AxeAsync(page)).Where(v => v.Impact is "serious" or "critical").ShouldBeEmpty();
    }

    [Fact]
    public async Task An_administrator_signs_in_with_the_token_opens_a_procedure_and_sees_its_steps_and_the_appointment_the_counter_would_give()
    {
        var page = await SignInAsync();
        await page.Locator("#procedures button").First.WaitForAsync();
        await Browsers.ScreenshotAsync(page, "designer-catalogue");
        await OpenAsync(page, "1.013233");
        await page.Locator("#appointment").WaitForAsync();

        (await page.TextContentAsync("#who")).ShouldBe("admin · quản trị viên");
        (await page.TextContentAsync("#problems") ?? "").ShouldContain("Định nghĩa hợp lệ");
        // Server clock: Friday 24/4/2026 09:00; 5 working days skip 27/4 (in lieu of Hùng Kings' day) and 30/4–1/5.
        (await page.TextContentAsync("#appointment")).ShouldBe("2026-05-06T09:00:00+07:00");
        (await page.TextContentAsync("#steps-table") ?? "").ShouldContain("so-xay-dung");
        (await page.TextContentAsync("#opened")).ShouldBe("1.013233 v1 · chỉ đọc");
        (await page.TextContentAsync("#preview") ?? "").ShouldContain("Thời hạn giải quyết: 5 ngày làm việc");
        await Browsers.ScreenshotAsync(page, "designer-procedure");

        // The token is not kept by the page: the session is an HttpOnly, SameSite=Strict cookie.
        (await page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie")).ShouldNotContain("token-admin");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "pe-session");
        cookie.HttpOnly.ShouldBeTrue();
        cookie.SameSite.ShouldBe(SameSiteAttribute.Strict);
    }

    [Fact]
    public async Task A_typo_in_a_key_is_marked_at_its_line_and_the_quick_fix_offered_by_the_server_repairs_it()
    {
        var page = await SignInAsync();
        await OpenAsync(page, "1.013233");
        var text = await NewVersionAsync(page, "1.013233");
        var line = text.Split('\n').ToList().FindIndex(l => l.StartsWith("timeLimit:", StringComparison.Ordinal)) + 1;

        await TypeIntoEditorAsync(page, text.Replace("timeLimit:", "timeLimt:", StringComparison.Ordinal));
        var problem = page.Locator("#problems button.problem.error", new() { HasText = "timeLimt" }).First;
        await problem.WaitForAsync();

        (await problem.TextContentAsync()).ShouldStartWith($"{line}:1 lỗi PE010: Khóa không có trong đặc tả định nghĩa thủ tục — ");
        (await page.TextContentAsync("#preview") ?? "").ShouldContain("Sửa các lỗi");
        // The editor marks the word itself, and the gutter the line.
        var marked = page.Locator("#editor .cm-lintRange-error", new() { HasText = "timeLimt" });
        await marked.First.WaitForAsync();
        (await page.Locator("#editor .cm-gutter-lint .cm-lint-marker-error").CountAsync()).ShouldBeGreaterThan(0);
        await Browsers.ScreenshotAsync(page, "designer-problem");

        // Clicking the problem puts the cursor on its line.
        await problem.ClickAsync();
        await page.Locator("#editor .cm-lineNumbers .cm-activeLineGutter", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{line}$") }).WaitForAsync();

        // The server said "did you mean 'timeLimit'?": the marker offers it as a fix.
        await marked.First.HoverAsync();
        var fix = page.Locator(".cm-tooltip-lint .cm-diagnosticAction", new() { HasText = "timeLimit" });
        await fix.WaitForAsync();
        await fix.ClickAsync();
        await page.Locator("#problems li.ok", new() { HasText = "Định nghĩa hợp lệ" }).WaitForAsync();
        await page.Locator("#appointment").WaitForAsync();
    }

    [Fact]
    public async Task What_is_published_is_exactly_the_text_on_screen_saved_first_and_confirmed()
    {
        var page = await SignInAsync();
        (await page.IsDisabledAsync("#new-version")).ShouldBeTrue("nothing published is open yet");
        await OpenAsync(page, "1.013216");

        await page.FillAsync("#from", "2026-06-01");
        await page.ClickAsync("#new-version");
        await page.Locator("#status", new() { HasText = "Bản nháp phiên bản 2" }).WaitForAsync();
        (await page.TextContentAsync("#status")).ShouldBe("Bản nháp phiên bản 2, hiệu lực từ ngày 01/06/2026: sửa những nội dung thay đổi, rồi Lưu bản nháp và Công bố.");
        (await page.IsVisibleAsync("#dirty")).ShouldBeTrue("a new version is unsaved until saved");
        var text = await server.Client("admin").GetStringAsync("/api/definitions/1.013216/versions/1/next?from=2026-06-01");
        text.ShouldContain("\nversion: 2\n");

        // The decision changed the limit: the administrator edits it and the preview follows.
        var forty = text.Replace("timeLimit: 35 days", "timeLimit: 40 days", StringComparison.Ordinal);
        await TypeIntoEditorAsync(page, forty);
        await page.Locator("#preview", new() { HasText = "Thời hạn giải quyết: 40 ngày" }).WaitForAsync();
        (await page.TextContentAsync("#preview .appointment") ?? "").ShouldContain("Nếu tiếp nhận lúc 2026-06-01T09:00:00+07:00");

        // Compared with the version in force: the text side by side and what changed, in words.
        await page.ClickAsync("#tab-versions");
        await page.Locator("#version-table tr[data-key='v:1']", new() { HasText = "đang hiệu lực" }).WaitForAsync();
        await page.ClickAsync("#compare-in-force");
        await page.Locator("#compare[data-ready='v:1>editor']").WaitForAsync();
        (await page.TextContentAsync("#semantic-diff li[data-kind='limit']")).ShouldBe("Thời hạn giải quyết: 35 days → 40 days");
        (await page.TextContentAsync("#semantic-diff li[data-kind='from']")).ShouldBe("Hiệu lực từ: 2025-07-01 → 2026-06-01");
        (await page.Locator("#merge .cm-changedLine").CountAsync()).ShouldBeGreaterThan(0);
        (await page.Locator("#compare-diagram g.step").CountAsync()).ShouldBeGreaterThan(0);
        await Browsers.ScreenshotAsync(page, "designer-compare");
        await page.ClickAsync("#compare-close");

        await page.ClickAsync("#save");
        await page.Locator("#status", new() { HasText = "Đã lưu" }).WaitForAsync();
        (await page.TextContentAsync("#status")).ShouldBe("Đã lưu bản nháp 1.013216 phiên bản 2.");
        await page.Locator("#dirty").WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        await page.Locator("#drafts button", new() { HasText = "1.013216v2" }).WaitForAsync();

        // Next morning, in a new window: the draft is where it was left; a last change is made and, without
        // pressing Save, published: what is published is the text on screen, not the saved draft.
        page = await SignInAsync();
        await page.ClickAsync("#drafts button:has-text('1.013216')");
        await page.Locator("#status", new() { HasText = "Bản nháp 1.013216 phiên bản 2" }).WaitForAsync();
        // A draft opened while the page was still fetching its editor gets one editor, not two (it got two, and what
        // the user typed went into the one the page did not read).
        (await page.Locator("#editor .cm-editor").CountAsync()).ShouldBe(1);
        (await page.IsDisabledAsync("#new-version")).ShouldBeTrue("a draft is not the base of a new version");
        var fortyFive = forty.Replace("timeLimit: 40 days", "timeLimit: 45 days", StringComparison.Ordinal);
        await TypeIntoEditorAsync(page, fortyFive);
        await page.Locator("#dirty").WaitForAsync();
        await page.Locator("#preview", new() { HasText = "Thời hạn giải quyết: 45 ngày" }).WaitForAsync();

        await page.ClickAsync("#publish");
        var confirm = page.Locator("#confirm[open]");
        await confirm.WaitForAsync();
        (await confirm.TextContentAsync() ?? "").ShouldContain("bản nháp 1.013216 phiên bản 2");
        (await page.TextContentAsync("#publish-diff li[data-kind='limit']")).ShouldBe("Thời hạn giải quyết: 35 days → 45 days");
        await Browsers.ScreenshotAsync(page, "designer-publish-confirm");
        await page.ClickAsync("#confirm-yes");
        await page.Locator("#status", new() { HasText = "Đã công bố" }).WaitForAsync();
        (await page.TextContentAsync("#status")).ShouldBe("Đã công bố 1.013216 phiên bản 2, có hiệu lực từ ngày 01/06/2026. Phiên bản 1 hết hiệu lực sau ngày 31/05/2026.");

        (await PublishedTextAsync("1.013216", 2)).ShouldBe(fortyFive);
        (await page.IsHiddenAsync("#dirty")).ShouldBeTrue();
        await page.FillAsync("#filter", "1.013216");
        await page.Locator("#procedures button", new() { HasText = "1.013216v2" }).WaitForAsync();
        await page.Locator("#drafts li", new() { HasText = "Chưa có bản nháp" }).WaitForAsync();
    }

    [Fact]
    public async Task Unsaved_edits_are_marked_and_not_lost_by_opening_another_procedure_or_leaving_the_page()
    {
        var page = await SignInAsync();
        await OpenAsync(page, "1.013233");
        (await page.IsHiddenAsync("#dirty")).ShouldBeTrue();
        var text = await NewVersionAsync(page, "1.013233");
        await TypeIntoEditorAsync(page, "# thay đổi chưa lưu\n" + text);
        await page.Locator("#dirty").WaitForAsync();

        await page.FillAsync("#filter", "1.013216");
        await page.ClickAsync("#procedures button:has-text('1.013216')");
        var confirm = page.Locator("#confirm[open]");
        await confirm.WaitForAsync();
        (await confirm.TextContentAsync() ?? "").ShouldContain("Bỏ các thay đổi chưa lưu?");
        await Browsers.ScreenshotAsync(page, "designer-unsaved-guard");
        await page.ClickAsync("#confirm-no");
        await confirm.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        (await page.TextContentAsync("#opened")).ShouldBe("1.013233 v2 · bản nháp");
        (await page.TextContentAsync("#editor .cm-content") ?? "").ShouldContain("# thay đổi chưa lưu");
        (await page.IsVisibleAsync("#dirty")).ShouldBeTrue();

        // Closing the tab or reloading asks the browser's own question.
        var asked = new TaskCompletionSource<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.TrySetResult(dialog.Type);
            await dialog.DismissAsync();
        };
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        (await asked.Task.WaitAsync(Browsers.Patience)).ShouldBe("beforeunload");
    }

    [Fact]
    public async Task A_problem_in_a_step_is_marked_on_its_diagram_box_and_the_exported_svg_has_one_box_per_step()
    {
        var page = await SignInAsync();
        await OpenAsync(page, "1.013233");
        var boxes = page.Locator("#diagram g.step");
        await boxes.First.WaitForAsync();
        var text = await NewVersionAsync(page, "1.013233");
        var lines = text.Split('\n');
        var stepsStart = Array.FindIndex(lines, l => l.StartsWith("steps:", StringComparison.Ordinal));
        var stepIds = lines.Skip(stepsStart).Where(l => l.StartsWith("  - id: ", StringComparison.Ordinal)).Select(l => l["  - id: ".Length..].Trim()).ToList();
        stepIds.Count.ShouldBeGreaterThan(1);
        (await boxes.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.step)")).ShouldBe(stepIds);

        // A misspelt agency in the second step: the box of that step is marked.
        var second = Array.FindIndex(lines, stepsStart, l => l == "  - id: " + stepIds[1]);
        var agencyLine = Array.FindIndex(lines, second, l => l.StartsWith("    agency: ", StringComparison.Ordinal));
        var broken = (string[])lines.Clone();
        broken[agencyLine] = broken[agencyLine] + "-x";
        await TypeIntoEditorAsync(page, string.Join('\n', broken));
        var marked = page.Locator($"#diagram g.step.error[data-step='{stepIds[1]}']");
        await marked.WaitForAsync();
        (await page.Locator("#diagram g.step.error").CountAsync()).ShouldBe(1);
        await Browsers.ScreenshotAsync(page, "designer-diagram-problem");

        // Clicking the box selects its YAML: the cursor ends inside the step.
        await marked.ClickAsync();
        var cursorLine = int.Parse(await page.Locator("#editor .cm-lineNumbers .cm-activeLineGutter").First.TextContentAsync() ?? "0");
        cursorLine.ShouldBeGreaterThan(stepsStart);

        // Fixed, then exported: a valid SVG document with one box per step, named as the steps are.
        await TypeIntoEditorAsync(page, text);
        await page.Locator("#diagram g.step.error").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-svg"));
        download.SuggestedFilename.ShouldBe("1.013233-v2.svg");
        var path = await download.PathAsync();
        var svg = System.Xml.Linq.XDocument.Load(path);
        svg.Root!.Name.LocalName.ShouldBe("svg");
        svg.Root.Name.NamespaceName.ShouldBe("http://www.w3.org/2000/svg");
        svg.Descendants().Where(e => e.Attribute("data-step") is not null).Select(e => e.Attribute("data-step")!.Value).ShouldBe(stepIds);
        var png = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-png"));
        var bytes = await File.ReadAllBytesAsync(await png.PathAsync());
        bytes[..4].ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
    }

    [Fact]
    public async Task An_officer_may_read_definitions_and_a_refused_save_says_so_instead_of_a_stale_valid()
    {
        var page = await SignInAsync("cb-motcua-01");
        (await page.TextContentAsync("#who")).ShouldBe("Trần Thị Bình · cán bộ");
        await page.Locator("#drafts li", new() { HasText = "Chỉ quản trị viên xem được bản nháp." }).WaitForAsync();
        await OpenAsync(page, "1.013233");

        await page.ClickAsync("#save");
        await page.Locator("#status", new() { HasText = "không có quyền" }).WaitForAsync();
        (await page.TextContentAsync("#status")).ShouldBe("Tài khoản của bạn không có quyền thực hiện thao tác này.");
        await Browsers.ScreenshotAsync(page, "designer-forbidden");
    }

    [Fact]
    public async Task Signing_out_removes_the_session_and_the_language_switch_speaks_english()
    {
        var page = await SignInAsync();
        await page.ClickAsync("#lang");
        await page.Locator("h1", new() { HasText = "Administrative procedure designer" }).WaitForAsync();
        (await page.TextContentAsync("#sign-out")).ShouldBe("Sign out");
        await page.ClickAsync("#lang");
        await page.Locator("h1", new() { HasText = "Thiết kế quy trình thủ tục hành chính" }).WaitForAsync();

        await page.ClickAsync("#sign-out");
        await page.Locator("#sign-in-form").WaitForAsync();
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "pe-session");
        await page.ReloadAsync();
        await page.Locator("#token").WaitForAsync();
        (await page.IsHiddenAsync("#designer")).ShouldBeTrue();
        await Browsers.ScreenshotAsync(page, "designer-sign-in");
    }

    [Fact]
    public async Task The_designer_works_under_the_servers_content_security_policy()
    {
        var page = await SignInAsync();
        var answer = await page.GotoAsync(server.BaseUrl + "/designer/");
        (await answer!.HeaderValueAsync("content-security-policy") ?? "").ShouldContain("script-src 'self';");
        await page.Locator("#who").WaitForAsync();

        // What runs the most code: the editor and its lint markers, the diagram's layout, compare, export to PNG.
        await OpenAsync(page, "1.013233");
        await page.Locator("#diagram g.step").First.WaitForAsync();
        var text = await NewVersionAsync(page, "1.013233");
        await TypeIntoEditorAsync(page, text.Replace("timeLimit:", "timeLimt:", StringComparison.Ordinal));
        await page.Locator("#editor .cm-lintRange-error").First.WaitForAsync();
        await TypeIntoEditorAsync(page, text);
        await page.Locator("#problems li.ok").WaitForAsync();
        var png = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-png"));
        (await File.ReadAllBytesAsync(await png.PathAsync()))[..4].ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47 });

        // The printable sheet opens in a window of its own, under the same policy: its print button still prints.
        var sheet = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("#sheet"));
        pages.Add(sheet);
        await sheet.Locator("#sheet-name").WaitForAsync();
        await sheet.EvaluateAsync("() => { window.__printed = false; window.print = () => { window.__printed = true; }; }");
        await sheet.ClickAsync("#sheet-print");
        await sheet.WaitForFunctionAsync("() => window.__printed === true");
        (await Browsers.CspViolationsAsync(sheet)).ShouldBeEmpty();
        await sheet.CloseAsync();

        await page.ClickAsync("#tab-versions");
        await page.Locator("#version-table tr[data-key='v:1']").WaitForAsync();
        await page.ClickAsync("#compare-in-force");
        await page.Locator("#compare[data-ready='v:1>editor']").WaitForAsync();
        (await page.Locator("#compare-diagram g.step").CountAsync()).ShouldBeGreaterThan(0);
        await page.ClickAsync("#compare-close");

        (await Browsers.CspViolationsAsync(page)).ShouldBeEmpty();

        // The policy is enforced and a violation would be seen: an injected inline script does not run and is reported.
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true'; document.head.appendChild(s); }");
        await page.WaitForFunctionAsync("() => window.__cspViolations.length > 0");
        (await page.EvaluateAsync<bool>("() => window.__inlineRan === true")).ShouldBeFalse();
        (await Browsers.CspViolationsAsync(page)).ShouldHaveSingleItem().ShouldStartWith("script-src-elem refused inline");
        await page.EvaluateAsync("() => { window.__cspViolations = []; }");
    }

    [Fact]
    public async Task The_designer_has_no_serious_or_critical_accessibility_violation()
    {
        var page = await SignInAsync();
        await OpenAsync(page, "1.013233");
        await page.Locator("#appointment").WaitForAsync();

        var violations = await Browsers.AxeAsync(page);

        violations.Where(v => v.Impact is "serious" or "critical").ShouldBeEmpty(string.Join("\n", violations.Select(v => $"{v.Impact} {v.Id}: {v.Nodes}")));
    }
}

/// <summary>Debian's Chromium for the browser tests, screenshots and the axe-core scan.</summary>
internal static class Browsers
{
    public static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("PE_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"Chromium not found at {chromium}: run ./test.sh, which installs Debian's chromium");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>
    /// How long an action or a wait for what the page shows may take before the test fails. Generous on purpose: on a
    /// loaded two-core machine a layout or a validation round trip can take far longer than on a developer's laptop,
    /// and every wait ends as soon as the page shows what is waited for (no fixed sleep anywhere).
    /// </summary>
    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("PE_BROWSER_PATIENCE_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 180);

    /// <summary>
    /// A browser context for one test: actions and waits get <see cref="Patience"/>, and every page records the
    /// Content-Security-Policy violations it reports (read with <see cref="CspViolationsAsync"/>).
    /// </summary>
    public static async Task<IBrowserContext> NewContextAsync(IBrowser browser, ViewportSize viewport)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Patience.TotalMilliseconds);
        await context.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e =>
              window.__cspViolations.push(`${e.effectiveDirective} refused ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
            """);
        return context;
    }

    /// <summary>The Content-Security-Policy violations the page has reported since it was opened.</summary>
    public static async Task<IReadOnlyList<string>> CspViolationsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("() => window.__cspViolations || []");

    /// <summary>A page that is not there because designer/dist was never built says so, instead of timing out.</summary>
    public static async Task ShouldBeBuiltAsync(IPage page)
    {
        if (await page.Locator("#sign-in-form").CountAsync() == 0)
        {
            throw new InvalidOperationException("the front end is not built: run ./test.sh (or `cd designer && npm ci && npm run build`, then build the host)");
        }
    }

    public static string ArtifactsRoot { get; } = Path.Combine(Repository.Root, "artifacts");

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(ArtifactsRoot, "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = false });
    }

    public sealed record Violation(string Id, string Impact, string Nodes);

    /// <summary>Runs axe-core (the npm package in designer/node_modules, injected from disk) on the page.</summary>
    public static async Task<IReadOnlyList<Violation>> AxeAsync(IPage page)
    {
        var axe = Path.Combine(Repository.Root, "designer", "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(axe))
        {
            throw new InvalidOperationException($"{axe} not found: run ./test.sh (npm ci in designer/)");
        }

        // Evaluated through the DevTools protocol: an injected <script> element would be inline script, which the
        // server's Content-Security-Policy refuses.
        await page.EvaluateAsync(await File.ReadAllTextAsync(axe) + "\n;true");
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .map(v => ({ id: v.id, impact: v.impact || '', nodes: v.nodes.map(n => n.target.join(' ')).join(', ') }))
            """);
        return [.. json.EnumerateArray().Select(v => new Violation(v.GetProperty("id").GetString()!, v.GetProperty("impact").GetString()!, v.GetProperty("nodes").GetString()!))];
    }
}
