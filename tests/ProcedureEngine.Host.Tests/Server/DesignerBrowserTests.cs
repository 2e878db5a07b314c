using Microsoft.Playwright;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>The designer in real Chromium (Debian's /usr/bin/chromium, installed by ./test.sh), against a real server.</summary>
public sealed class DesignerBrowserTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>, IAsyncLifetime
{
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("PE_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"Chromium not found at {chromium}: run ./test.sh, which installs Debian's chromium");
        }

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    private async Task<IPage> OpenDesignerAsync()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/");
        await page.FillAsync("#token", "token-admin");
        await page.DispatchEventAsync("#token", "change");
        return page;
    }

    [Fact]
    public async Task An_administrator_opens_a_procedure_and_sees_its_steps_and_the_appointment_the_counter_would_give()
    {
        var page = await OpenDesignerAsync();
        await page.FillAsync("#filter", "1.013233");
        await page.ClickAsync("#procedures li >> text=1.013233");

        await page.WaitForSelectorAsync("#appointment");
        (await page.TextContentAsync("#problems") ?? "").ShouldContain("Định nghĩa hợp lệ");
        // Server clock: Friday 24/4/2026 09:00; 5 working days skip 27/4 (in lieu of Hùng Kings' day) and 30/4–1/5.
        (await page.TextContentAsync("#appointment")).ShouldBe("2026-05-06T09:00:00+07:00");
        (await page.TextContentAsync("#preview table") ?? "").ShouldContain("so-xay-dung");
        (await page.TextContentAsync("#preview") ?? "").ShouldContain("Thời hạn giải quyết: 5 ngày làm việc");
    }

    [Fact]
    public async Task A_typo_in_a_key_is_shown_at_its_line_and_clicking_it_puts_the_cursor_there()
    {
        var page = await OpenDesignerAsync();
        await page.FillAsync("#filter", "1.013233");
        await page.ClickAsync("#procedures li >> text=1.013233");
        await page.WaitForSelectorAsync("#appointment");
        var text = await page.InputValueAsync("#yaml");
        var line = text.Split('\n').ToList().FindIndex(l => l.StartsWith("timeLimit:", StringComparison.Ordinal)) + 1;

        await page.FillAsync("#yaml", text.Replace("timeLimit:", "timeLimt:", StringComparison.Ordinal));
        var problem = page.Locator("#problems li.error", new() { HasText = "timeLimt" }).First;
        await problem.WaitForAsync();

        (await problem.TextContentAsync()).ShouldStartWith($"{line}:1 lỗi PE010: Khóa không có trong đặc tả định nghĩa thủ tục — ");
        (await problem.TextContentAsync() ?? "").ShouldContain("timeLimt");
        await problem.ClickAsync();
        var cursor = await page.EvaluateAsync<int>("() => document.getElementById('yaml').selectionStart");
        text[..cursor].Count(c => c == '\n').ShouldBe(line - 1);
        (await page.TextContentAsync("#preview") ?? "").ShouldContain("Sửa các lỗi");
    }

    [Fact]
    public async Task An_administrator_revises_a_procedure_from_a_date_and_publishing_ends_the_old_version_the_day_before()
    {
        var page = await OpenDesignerAsync();
        (await page.IsDisabledAsync("#new-version")).ShouldBeTrue("nothing published is open yet");
        await page.FillAsync("#filter", "1.013216");
        await page.ClickAsync("#procedures li >> text=1.013216");
        await page.WaitForSelectorAsync("#appointment");

        await page.FillAsync("#from", "2026-06-01");
        await page.ClickAsync("#new-version");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.includes('Bản nháp phiên bản 2')");
        (await page.TextContentAsync("#status")).ShouldBe("Bản nháp phiên bản 2, hiệu lực từ ngày 01/06/2026: sửa những nội dung thay đổi, rồi Lưu bản nháp và Công bố.");
        var text = await page.InputValueAsync("#yaml");
        text.ShouldContain("\nversion: 2\n");
        text.ShouldContain("  from: 2026-06-01\n");
        (await page.Locator("#problems li.error").CountAsync()).ShouldBe(0);

        // The preview shows what the new version's first dossiers will be promised (server clock: 24/4/2026 09:00).
        await page.WaitForSelectorAsync("#appointment");
        (await page.TextContentAsync("#preview .appointment") ?? "").ShouldContain("Nếu tiếp nhận lúc 2026-06-01T09:00:00+07:00");

        // The decision changed the limit: the administrator edits it and the preview follows.
        await page.FillAsync("#yaml", text.Replace("timeLimit: 35 days", "timeLimit: 40 days", StringComparison.Ordinal));
        await page.WaitForFunctionAsync("() => document.getElementById('preview').textContent.includes('Thời hạn giải quyết: 40 ngày')");

        // Publishing before saving is explained, in Vietnamese.
        await page.ClickAsync("#publish");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('Chưa có bản nháp')");
        (await page.TextContentAsync("#status")).ShouldBe("Chưa có bản nháp 1.013216 phiên bản 2: hãy Lưu bản nháp trước khi Công bố.");

        await page.ClickAsync("#save");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('Đã lưu')");
        (await page.TextContentAsync("#status")).ShouldBe("Đã lưu bản nháp 1.013216 phiên bản 2.");
        await page.Locator("#drafts li", new() { HasText = "1.013216v2" }).WaitForAsync();

        // Next morning, in a new window: the draft is where it was left, and is published from there.
        page = await OpenDesignerAsync();
        await page.ClickAsync("#drafts li >> text=1.013216");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('Bản nháp 1.013216 phiên bản 2')");
        (await page.InputValueAsync("#yaml")).ShouldContain("timeLimit: 40 days");
        (await page.InputValueAsync("#yaml")).ShouldContain("\nversion: 2\n");
        (await page.IsDisabledAsync("#new-version")).ShouldBeTrue("a draft is not the base of a new version");
        await page.ClickAsync("#publish");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('Đã công bố')");
        (await page.TextContentAsync("#status")).ShouldBe("Đã công bố 1.013216 phiên bản 2, có hiệu lực từ ngày 01/06/2026. Phiên bản 1 hết hiệu lực sau ngày 31/05/2026.");
        await page.Locator("#procedures li", new() { HasText = "1.013216v2" }).WaitForAsync();
        await page.Locator("#drafts li", new() { HasText = "Chưa có bản nháp" }).WaitForAsync();
    }
}
