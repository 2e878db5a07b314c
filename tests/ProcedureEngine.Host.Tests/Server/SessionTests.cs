using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>Browser sessions: a token exchanged for an HttpOnly SameSite=Strict cookie, who-am-I, sign-out, CSRF guard.</summary>
public sealed class SessionTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    private HttpClient Browser(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = new Uri(server.BaseUrl) };

    private static HttpRequestMessage SignIn(string token, bool csrf = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { token }) };
        if (csrf)
        {
            request.Headers.Add("X-PE-CSRF", "1");
        }

        return request;
    }

    [Fact]
    public async Task Signing_in_with_a_token_sets_an_http_only_same_site_strict_cookie_and_says_who_is_signed_in()
    {
        var cookies = new CookieContainer();
        var browser = Browser(cookies);

        var response = await browser.SendAsync(SignIn("token-cb-sxd-01"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pe-session=", StringComparison.Ordinal));
        setCookie.ShouldContain("httponly", Case.Insensitive);
        setCookie.ShouldContain("samesite=strict", Case.Insensitive);
        setCookie.ShouldNotContain("secure;", Case.Insensitive); // plain http here: a Secure cookie would never come back
        var me = await browser.GetFromJsonAsync<JsonObject>("/api/session");
        me!["id"]!.GetValue<string>().ShouldBe("cb-sxd-01");
        me["name"]!.GetValue<string>().ShouldBe("Lê Văn Cường");
        me["role"]!.GetValue<string>().ShouldBe("officer");
        me["agency"]!.GetValue<string>().ShouldBe("so-xay-dung");
        me["agencyName"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        me["via"]!.GetValue<string>().ShouldBe("session");

        // The cookie authenticates the API like the token does.
        (await browser.GetAsync("/api/definitions")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_wrong_token_gets_401_with_a_vietnamese_reason_and_no_cookie()
    {
        var cookies = new CookieContainer();
        var response = await Browser(cookies).SendAsync(SignIn("token-nobody"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
        (await response.Content.ReadAsStringAsync()).ShouldContain("Mã truy cập không đúng");
        (await Browser(cookies).GetAsync("/api/session")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_in_needs_the_anti_forgery_header_so_another_site_cannot_sign_a_browser_in()
    {
        var cookies = new CookieContainer();
        var response = await Browser(cookies).SendAsync(SignIn("token-admin", csrf: false));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task A_change_made_with_the_session_cookie_without_the_anti_forgery_header_is_refused_and_stores_nothing()
    {
        var cookies = new CookieContainer();
        var browser = Browser(cookies);
        (await browser.SendAsync(SignIn("token-admin"))).EnsureSuccessStatusCode();
        var yaml = (await browser.GetStringAsync("/api/definitions/1.013233/versions/1")).Replace("\nversion: 1\n", "\nversion: 7\n", StringComparison.Ordinal);

        var forged = await browser.PostAsync("/api/definitions", new StringContent(yaml, Encoding.UTF8, "application/yaml"));

        forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await forged.Content.ReadAsStringAsync()).ShouldContain("X-PE-CSRF");
        (await browser.GetStringAsync("/api/definitions/drafts")).ShouldNotContain("\"version\":7");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/definitions") { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
        request.Headers.Add("X-PE-CSRF", "1");
        (await browser.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Bearer_tokens_keep_working_without_the_anti_forgery_header()
    {
        var me = await server.Client("kiem-soat-01").GetFromJsonAsync<JsonObject>("/api/session");
        me!["role"]!.GetValue<string>().ShouldBe("auditor");
        me["via"]!.GetValue<string>().ShouldBe("token");
        var validate = await server.Client("admin").PostAsync("/api/definitions/validate", new StringContent("code: x\n", Encoding.UTF8, "application/yaml"));
        validate.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var cookies = new CookieContainer();
        var browser = Browser(cookies);
        (await browser.SendAsync(SignIn("token-kiem-soat-01"))).EnsureSuccessStatusCode();
        (await browser.GetAsync("/api/session")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/session");
        signOut.Headers.Add("X-PE-CSRF", "1");
        (await browser.SendAsync(signOut)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await browser.GetAsync("/api/session")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await browser.GetAsync("/api/definitions")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
