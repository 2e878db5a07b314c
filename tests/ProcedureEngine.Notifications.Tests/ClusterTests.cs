using ProcedureEngine.Notifications.Outbox;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ProcedureEngine.Notifications.Tests;

/// <summary>Two dispatcher nodes on one PostgreSQL database (each with its own store connection pool) share the outbox.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task Two_nodes_on_one_postgres_send_each_of_600_messages_exactly_once()
    {
        var schema = "nt_" + Guid.NewGuid().ToString("N")[..16];
        await using var nodeA = await Stores.OpenAsync("postgres", schema);
        await using var nodeB = await Stores.OpenAsync("postgres", schema);
        await using var smtp = new TestSmtp().Start();
        using var portal = WireMockServer.Start();
        portal.Given(Request.Create().WithPath("/portal").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        using var http = new HttpClient();
        const int dossiers = 300;
        for (var i = 1; i <= dossiers; i++)
        {
            await Dossier.AppendAsync(i % 2 == 0 ? nodeA : nodeB, Dossier.Code(i), 0, Dossier.Receipt(Dossier.Code(i), Dossier.Applicant("email")));
        }

        var templates = new TemplateOptions();
        OutboxDispatcher Node(ProcedureEngine.EventStore.IEventStore store, string name) => new(new OutboxStore(store),
        [
            new SmtpEmailSender(new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, Security = "none", From = "motcua@bacninh.gov.vn" }, templates),
            new PortalWebhookSender(http, new PortalOptions { Url = new Uri(portal.Url + "/portal"), Secret = "s" }, templates),
        ], new DispatcherOptions { Node = name, BatchSize = 16, Parallelism = 4 });

        var reports = await Task.WhenAll(Enumerable.Range(0, 2).Select(n => Task.Run(async () =>
        {
            var dispatcher = Node(n == 0 ? nodeA : nodeB, n == 0 ? "node-a" : "node-b");
            var sent = 0;
            while ((await dispatcher.RunOnceAsync()) is { Claimed: > 0 } r)
            {
                sent += r.Sent;
            }

            return sent;
        })));

        reports.Sum().ShouldBe(2 * dossiers);
        reports.ShouldAllBe(n => n > 0, "both nodes took part");
        var mails = await smtp.WaitForAsync(dossiers);
        mails.Count.ShouldBe(dossiers);
        mails.Select(m => m.MessageId).Distinct().Count().ShouldBe(dossiers);
        var hooks = portal.LogEntries.Select(e => e.RequestMessage.Headers!["X-PE-Message-Id"].Single()).ToList();
        hooks.Count.ShouldBe(dossiers);
        hooks.Distinct().Count().ShouldBe(dossiers);
        var counts = await new OutboxStore(nodeA).CountsAsync();
        counts.Count.ShouldBe(2, "nothing pending or dead");
        counts[("email", "sent")].ShouldBe(dossiers);
        counts[("portal", "sent")].ShouldBe(dossiers);
    }
}
