using System.Diagnostics;
using System.Globalization;
using ProcedureEngine.Notifications.Outbox;
using ProcedureEngine.Notifications.Tests;
using Xunit.Abstractions;

namespace ProcedureEngine.Notifications.Host.Tests;

/// <summary>
/// The real `procedure-engine serve` process on PostgreSQL, killed with SIGKILL while it sends 1,000 e-mails to a
/// real SMTP server, twice, then started again: no message is lost; the duplicates (sent, but the node died before
/// recording it) are counted and reported.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Messages = 1000;

    [Fact]
    public async Task A_server_killed_between_sending_and_marking_sent_loses_no_message_of_1000_and_the_duplicates_are_counted()
    {
        var schema = "nc_" + Guid.NewGuid().ToString("N")[..16];
        var connection = $"{Stores.PostgresConnectionString};Search Path={schema}";
        await using (var store = await Stores.OpenAsync("postgres", schema))
        {
            for (var i = 1; i <= Messages; i++)
            {
                await Dossier.AppendAsync(store, Dossier.Code(i), 0, Dossier.Receipt(Dossier.Code(i), Dossier.Applicant("email")));
            }
        }

        var root = Directory.CreateTempSubdirectory("pe-notify-crash-").FullName;
        Repository.CopyDirectory(Path.Combine(Repository.Root, "definitions"), Path.Combine(root, "definitions"));
        var users = Repository.WriteUsers(root);
        await using var smtp = new TestSmtp().Start();
        var kills = new List<int>();
        foreach (var killAt in new[] { 250, 600 })
        {
            using var server = Serve(root, users, connection, smtp.Port);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (smtp.Received.Count < killAt && DateTime.UtcNow < deadline && !server.HasExited)
            {
                await Task.Delay(5);
            }

            server.HasExited.ShouldBeFalse("the server must still be sending when it is killed");
            server.Kill(); // SIGKILL: no shutdown, no flush, claims left behind
            await server.WaitForExitAsync();
            kills.Add(smtp.Received.Count);
        }

        await using var check = await Stores.OpenAsync("postgres", schema);
        var outbox = new OutboxStore(check);
        using (var last = Serve(root, users, connection, smtp.Port))
        {
            var deadline = DateTime.UtcNow.AddSeconds(180);
            while (DateTime.UtcNow < deadline && (await outbox.CountsAsync()).GetValueOrDefault(("email", OutboxStatus.Sent)) < Messages)
            {
                await Task.Delay(200);
            }

            last.Kill();
            await last.WaitForExitAsync();
        }

        var counts = await outbox.CountsAsync();
        var ids = smtp.Received.Select(m => m.MessageId).ToList();
        var distinct = ids.Distinct().Count();
        var lost = Messages - distinct;
        var duplicated = ids.Count - distinct;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Messages} messages; killed (SIGKILL) after {kills[0]} and {kills[1]} received; received {ids.Count}, distinct {distinct}: lost {lost}, duplicated {duplicated}"));
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "pe-notify-crash-report.txt"),
            string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} lost {lost} duplicated {duplicated} of {Messages} (kills at {kills[0]}, {kills[1]})\n"));

        counts.GetValueOrDefault(("email", OutboxStatus.Sent)).ShouldBe(Messages);
        lost.ShouldBe(0);
        ids.ShouldAllBe(id => id!.EndsWith(".email@bacninh.gov.vn", StringComparison.Ordinal));
        duplicated.ShouldBeLessThanOrEqualTo(2 * 8, "only messages in flight (at most the parallelism per kill) can be sent twice");
        Directory.Delete(root, recursive: true);
    }

    private static Process Serve(string root, string users, string connection, int smtpPort)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "procedure-engine.dll"));
        foreach (var a in new[]
                 {
                     "serve", "--store", "postgres", "--connection", connection, "--urls", $"http://127.0.0.1:{TestSmtp.FreePort()}",
                     "--definitions", Path.Combine(root, "definitions"), "--data", Path.Combine(root, "data"), "--users", users,
                 })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("ConnectionStrings__Events");
        info.Environment["Notifications__Smtp__Host"] = "127.0.0.1";
        info.Environment["Notifications__Smtp__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["Notifications__Smtp__Security"] = "none";
        info.Environment["Notifications__Smtp__From"] = "motcua@bacninh.gov.vn";
        info.Environment["Notifications__Dispatcher__LeaseSeconds"] = "3";
        info.Environment["Notifications__Dispatcher__PollMilliseconds"] = "100";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
