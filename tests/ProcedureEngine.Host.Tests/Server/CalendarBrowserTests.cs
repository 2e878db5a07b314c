using System.Net;
using Microsoft.Playwright;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// The calendar page (/calendar/) in real Chromium: an administrator declares a day off in the calendar file, sees
/// the day and the open dossier it re-plans before anything is written, confirms, and the dossier's appointment moves.
/// </summary>
public sealed class CalendarBrowserTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>, IAsyncLifetime
{
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync() => (playwright, browser) = await Browsers.LaunchAsync();

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    private async Task<IPage> SignInAsync(string user)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/calendar/");
        await Browsers.ShouldBeBuiltAsync(page);
        await page.FillAsync("#token", "token-" + user);
        await page.ClickAsync("#sign-in");
        await page.Locator("#who").WaitForAsync();
        return page;
    }

    [Fact]
    public async Task An_administrator_previews_a_declared_day_off_with_the_dossiers_it_moves_then_publishes_it()
    {
        var (created, receipt) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", new
        {
            procedure = new { code = "1.013233" },
            applicant = new { name = "Phạm Thị Dung", phone = "0912000222" },
            documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
        }, idempotencyKey: "cal-page-" + Guid.NewGuid());
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var code = receipt!["code"]!.GetValue<string>();
        var appointment = receipt["appointmentAt"]!.GetValue<string>();

        var page = await SignInAsync("admin");
        await page.Locator("#published-version", new() { HasText = "phiên bản 1" }).WaitForAsync();
        var text = await page.InputValueAsync("#calendar-text");
        const string Anchor = "      - { date: 2026-02-20,";
        text.ShouldContain(Anchor);
        await page.FillAsync("#calendar-text", text
            .Replace("version: 1", "version: 2", StringComparison.Ordinal)
            .Replace(Anchor, "      - { date: 2026-05-04, reason: \"Nghỉ theo Quyết định 999/QĐ-TTg\" }\n" + Anchor, StringComparison.Ordinal));

        await page.ClickAsync("#diff");
        await page.Locator("#status", new() { HasText = "chưa có gì thay đổi" }).WaitForAsync();
        await page.Locator("#days tbody tr", new() { HasText = "04/05/2026" }).Locator("td.off").WaitForAsync();
        var row = page.Locator("#dossiers tbody tr", new() { HasText = code });
        await row.WaitForAsync();
        (await row.InnerTextAsync()).ShouldContain($"{appointment[11..16]} {appointment[8..10]}/{appointment[5..7]}/{appointment[..4]}");
        await Browsers.ScreenshotAsync(page, "calendar-preview");
        (await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{code}"))["appointmentAt"]!.GetValue<string>().ShouldBe(appointment, "a preview writes nothing");
        (await Browsers.AxeAsync(page)).Where(v => v.Impact is "serious" or "critical").ShouldBeEmpty();

        await page.ClickAsync("#publish");
        await page.Locator("#confirm-text", new() { HasText = "Phiên bản 2" }).WaitForAsync();
        await page.ClickAsync("#confirm-ok");
        await page.Locator("#status", new() { HasText = "Đã công bố phiên bản 2" }).WaitForAsync();
        await page.Locator("#published-version", new() { HasText = "phiên bản 2" }).WaitForAsync();
        await Browsers.ScreenshotAsync(page, "calendar-published");
        var moved = (await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{code}"))["appointmentAt"]!.GetValue<string>();
        string.CompareOrdinal(moved, appointment).ShouldBeGreaterThan(0, "the appointment moves one working day later");

        // A broken file names its line; nothing is published.
        await page.FillAsync("#calendar-text", (await page.InputValueAsync("#calendar-text")).Replace("version: 2", "version: 3", StringComparison.Ordinal).Replace("2026-05-04", "2026-13-04", StringComparison.Ordinal));
        await page.ClickAsync("#diff");
        await page.Locator("#problems li", new() { HasText = "Dòng" }).WaitForAsync();
        await page.Locator("#published-version", new() { HasText = "phiên bản 2" }).WaitForAsync();
    }

    [Fact]
    public async Task An_officer_sees_the_calendar_but_cannot_publish_it()
    {
        var page = await SignInAsync("cb-motcua-01");
        await page.Locator("#status", new() { HasText = "Chỉ quản trị viên" }).WaitForAsync();
        await page.Locator("#published-version", new() { HasText = "phiên bản" }).WaitForAsync();
        (await page.InputValueAsync("#calendar-text")).ShouldContain("id: vn");
        (await page.Locator("#publish").IsHiddenAsync()).ShouldBeTrue();
    }
}
