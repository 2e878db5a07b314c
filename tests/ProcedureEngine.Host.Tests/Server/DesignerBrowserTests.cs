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

        (await problem.TextContentAsync()).ShouldStartWith($"{line}:1 ");
        (await problem.TextContentAsync() ?? "").ShouldContain("timeLimt");
        await problem.ClickAsync();
        var cursor = await page.EvaluateAsync<int>("() => document.getElementById('yaml').selectionStart");
        text[..cursor].Count(c => c == '\n').ShouldBe(line - 1);
        (await page.TextContentAsync("#preview") ?? "").ShouldContain("Sửa các lỗi");
    }
}
