// Dispatcher throughput to a local SMTP server (the SmtpServer package, in process), as a ratio against a bare MailKit
// send loop to the same server in the same run. `dotnet run -c Release --project tests/ProcedureEngine.Notifications.Benchmarks
// -- [--messages N] [--postgres]` (--postgres needs PE_TEST_POSTGRES).
using System.Diagnostics;
using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using ProcedureEngine.Notifications;
using ProcedureEngine.Notifications.Outbox;
using ProcedureEngine.Notifications.Tests;

var messages = args.SkipWhile(a => a != "--messages").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(2000);
var backend = args.Contains("--postgres") ? "postgres" : "sqlite";
var templates = new TemplateOptions { PublicBaseUrl = "https://dichvucong.bacninh.gov.vn" };
await using var smtp = new TestSmtp().Start();
var options = new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, Security = "none", From = "motcua@bacninh.gov.vn" };
Console.WriteLine($"{messages} e-mails per run to a local SMTP server; outbox on {backend}; {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

// The same MIME messages the dispatcher sends, composed up front: the baseline measures MailKit and the server only.
var sender = new SmtpEmailSender(options, templates);
var mime = new List<MimeKit.MimeMessage>();
for (var i = 1; i <= messages; i++)
{
    var facts = new NotificationFacts
    {
        Kind = NotificationKind.ResultReady, DossierId = Dossier.Code(i), DossierCode = Dossier.Code(i), EventType = "ResultReady", EventVersion = 1,
        At = Dossier.ReceivedAt, Status = "resultReady", ApplicantName = "Nguyễn Thị Hồng Nhung", ProcedureCode = "1.009792", ProcedureName = "Cấp giấy phép xây dựng",
    };
    mime.Add(await sender.ComposeAsync(new OutboxMessage($"{facts.DossierId}.v1.email", facts.DossierId, 1, facts.Kind, "email", "nhung@example.vn", facts,
        Dossier.ReceivedAt, "pending", 0, Dossier.ReceivedAt, null, null, null, null, null), CancellationToken.None));
}

async Task<double> BareAsync(int connections)
{
    smtp.Received.Clear();
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", smtp.Port, SecureSocketOptions.None);
        for (var i = c; i < mime.Count; i += connections)
        {
            await client.SendAsync(mime[i]);
        }

        await client.DisconnectAsync(true);
    }));
    watch.Stop();
    if (smtp.Received.Count != messages)
    {
        throw new InvalidOperationException($"bare loop: {smtp.Received.Count} of {messages} arrived");
    }

    return messages / watch.Elapsed.TotalSeconds;
}

async Task<double> DispatcherAsync(int parallelism)
{
    await using var store = await Stores.OpenAsync(backend);
    for (var i = 1; i <= messages; i++)
    {
        await Dossier.AppendAsync(store, Dossier.Code(i), 0, Dossier.Receipt(Dossier.Code(i), Dossier.Applicant("email")));
    }

    smtp.Received.Clear();
    await using var email = new SmtpEmailSender(options, templates);
    var dispatcher = new OutboxDispatcher(new OutboxStore(store), [email], new DispatcherOptions { Parallelism = parallelism, BatchSize = 64 });
    var watch = Stopwatch.StartNew();
    var sent = 0;
    while ((await dispatcher.RunOnceAsync()) is { Claimed: > 0 } report)
    {
        sent += report.Sent;
    }

    watch.Stop();
    if (sent != messages || smtp.Received.Count != messages)
    {
        throw new InvalidOperationException($"dispatcher: {sent} sent, {smtp.Received.Count} of {messages} arrived");
    }

    return messages / watch.Elapsed.TotalSeconds;
}

await BareAsync(1); // warm-up (JIT, sockets)
var rows = new List<(string Name, double Rate, double Baseline)>();
foreach (var p in new[] { 1, 8 })
{
    var baseline = await BareAsync(p);
    var dispatched = await DispatcherAsync(p);
    rows.Add(($"{p} connection(s) / parallelism {p}", dispatched, baseline));
}

Console.WriteLine("| run | dispatcher (claim, compose, send, mark sent) | bare MailKit loop | ratio |");
Console.WriteLine("|---|---|---|---|");
foreach (var (name, rate, baseline) in rows)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {rate:N0} msg/s | {baseline:N0} msg/s | {rate / baseline:0.00} |"));
}

return 0;
