using System.CommandLine;
using ProcedureEngine.Host.Web;

namespace ProcedureEngine.Host.Cli;

/// <summary>`procedure-engine serve`: HTTP API + designer + scheduler on the embedded SQLite store by default.</summary>
internal static class ServeVerb
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var definitions = new Option<string>("--definitions") { Description = "The procedure catalogue folder", DefaultValueFactory = _ => "definitions" };
        var data = new Option<string>("--data") { Description = "Folder for the embedded store, drafts and users.yaml", DefaultValueFactory = _ => "data" };
        var users = new Option<string?>("--users") { Description = "users.yaml (default: <data>/users.yaml, created on first start)" };
        var publicUrl = new Option<string?>("--public-url") { Description = "Public base URL printed as QR codes on letters (default: --urls)" };
        var place = new Option<string?>("--place") { Description = "Place printed before the date on letters, e.g. \"Bắc Ninh\"" };
        var parent = new Option<string?>("--parent-agency") { Description = "Body printed above the agency name on letters, e.g. \"UBND tỉnh Bắc Ninh\"" };
        var sweep = new Option<int>("--sweep-seconds") { Description = "How often deadlines are swept", DefaultValueFactory = _ => 60 };
        // Notifications: the main switches as options; everything else (credentials, secrets, retries) in appsettings.json
        // or the environment under Notifications: (docs/notifications.md). None set: messages are kept, not sent.
        var smtpHost = new Option<string?>("--smtp-host") { Description = "Send e-mail notifications through this SMTP server (Notifications:Smtp:Host)" };
        var smtpPort = new Option<string?>("--smtp-port") { Description = "SMTP port (default 587; Notifications:Smtp:Port)" };
        var smtpFrom = new Option<string?>("--smtp-from") { Description = "Sender address of the e-mails (Notifications:Smtp:From)" };
        var smsGateway = new Option<string?>("--sms-gateway") { Description = "Send SMS through this HTTP gateway URL (Notifications:Sms:Url)" };
        var portalWebhook = new Option<string?>("--portal-webhook") { Description = "Push status changes to this portal URL, signed with Notifications:Portal:Secret (Notifications:Portal:Url)" };
        var checkin = new Option<double>("--cluster-checkin-seconds")
        {
            Description = "PostgreSQL: how often this node checks in with the scheduler cluster; a killed node's timers move to another after 1-2 intervals + 7.5 s (shorter: faster take-over, more database writes)",
            DefaultValueFactory = _ => 5,
        };
        var node = new Option<string?>("--node-name") { Description = "This node's name in the scheduler cluster, traces and metrics (default: host name and process id)" };
        var logFormat = new Option<string>("--log-format") { Description = "Console log lines: text or json", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var demo = new Option<bool>("--demo")
        {
            Description = "On a store without dossiers, seed the previous month and this month up to now (as `seed` does) so the pages show a living centre; also PE_DEMO=1",
        };
        var command = new Command("serve", "Run the HTTP API, the designer and the deadline timers");
        store.AddTo(command);
        foreach (var option in new Option[] { urls, definitions, data, users, publicUrl, place, parent, sweep, smtpHost, smtpPort, smtpFrom, smsGateway, portalWebhook, checkin, node, logFormat, demo })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var connection = parse.GetValue(store.Connection) ?? Environment.GetEnvironmentVariable(StoreOptions.ConnectionEnvironmentVariable);
            var options = new ServerOptions
            {
                Urls = parse.GetValue(urls)!,
                DefinitionsRoot = parse.GetValue(definitions)!,
                DataRoot = parse.GetValue(data)!,
                UsersFile = parse.GetValue(users),
                Store = parse.GetValue(store.Store) ?? "sqlite",
                Connection = connection,
                PublicUrl = parse.GetValue(publicUrl),
                Place = parse.GetValue(place),
                ParentAgency = parse.GetValue(parent),
                SweepInterval = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(sweep))),
                ClusterCheckinInterval = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(checkin))),
                NodeName = parse.GetValue(node),
                LogFormat = parse.GetValue(logFormat)!,
                Demo = parse.GetValue(demo) || Environment.GetEnvironmentVariable("PE_DEMO") is "1" or "true",
                Settings = new Dictionary<string, string?>
                    {
                        ["Notifications:Smtp:Host"] = parse.GetValue(smtpHost),
                        ["Notifications:Smtp:Port"] = parse.GetValue(smtpPort),
                        ["Notifications:Smtp:From"] = parse.GetValue(smtpFrom),
                        ["Notifications:Sms:Url"] = parse.GetValue(smsGateway),
                        ["Notifications:Portal:Url"] = parse.GetValue(portalWebhook),
                    }.Where(kv => kv.Value is not null).ToDictionary(),
            };
            try
            {
                await using var app = await WebHost.BuildAsync(options).ConfigureAwait(false);
                Console.WriteLine($"procedure-engine serving on {options.Urls} ({options.Store} store; OpenAPI at /openapi/v1.json; designer at /designer/)");
                await app.RunAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FormatException or ProcedureEngine.EventStore.EventStoreException
                                          or ProcedureEngine.Calendar.CalendarFormatException or IOException)
            {
                Console.Error.WriteLine($"serve: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
