using System.Text.Json;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.EventStore;
using ProcedureEngine.Notifications.Outbox;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ProcedureEngine.Notifications.Tests;

/// <summary>
/// The outbox on both stores, sent to a real SMTP server (SmtpServer, in process) and a real HTTP gateway and portal
/// (WireMock.Net): what arrives per event kind, and what happens when the receivers fail.
/// </summary>
public abstract class DeliveryTests : IAsyncLifetime
{
    private const string Secret = "portal-secret-for-tests";
    private readonly TestSmtp smtp = new();
    private readonly WireMockServer gateway = WireMockServer.Start();
    private readonly HttpClient http = new();
    private readonly TestClock clock = new(DateTimeOffset.UtcNow);
    private IEventStore store = null!;

    protected abstract string Backend { get; }

    private OutboxStore Outbox => new(store);

    private static readonly TemplateOptions Templates = new() { PublicBaseUrl = "https://dichvucong.example.gov.vn" };

    public async Task InitializeAsync()
    {
        store = await Stores.OpenAsync(Backend);
        smtp.Start();
        gateway.Given(Request.Create().WithPath("/sms").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"id\":\"gw-1\"}"));
        gateway.Given(Request.Create().WithPath("/portal").UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
    }

    public async Task DisposeAsync()
    {
        await smtp.DisposeAsync();
        gateway.Stop();
        http.Dispose();
        await store.DisposeAsync();
    }

    private OutboxDispatcher Dispatcher(SmsGatewayOptions? sms = null, RetryPolicy? retry = null, string node = "node-a", int parallelism = 4) => new(Outbox,
    [
        new SmtpEmailSender(new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, Security = "none", From = "motcua@bacninh.gov.vn", FromName = "Bộ phận Một cửa" }, Templates, new FakeLetters()),
        new SmsGatewaySender(http, sms ?? new SmsGatewayOptions { Url = new Uri(gateway.Url + "/sms"), ApiKey = "k", Brand = "BACNINH" }, Templates),
        new PortalWebhookSender(http, new PortalOptions { Url = new Uri(gateway.Url + "/portal"), Secret = Secret }, Templates, clock),
    ], new DispatcherOptions { Node = node, Parallelism = parallelism, Retry = retry ?? new RetryPolicy() }, clock);

    private async Task<DispatchReport> DrainAsync(OutboxDispatcher dispatcher)
    {
        var total = new DispatchReport(0, 0, 0, 0);
        for (var i = 0; i < 100; i++)
        {
            var r = await dispatcher.RunOnceAsync();
            total = new DispatchReport(total.Claimed + r.Claimed, total.Sent + r.Sent, total.Retried + r.Retried, total.Dead + r.Dead);
            if (r.Claimed == 0)
            {
                break;
            }
        }

        return total;
    }

    [Fact]
    public async Task Messages_are_written_with_the_events_in_one_transaction_and_a_retried_append_adds_none()
    {
        var code = Dossier.Code(1);
        var receipt = new[] { new DossierEventEnvelope(Dossier.Receipt(code, Dossier.Applicant("sms", "email")), new ProcedureEngine.EventStore.Actor("cb", "one-stop")) };
        var dossiers = new DossierEventStore(store);
        await dossiers.AppendAsync(code, ExpectedVersion.NoStream, receipt, "key-1");
        (await dossiers.AppendAsync(code, ExpectedVersion.NoStream, receipt, "key-1")).WasDuplicate.ShouldBeTrue();
        await Should.ThrowAsync<ConcurrencyException>(() => dossiers.AppendAsync(code, ExpectedVersion.NoStream, receipt, "key-2"));

        var rows = await Outbox.ListAsync(new OutboxQuery(DossierId: code));
        rows.Select(r => r.Id).Order(StringComparer.Ordinal).ShouldBe([$"{code}.v1.email", $"{code}.v1.portal", $"{code}.v1.sms"]);
        rows.ShouldAllBe(r => r.Status == OutboxStatus.Pending && r.Attempts == 0);
    }

    [Fact]
    public async Task Each_event_kind_arrives_by_email_and_sms_with_recipient_subject_vietnamese_body_letter_link_and_stable_id()
    {
        var code = Dossier.Code(2);
        await Dossier.AppendAsync(store, code, 0, Dossier.Receipt(code, Dossier.Applicant("sms", "email")));
        await Dossier.AppendAsync(store, code, 1, Dossier.Supplement());
        await Dossier.AppendAsync(store, code, 2, Dossier.Apology());
        await Dossier.AppendAsync(store, code, 3, new ResultReady(Dossier.Appointment.AddDays(2), "approved"));

        var report = await DrainAsync(Dispatcher());
        report.Sent.ShouldBe(12);

        var mails = (await smtp.WaitForAsync(4)).ToDictionary(m => m.MessageId!);
        mails.Keys.Order(StringComparer.Ordinal).ShouldBe([$"{code}.v1.email@bacninh.gov.vn", $"{code}.v2.email@bacninh.gov.vn", $"{code}.v3.email@bacninh.gov.vn", $"{code}.v4.email@bacninh.gov.vn"]);
        var receipt = mails[$"{code}.v1.email@bacninh.gov.vn"];
        receipt.To.Mailboxes.Single().Address.ShouldBe("nhung@example.vn");
        receipt.From.Mailboxes.Single().Name.ShouldBe("Bộ phận Một cửa");
        receipt.Subject.ShouldBe($"Hồ sơ {code} đã được tiếp nhận");
        receipt.TextBody!.ShouldContain("Ngày hẹn trả kết quả: 09:00 19/05/2026.");
        receipt.HtmlBody!.ShouldContain($"https://dichvucong.example.gov.vn/track/{code}");
        receipt.Attachments.OfType<MimeKit.MimePart>().Single().FileName.ShouldBe($"{code}-received.pdf");

        var supplement = mails[$"{code}.v2.email@bacninh.gov.vn"];
        supplement.Subject.ShouldBe($"Hồ sơ {code} cần bổ sung, hoàn thiện");
        supplement.TextBody!.ShouldContain("Bản vẽ thiết kế xây dựng");
        supplement.Attachments.Count().ShouldBe(1);
        mails[$"{code}.v3.email@bacninh.gov.vn"].TextBody!.ShouldContain("Sở Xây dựng thành thật xin lỗi");
        mails[$"{code}.v3.email@bacninh.gov.vn"].TextBody!.ShouldContain("Ngày hẹn trả kết quả mới: 09:00 24/05/2026.");
        var result = mails[$"{code}.v4.email@bacninh.gov.vn"];
        result.Subject.ShouldBe($"Hồ sơ {code} đã có kết quả");
        result.Attachments.ShouldBeEmpty();

        var sms = gateway.LogEntries.Where(e => e.RequestMessage.Path == "/sms").Select(e => e.RequestMessage).ToList();
        sms.Count.ShouldBe(4);
        foreach (var request in sms)
        {
            using var body = JsonDocument.Parse(request.Body!);
            body.RootElement.GetProperty("to").GetString().ShouldBe("0912345678");
            body.RootElement.GetProperty("brand").GetString().ShouldBe("BACNINH");
            var text = body.RootElement.GetProperty("text").GetString()!;
            text.ShouldContain(code);
            SmsText.IsGsm7(text).ShouldBeTrue();
            text.Length.ShouldBeLessThanOrEqualTo(160);
            request.Headers!["Idempotency-Key"].Single().ShouldBe(body.RootElement.GetProperty("messageId").GetString());
            request.Headers!["Authorization"].Single().ShouldBe("Bearer k");
        }

        sms.Select(r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("text").GetString()).ShouldContain($"Ho so {code} da tiep nhan. Hen tra 19/05/2026. Tra cuu: https://dichvucong.example.gov.vn/track/{code}");

        var sent = await Outbox.FindAsync($"{code}.v1.sms");
        sent!.Status.ShouldBe(OutboxStatus.Sent);
        sent.ProviderId.ShouldBe("gw-1");
        (await Outbox.RecordDeliveryAsync("gw-1", "delivered", clock.Now)).ShouldBeTrue();
        (await Outbox.FindAsync($"{code}.v1.sms"))!.Delivery.ShouldBe("delivered");
    }

    [Fact]
    public async Task Portal_webhooks_are_signed_timestamped_and_carry_the_status()
    {
        var code = Dossier.Code(3);
        await Dossier.AppendAsync(store, code, 0, Dossier.Receipt(code, Dossier.Applicant()));
        await DrainAsync(Dispatcher());

        var request = gateway.LogEntries.Single(e => e.RequestMessage.Path == "/portal").RequestMessage;
        var body = request.Body!;
        var timestamp = request.Headers![WebhookSignature.TimestampHeader].Single();
        var signature = request.Headers[WebhookSignature.SignatureHeader].Single();
        WebhookSignature.Verify(Secret, timestamp, body, signature, clock.Now, TimeSpan.FromMinutes(5)).ShouldBeTrue();
        WebhookSignature.Verify(Secret, timestamp, body.Replace("received", "refused", StringComparison.Ordinal), signature, clock.Now, TimeSpan.FromMinutes(5)).ShouldBeFalse();
        WebhookSignature.Verify(Secret, timestamp, body, signature, clock.Now.AddMinutes(10), TimeSpan.FromMinutes(5)).ShouldBeFalse("a replay ten minutes later is refused");
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetString().ShouldBe("received");
        json.RootElement.GetProperty("dossierCode").GetString().ShouldBe(code);
        request.Headers[WebhookSignature.MessageIdHeader].Single().ShouldBe($"{code}.v1.portal");
        (await Outbox.FindAsync($"{code}.v1.portal"))!.ProviderId.ShouldBe("HTTP 202");
    }

    [Fact]
    public async Task With_the_smtp_server_down_mail_is_retried_with_backoff_and_delivered_once_it_is_back()
    {
        var code = Dossier.Code(4);
        await Dossier.AppendAsync(store, code, 0, Dossier.Receipt(code, Dossier.Applicant("email")));
        await smtp.StopAsync();
        var dispatcher = Dispatcher(retry: new RetryPolicy { BaseDelay = TimeSpan.FromMinutes(1), MaxAttempts = 5 });

        (await dispatcher.RunOnceAsync()).Retried.ShouldBe(1);
        clock.Now += TimeSpan.FromSeconds(20);
        (await dispatcher.RunOnceAsync()).Claimed.ShouldBe(0, "not due before the backoff (at least half the base delay)");
        clock.Now += TimeSpan.FromMinutes(1);
        (await dispatcher.RunOnceAsync()).Retried.ShouldBe(1, "still down");
        var failing = await Outbox.FindAsync($"{code}.v1.email");
        failing!.Attempts.ShouldBe(2);
        failing.LastError!.ShouldStartWith("attempt 2: ");
        (failing.NextAttemptAt - clock.Now).ShouldBeInRange(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), "second retry waits 1-2 minutes (2 min, half jittered)");

        smtp.Start();
        clock.Now += TimeSpan.FromMinutes(2);
        (await dispatcher.RunOnceAsync()).Sent.ShouldBe(1);
        (await smtp.WaitForAsync(1)).Single().MessageId.ShouldBe($"{code}.v1.email@bacninh.gov.vn");
        (await Outbox.FindAsync($"{code}.v1.email"))!.Status.ShouldBe(OutboxStatus.Sent);
    }

    [Fact]
    public async Task A_gateway_that_answers_500_then_200_gets_the_sms_again_with_the_same_idempotency_key()
    {
        gateway.Given(Request.Create().WithPath("/flaky").UsingPost()).InScenario("flaky").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("internal error"));
        gateway.Given(Request.Create().WithPath("/flaky").UsingPost()).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"id\":\"gw-2\"}"));
        var code = Dossier.Code(5);
        await Dossier.AppendAsync(store, code, 0, Dossier.Receipt(code, Dossier.Applicant("sms")));
        var dispatcher = Dispatcher(new SmsGatewayOptions { Url = new Uri(gateway.Url + "/flaky") });

        await dispatcher.RunOnceAsync();
        (await Outbox.FindAsync($"{code}.v1.sms"))!.LastError.ShouldBe("attempt 1: the SMS gateway answered 500: internal error");
        clock.Now += TimeSpan.FromMinutes(1);
        await DrainAsync(dispatcher);

        (await Outbox.FindAsync($"{code}.v1.sms"))!.Status.ShouldBe(OutboxStatus.Sent);
        var keys = gateway.LogEntries.Where(e => e.RequestMessage.Path == "/flaky").Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        keys.ShouldBe([$"{code}.v1.sms", $"{code}.v1.sms"]);
    }

    [Fact]
    public async Task A_gateway_that_times_out_is_retried_and_a_refused_number_is_dead_at_once_then_resent_after_correction()
    {
        gateway.Given(Request.Create().WithPath("/slow").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(3)));
        var code = Dossier.Code(6);
        await Dossier.AppendAsync(store, code, 0, Dossier.Receipt(code, Dossier.Applicant("sms")));

        await Dispatcher(new SmsGatewayOptions { Url = new Uri(gateway.Url + "/slow"), Timeout = TimeSpan.FromMilliseconds(300) }).RunOnceAsync();
        var slow = await Outbox.FindAsync($"{code}.v1.sms");
        slow!.Status.ShouldBe(OutboxStatus.Pending);
        slow.LastError.ShouldBe("attempt 1: the SMS gateway did not answer within 0.3 s");

        gateway.Given(Request.Create().WithPath("/refuse").UsingPost()).RespondWith(Response.Create().WithStatusCode(400).WithBody("invalid msisdn"));
        clock.Now += TimeSpan.FromMinutes(1);
        (await Dispatcher(new SmsGatewayOptions { Url = new Uri(gateway.Url + "/refuse") }).RunOnceAsync()).Dead.ShouldBe(1);
        var dead = await Outbox.ListAsync(new OutboxQuery(Status: OutboxStatus.Dead));
        dead.Single().LastError.ShouldBe("attempt 2: the SMS gateway answered 400: invalid msisdn");

        await Outbox.CorrectContactAsync(code, new ContactCorrection("0977111222", null, ["sms"], "cb-motcua-01", clock.Now));
        (await Outbox.ResendAsync($"{code}.v1.sms", clock.Now)).ShouldBeTrue();
        (await Outbox.ResendAsync($"{code}.v1.sms", clock.Now)).ShouldBeFalse("only a dead message is resent");
        (await Dispatcher().RunOnceAsync()).Sent.ShouldBe(1);
        var last = gateway.LogEntries.Last(e => e.RequestMessage.Path == "/sms").RequestMessage;
        JsonDocument.Parse(last.Body!).RootElement.GetProperty("to").GetString().ShouldBe("0977111222");
    }

    [Fact]
    public async Task After_the_last_attempt_a_message_is_dead_with_its_error_and_listed()
    {
        await smtp.StopAsync();
        var code = Dossier.Code(7);
        await Dossier.AppendAsync(store, code, 0, Dossier.Receipt(code, Dossier.Applicant("email")));
        var dispatcher = Dispatcher(retry: new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(1) });
        for (var i = 0; i < 3; i++)
        {
            await dispatcher.RunOnceAsync();
            clock.Now += TimeSpan.FromMinutes(1);
        }

        var dead = (await Outbox.ListAsync(new OutboxQuery(Status: OutboxStatus.Dead))).Single();
        dead.Id.ShouldBe($"{code}.v1.email");
        dead.Attempts.ShouldBe(3);
        dead.LastError!.ShouldStartWith("attempt 3: ");
        (await dispatcher.RunOnceAsync()).Claimed.ShouldBe(0);
    }

    [Fact]
    public async Task Channels_without_a_sender_are_kept_pending_and_listed_not_sent()
    {
        var code = Dossier.Code(8);
        await Dossier.AppendAsync(store, code, 0, Dossier.Receipt(code, Dossier.Applicant("sms", "email")));
        var emailOnly = new OutboxDispatcher(Outbox, [new SmtpEmailSender(new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, Security = "none", From = "a@b.vn" }, Templates)], clock: clock);

        (await emailOnly.RunOnceAsync()).Sent.ShouldBe(1);
        (await new OutboxDispatcher(Outbox, [], clock: clock).RunOnceAsync()).Claimed.ShouldBe(0);
        var counts = await Outbox.CountsAsync();
        counts[("email", "sent")].ShouldBe(1);
        counts[("sms", "pending")].ShouldBe(1);
        counts[("portal", "pending")].ShouldBe(1);
    }
}

public sealed class SqliteDeliveryTests : DeliveryTests
{
    protected override string Backend => "sqlite";
}

public sealed class PostgresDeliveryTests : DeliveryTests
{
    protected override string Backend => "postgres";
}
