using System.CommandLine;
using ProcedureEngine.Notifications.Outbox;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine notifications list [--status dead] [--dossier ID] [--channel sms] [--json]` and
/// `notifications resend ID...` (or `--all-dead`): the outbox from the shell, on the same store as `serve`.
/// </summary>
internal static class NotificationsVerb
{
    public static Command Create() =>
        new("notifications", "The notification outbox: list messages (pending, sent, dead) and resend dead ones") { List(), Resend() };

    private static Command List()
    {
        var options = new StoreOptions();
        var status = new Option<string?>("--status") { Description = "pending, sent or dead" };
        status.AcceptOnlyFromAmong([.. OutboxStatus.All]);
        var dossier = new Option<string?>("--dossier") { Description = "Only this dossier's messages" };
        var channel = new Option<string?>("--channel") { Description = "email, sms or portal" };
        channel.AcceptOnlyFromAmong("email", "sms", "portal");
        var limit = new Option<int>("--limit") { Description = "At most this many (newest first)", DefaultValueFactory = _ => 200 };
        var json = new Option<bool>("--json") { Description = "JSON lines instead of a table" };
        var command = new Command("list", "Messages of the outbox, newest first, with attempts and last error");
        options.AddTo(command);
        foreach (var option in new Option[] { status, dossier, channel, limit, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) => await ProjectionsVerb.RunAsync("notifications list", options, parse, async store =>
        {
            var rows = await new OutboxStore(store).ListAsync(new OutboxQuery(parse.GetValue(status), parse.GetValue(dossier), parse.GetValue(channel), Math.Clamp(parse.GetValue(limit), 1, 100_000)), cancellationToken).ConfigureAwait(false);
            foreach (var m in rows)
            {
                Console.WriteLine(parse.GetValue(json)
                    ? JsonSerializer.Serialize(new { m.Id, m.Status, m.Channel, m.Kind, m.Recipient, m.Attempts, m.LastError, m.SentAt, m.ProviderId, m.Delivery }, JsonSerializerOptions.Web)
                    : string.Create(CultureInfo.InvariantCulture, $"{m.Id}\t{m.Status}\t{m.Channel}\t{m.Kind}\t{m.Recipient ?? "-"}\tattempts {m.Attempts}{(m.LastError is null ? "" : "\t" + m.LastError)}"));
            }

            Console.Error.WriteLine($"{rows.Count} message(s) ({StoreOptions.Describe(store)})");
            return 0;
        }).ConfigureAwait(false));
        return command;
    }

    private static Command Resend()
    {
        var options = new StoreOptions();
        var ids = new Argument<string[]>("id") { Description = "Message ids (see `notifications list --status dead`)", Arity = ArgumentArity.ZeroOrMore };
        var allDead = new Option<bool>("--all-dead") { Description = "Every dead message" };
        var command = new Command("resend", "Put dead messages back in the queue (due now, attempts from zero); a running server sends them");
        options.AddTo(command);
        command.Arguments.Add(ids);
        command.Options.Add(allDead);
        command.SetAction(async (parse, cancellationToken) => await ProjectionsVerb.RunAsync("notifications resend", options, parse, async store =>
        {
            var outbox = new OutboxStore(store);
            var targets = parse.GetValue(ids) ?? [];
            if (parse.GetValue(allDead))
            {
                targets = [.. targets, .. (await outbox.ListAsync(new OutboxQuery(OutboxStatus.Dead, Limit: 100_000), cancellationToken).ConfigureAwait(false)).Select(m => m.Id)];
            }

            if (targets.Length == 0)
            {
                Console.Error.WriteLine("notifications resend: name message ids or --all-dead");
                return 2;
            }

            var failed = 0;
            foreach (var id in targets.Distinct(StringComparer.Ordinal))
            {
                if (await outbox.ResendAsync(id, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false))
                {
                    Console.WriteLine($"{id}: queued again");
                }
                else
                {
                    failed++;
                    var message = await outbox.FindAsync(id, cancellationToken).ConfigureAwait(false);
                    Console.Error.WriteLine(message is null ? $"{id}: no such message" : $"{id}: is {message.Status}, not dead; not resent");
                }
            }

            return failed == 0 ? 0 : 1;
        }).ConfigureAwait(false));
        return command;
    }
}
