using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using ProcedureEngine.Host.Web;
using ProcedureEngine.Host.Web.Security;
using ProcedureEngine.Notifications.Outbox;
using ProcedureEngine.Notifications.Tests;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ProcedureEngine.Notifications.Host.Tests;

/// <summary>The repository the tests run from (definitions/).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>A users.yaml with an officer of the one-stop centre, an auditor and an administrator (token = "token-" + id).</summary>
    public static string WriteUsers(string root)
    {
        var users = new StringBuilder("users:\n");
        foreach (var (id, role, agency) in new[] { ("cb-motcua-01", "officer", "one-stop"), ("kiem-soat-01", "auditor", ""), ("admin", "admin", "") })
        {
            users.Append($"  - {{ id: {id}, role: {role}{(agency.Length > 0 ? $", agency: {agency}" : "")}, tokenSha256: {UserDirectory.Hash("token-" + id)} }}\n");
        }

        var path = Path.Combine(root, "users.yaml");
        File.WriteAllText(path, users.ToString());
        return path;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProcedureEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (with ProcedureEngine.sln) not found");
    }
}

/// <summary>`serve` with notifications configured (a real SMTP server and WireMock as SMS gateway and portal) or not configured at all.</summary>
public sealed class ServeTests : IAsyncLifetime
{
    private const string PortalSecret = "portal-secret-0123456789";
    private readonly string root = Directory.CreateTempSubdirectory("pe-notify-serve-").FullName;
    private readonly TestSmtp smtp = new();
    private readonly WireMockServer gateway = WireMockServer.Start();
    private readonly List<string> announced = [];
    private WebApplication? app;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        Repository.CopyDirectory(Path.Combine(Repository.Root, "definitions"), Path.Combine(root, "definitions"));
        Repository.WriteUsers(root);
        smtp.Start();
        gateway.Given(Request.Create().WithPath("/sms").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"id\":\"vt-778899\"}"));
        gateway.Given(Request.Create().WithPath("/portal").UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        await Task.CompletedTask;
    }

    private async Task StartAsync(Dictionary<string, string?> settings)
    {
        app = await WebHost.BuildAsync(new ServerOptions
        {
            Urls = "http://127.0.0.1:0",
            DefinitionsRoot = Path.Combine(root, "definitions"),
            DataRoot = Path.Combine(root, "data"),
            UsersFile = Path.Combine(root, "users.yaml"),
            PublicUrl = "https://dichvucong.bacninh.gov.vn",
            Place = "Bắc Ninh",
            Settings = settings,
        }, announced.Add);
        await app.StartAsync();
        http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    private Dictionary<string, string?> Configured() => new()
    {
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Smtp:Security"] = "none",
        ["Notifications:Smtp:From"] = "motcua@bacninh.gov.vn",
        ["Notifications:Smtp:FromName"] = "Bộ phận Một cửa tỉnh Bắc Ninh",
        ["Notifications:Sms:Url"] = gateway.Url + "/sms",
        ["Notifications:Sms:ApiKey"] = "sms-key",
        ["Notifications:Sms:Brand"] = "BACNINH",
        ["Notifications:Sms:CallbackToken"] = "callback-token",
        ["Notifications:Portal:Url"] = gateway.Url + "/portal",
        ["Notifications:Portal:Secret"] = PortalSecret,
        ["Notifications:Dispatcher:PollMilliseconds"] = "100",
    };

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        http?.Dispose();
        await smtp.DisposeAsync();
        gateway.Stop();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private HttpRequestMessage As(string user, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "token-" + user);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    private async Task<JsonNode> SendAsync(HttpRequestMessage request, HttpStatusCode expected)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>The error's text, whichever shape the API answers in (problem details' detail, or error).</summary>
    private static string Message(JsonNode problem) => (problem["detail"] ?? problem["error"])!.GetValue<string>();

    private static object Receipt(object applicant) => new
    {
        procedure = new { code = "1.013233" },
        applicant,
        documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
    };

    private async Task<JsonArray> WaitForAsync(string dossier, Func<JsonArray, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = (JsonArray)await SendAsync(As("kiem-soat-01", HttpMethod.Get, $"/api/notifications?dossier={Uri.EscapeDataString(dossier)}"), HttpStatusCode.OK);
            if (done(list) || DateTime.UtcNow > deadline)
            {
                return list;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_receipt_with_consent_reaches_the_citizen_by_email_with_the_pdf_receipt_and_by_sms_and_the_portal_hears_it_signed()
    {
        await StartAsync(Configured());
        announced.ShouldContain(l => l.StartsWith("notifications: sending email via SMTP 127.0.0.1", StringComparison.Ordinal));
        var receipt = await SendAsync(As("cb-motcua-01", HttpMethod.Post, "/api/dossiers",
            Receipt(new { name = "Nguyễn Văn An", phone = "0912345678", email = "an@example.vn", notify = new[] { "sms", "email" } })), HttpStatusCode.Created);
        var code = receipt["code"]!.GetValue<string>();

        var list = await WaitForAsync(code, l => l.Count == 3 && l.All(m => m!["status"]!.GetValue<string>() == "sent"));
        list.Select(m => m!["channel"]!.GetValue<string>()).Order().ShouldBe(["email", "portal", "sms"]);
        // A message's id is its dossier's stream, the event's version and the channel (stable across retries).
        string IdOf(string channel) => list.Single(m => m!["channel"]!.GetValue<string>() == channel)!["id"]!.GetValue<string>();
        var dossierId = receipt["id"]!.GetValue<string>();
        IdOf("email").ShouldBe($"{dossierId}.v1.email");

        var mail = (await smtp.WaitForAsync(1)).Single();
        mail.MessageId.ShouldBe($"{dossierId}.v1.email@bacninh.gov.vn");
        mail.To.Mailboxes.Single().Address.ShouldBe("an@example.vn");
        mail.Subject.ShouldBe($"Hồ sơ {code} đã được tiếp nhận");
        mail.TextBody!.ShouldContain("Kính gửi Ông/Bà Nguyễn Văn An,");
        mail.TextBody!.ShouldContain($"https://dichvucong.bacninh.gov.vn/track/{code}");
        var pdf = mail.Attachments.OfType<MimeKit.MimePart>().Single();
        pdf.ContentType.MimeType.ShouldBe("application/pdf");
        pdf.FileName.ShouldBe($"{code}-mau-01.pdf");
        using (var bytes = new MemoryStream())
        {
            await pdf.Content!.DecodeToAsync(bytes);
            Encoding.ASCII.GetString(bytes.ToArray(), 0, 5).ShouldBe("%PDF-");
        }

        var sms = gateway.LogEntries.Single(e => e.RequestMessage.Path == "/sms").RequestMessage;
        using (var body = JsonDocument.Parse(sms.Body!))
        {
            body.RootElement.GetProperty("to").GetString().ShouldBe("0912345678");
            body.RootElement.GetProperty("text").GetString()!.ShouldStartWith($"Ho so {code} da tiep nhan. Hen tra ");
        }

        var hook = gateway.LogEntries.Single(e => e.RequestMessage.Path == "/portal").RequestMessage;
        WebhookSignature.Verify(PortalSecret, hook.Headers![WebhookSignature.TimestampHeader].Single(), hook.Body!, hook.Headers[WebhookSignature.SignatureHeader].Single(),
            DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBeTrue();

        // The gateway's delivery receipt, by its own reference.
        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/notifications/sms/delivery") { Content = JsonContent.Create(new { messageId = "vt-778899", status = "delivered" }) })
        {
            wrong.Headers.Add("X-PE-Callback-Token", "guess");
            (await http.SendAsync(wrong)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var delivery = new HttpRequestMessage(HttpMethod.Post, "/api/notifications/sms/delivery") { Content = JsonContent.Create(new { messageId = "vt-778899", status = "delivered" }) })
        {
            delivery.Headers.Add("X-PE-Callback-Token", "callback-token");
            (await http.SendAsync(delivery)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var smsRow = await SendAsync(As("kiem-soat-01", HttpMethod.Get, $"/api/notifications/{Uri.EscapeDataString(IdOf("sms"))}"), HttpStatusCode.OK);
        smsRow["delivery"]!.GetValue<string>().ShouldBe("delivered");
        smsRow["providerId"]!.GetValue<string>().ShouldBe("vt-778899");
    }

    [Fact]
    public async Task Consent_that_names_an_unknown_channel_or_lacks_the_address_is_refused_with_its_location_and_nothing_is_stored()
    {
        await StartAsync([]);
        var unknown = await SendAsync(As("cb-motcua-01", HttpMethod.Post, "/api/dossiers", Receipt(new { name = "Nguyễn Văn An", phone = "0912", notify = new[] { "zalo" } })), HttpStatusCode.BadRequest);
        Message(unknown).ShouldContain("applicant.notify[0]: 'zalo' is not a notification channel (sms, email)");
        var noEmail = await SendAsync(As("cb-motcua-01", HttpMethod.Post, "/api/dossiers", Receipt(new { name = "Nguyễn Văn An", phone = "0912", notify = new[] { "sms", "email" } })), HttpStatusCode.BadRequest);
        Message(noEmail).ShouldContain("applicant.notify[1]: consent to e-mail needs a valid applicant.email");
        ((JsonArray)await SendAsync(As("kiem-soat-01", HttpMethod.Get, "/api/notifications"), HttpStatusCode.OK)).Count.ShouldBe(0);
        ((JsonArray)await SendAsync(As("kiem-soat-01", HttpMethod.Get, "/api/dossiers"), HttpStatusCode.OK)).Count.ShouldBe(0);
    }

    [Fact]
    public async Task With_nothing_configured_messages_are_kept_and_listed_not_sent_and_an_officer_can_correct_the_contact()
    {
        await StartAsync([]);
        announced.ShouldContain("notifications: nothing is sent; kept in the outbox, not sent (not configured): email, sms, portal");
        var receipt = await SendAsync(As("cb-motcua-01", HttpMethod.Post, "/api/dossiers",
            Receipt(new { name = "Trần Thị Bích", phone = "0912000111", notify = new[] { "sms" } })), HttpStatusCode.Created);
        var code = receipt["code"]!.GetValue<string>();
        await Task.Delay(500);

        var list = await WaitForAsync(code, l => l.Count == 2);
        list.Select(m => (m!["channel"]!.GetValue<string>(), m["status"]!.GetValue<string>(), m["recipient"]?.GetValue<string>()))
            .Order().ShouldBe([("portal", "pending", null), ("sms", "pending", "0912000111")]);
        var summary = await SendAsync(As("kiem-soat-01", HttpMethod.Get, "/api/notifications/summary"), HttpStatusCode.OK);
        summary["sending"]!["sms"]!.GetValue<bool>().ShouldBeFalse();
        summary["counts"]!["sms"]!["pending"]!.GetValue<long>().ShouldBe(1);

        // The applicant gave a wrong number and wants e-mail too: the officer corrects it; the unsent SMS follows.
        await SendAsync(As("cb-motcua-01", HttpMethod.Put, $"/api/dossiers/{code}/contact", new { phone = "0912999888", email = "bad", notify = new[] { "sms", "email" } }), HttpStatusCode.BadRequest);
        await SendAsync(As("kiem-soat-01", HttpMethod.Put, $"/api/dossiers/{code}/contact", new { phone = "0912999888", notify = new[] { "sms" } }), HttpStatusCode.Forbidden);
        var contact = await SendAsync(As("cb-motcua-01", HttpMethod.Put, $"/api/dossiers/{code}/contact",
            new { phone = "0912999888", email = "bich@example.vn", notify = new[] { "sms", "email" } }), HttpStatusCode.OK);
        contact["corrected"]!.GetValue<bool>().ShouldBeTrue();
        var smsId = $"{receipt["id"]!.GetValue<string>()}.v1.sms";
        list.Select(m => m!["id"]!.GetValue<string>()).ShouldContain(smsId);
        var sms = await SendAsync(As("kiem-soat-01", HttpMethod.Get, $"/api/notifications/{smsId}"), HttpStatusCode.OK);
        sms["recipient"]!.GetValue<string>().ShouldBe("0912999888");

        // Later events use the corrected contact.
        var supplement = await SendAsync(As("cb-motcua-01", HttpMethod.Get, $"/api/dossiers/{code}/contact"), HttpStatusCode.OK);
        supplement["email"]!.GetValue<string>().ShouldBe("bich@example.vn");

        var resend = await SendAsync(As("cb-motcua-01", HttpMethod.Post, $"/api/notifications/{smsId}/resend"), HttpStatusCode.Conflict);
        resend["detailEn"]!.GetValue<string>().ShouldBe($"message {smsId} is pending, not dead");
        resend["detail"]!.GetValue<string>().ShouldContain(smsId);
        await SendAsync(As("kiem-soat-01", HttpMethod.Get, "/api/notifications?status=lost"), HttpStatusCode.BadRequest);
    }
}
