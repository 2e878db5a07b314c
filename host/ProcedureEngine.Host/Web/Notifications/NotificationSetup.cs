using ProcedureEngine.Letters.Composition;
using ProcedureEngine.Letters.Rendering;
using ProcedureEngine.Notifications;
using ProcedureEngine.Notifications.Outbox;

namespace ProcedureEngine.Host.Web.Notifications;

/// <summary>
/// The `Notifications` configuration section (appsettings.json, environment `Notifications__Smtp__Host`, or the
/// `serve --smtp-host ...` options, which fill the same keys). A channel is sent only when configured; the others'
/// messages are kept in the outbox and listed.
/// </summary>
public sealed record NotificationSettings(
    SmtpOptions? Smtp,
    SmsGatewayOptions? Sms,
    PortalOptions? Portal,
    TemplateOptions Templates,
    DispatcherOptions Dispatcher,
    string? DeliveryReceiptToken)
{
    public static NotificationSettings From(IConfiguration configuration, string publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var n = configuration.GetSection("Notifications");
        var templates = new TemplateOptions
        {
            PublicBaseUrl = n["PublicUrl"] ?? publicBaseUrl,
            Language = n["Language"] ?? "vi",
            Sender = n["Sender"],
            SmsEncoding = (n["Sms:Encoding"] ?? "gsm7").ToLowerInvariant() switch
            {
                "gsm7" => SmsEncoding.Gsm7,
                "ucs2" => SmsEncoding.Ucs2,
                var other => throw new FormatException($"Notifications:Sms:Encoding '{other}' is not gsm7 or ucs2"),
            },
        };
        if (templates.Language is not ("vi" or "en"))
        {
            throw new FormatException($"Notifications:Language '{templates.Language}' is not vi or en");
        }

        var smtp = n.GetSection("Smtp");
        var sms = n.GetSection("Sms");
        var portal = n.GetSection("Portal");
        var dispatcher = n.GetSection("Dispatcher");
        var smtpOptions = smtp["Host"] is { Length: > 0 } host ? new SmtpOptions
        {
            Host = host,
            Port = Int(smtp, "Port", 587),
            Security = smtp["Security"] ?? "auto",
            User = smtp["User"],
            Password = smtp["Password"],
            From = smtp["From"] ?? throw new FormatException("Notifications:Smtp:From (the sender address) is required with Notifications:Smtp:Host"),
            FromName = smtp["FromName"],
            MessageIdDomain = smtp["MessageIdDomain"],
        } : null;
        _ = smtpOptions?.SocketOptions; // refuses an unknown Security value at start-up
        return new NotificationSettings(
            smtpOptions,
            sms["Url"] is { Length: > 0 } url ? new SmsGatewayOptions
            {
                Url = AbsoluteUri(url, "Notifications:Sms:Url"),
                ApiKey = sms["ApiKey"],
                User = sms["User"],
                Password = sms["Password"],
                Brand = sms["Brand"],
                TemplateIds = sms.GetSection("Templates").GetChildren().ToDictionary(c => c.Key, c => c.Value ?? "", StringComparer.Ordinal),
                CallbackUrl = sms["CallbackUrl"] is { Length: > 0 } callback ? AbsoluteUri(callback, "Notifications:Sms:CallbackUrl") : null,
                Timeout = TimeSpan.FromSeconds(Int(sms, "TimeoutSeconds", 15)),
            } : null,
            portal["Url"] is { Length: > 0 } portalUrl ? new PortalOptions
            {
                Url = AbsoluteUri(portalUrl, "Notifications:Portal:Url"),
                Secret = portal["Secret"] is { Length: >= 16 } secret ? secret : throw new FormatException("Notifications:Portal:Secret (at least 16 characters) is required with Notifications:Portal:Url"),
                Timeout = TimeSpan.FromSeconds(Int(portal, "TimeoutSeconds", 15)),
            } : null,
            templates,
            new DispatcherOptions
            {
                Node = dispatcher["Node"] ?? $"{Environment.MachineName}:{Environment.ProcessId}",
                BatchSize = Int(dispatcher, "BatchSize", 64),
                Parallelism = Int(dispatcher, "Parallelism", 8),
                Lease = TimeSpan.FromSeconds(Int(dispatcher, "LeaseSeconds", 120)),
                PollInterval = TimeSpan.FromMilliseconds(Int(dispatcher, "PollMilliseconds", 2000)),
                Retry = new RetryPolicy
                {
                    MaxAttempts = Int(dispatcher, "MaxAttempts", 8),
                    BaseDelay = TimeSpan.FromSeconds(Int(dispatcher, "BaseDelaySeconds", 30)),
                    MaxDelay = TimeSpan.FromSeconds(Int(dispatcher, "MaxDelaySeconds", 7200)),
                },
            },
            sms["CallbackToken"]);
    }

    /// <summary>One line for the start-up banner: what is sent where, what is only kept.</summary>
    public string Describe()
    {
        var sent = new List<string>();
        var kept = new List<string>();
        (Smtp is null ? kept : sent).Add(Smtp is null ? "email" : $"email via SMTP {Smtp.Host}:{Smtp.Port}");
        (Sms is null ? kept : sent).Add(Sms is null ? "sms" : $"sms via {Sms.Url.GetLeftPart(UriPartial.Authority)}");
        (Portal is null ? kept : sent).Add(Portal is null ? "portal" : $"portal webhook {Portal.Url.GetLeftPart(UriPartial.Authority)}");
        return $"notifications: {(sent.Count == 0 ? "nothing is sent" : "sending " + string.Join(", ", sent))}"
            + (kept.Count == 0 ? "" : $"; kept in the outbox, not sent (not configured): {string.Join(", ", kept)}");
    }

    private static int Int(IConfigurationSection section, string key, int fallback) =>
        section[key] is not { Length: > 0 } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new FormatException($"{section.Path}:{key} '{text}' is not a positive whole number");

    private static Uri AbsoluteUri(string text, string key) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : throw new FormatException($"{key} '{text}' is not an http(s) URL");
}

/// <summary>The letter an e-mail carries, rendered as the API renders it (form, QR code to the tracking page, officer names).</summary>
internal sealed class DossierLetterSource(DossierService dossiers, PublicSite site) : ILetterSource
{
    public async Task<Attachment?> LetterAsync(NotificationFacts facts, CancellationToken cancellationToken)
    {
        var dossier = await dossiers.LoadAsync(facts.DossierId, null, cancellationToken).ConfigureAwait(false);
        if (dossier?.State.Letters.FirstOrDefault(l => l.EventSeq == facts.EventVersion) is not { } letter)
        {
            return null;
        }

        var data = DossierLetters.ForEvent([.. dossier.Events.Select(e => e.Event)], letter.EventSeq, site.LetterOptions(dossier));
        return data is null ? null : new Attachment($"{facts.Reference}-mau-{letter.Form}.pdf", LetterRenderer.Default.RenderPdf(data));
    }
}

/// <summary>Counts the outbox's pending and dead messages every few seconds for the pe.outbox.depth gauge (every node).</summary>
internal sealed class OutboxDepthMonitor(OutboxStore outbox, ILogger<OutboxDepthMonitor> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static readonly string[] Statuses = [OutboxStatus.Pending, OutboxStatus.Dead];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var counted = await outbox.DepthAsync(stoppingToken).ConfigureAwait(false);
                var depth = new Dictionary<(string, string), long>();
                foreach (var channel in NotificationChannel.All)
                {
                    foreach (var status in Statuses)
                    {
                        depth[(channel, status)] = counted.GetValueOrDefault((channel, status));
                    }
                }

                Operations.EngineTelemetry.SetOutboxDepth(depth);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Operations.StoreOutage.Is(e))
            {
                // The database is away (the store says so with an EventStoreException: "cannot connect to PostgreSQL"):
                // the gauge keeps its last value, readiness reports the outage, and the node keeps serving.
                log.LogDebug("outbox depth not counted: {Reason}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}

/// <summary>Runs the dispatcher while the server runs (every node; claims keep them apart).</summary>
internal sealed class NotificationDispatcherService(OutboxDispatcher dispatcher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => dispatcher.RunAsync(stoppingToken);
}

public static class NotificationSetup
{
    /// <summary>Who may put a dead message back in the queue: officers and administrators.</summary>
    public const string ResendPolicy = "resend-notifications";

    /// <summary>Registers the outbox, the configured senders and the dispatcher; announces what is sent and what is only kept.</summary>
    public static void AddNotifications(this IServiceCollection services, IConfiguration configuration, string publicBaseUrl, TimeProvider clock, Action<string> announce)
    {
        var settings = NotificationSettings.From(configuration, publicBaseUrl);
        announce(settings.Describe());
        services.AddSingleton(settings);
        services.AddSingleton(sp => new OutboxStore(sp.GetRequiredService<ProcedureEngine.EventStore.IEventStore>()));
        services.AddSingleton<ILetterSource, DossierLetterSource>();
        services.AddHttpClient("notifications");
        services.AddSingleton(sp =>
        {
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient("notifications");
            var senders = new List<INotificationSender>();
            if (settings.Smtp is { } smtp)
            {
                senders.Add(new SmtpEmailSender(smtp, settings.Templates, sp.GetRequiredService<ILetterSource>()));
            }

            if (settings.Sms is { } sms)
            {
                senders.Add(new SmsGatewaySender(http, sms, settings.Templates));
            }

            if (settings.Portal is { } portal)
            {
                senders.Add(new PortalWebhookSender(http, portal, settings.Templates, clock));
            }

            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("ProcedureEngine.Notifications");
            return new OutboxDispatcher(sp.GetRequiredService<OutboxStore>(), senders, settings.Dispatcher, clock, message => log.LogWarning("{Message}", message));
        });
        services.AddHostedService<NotificationDispatcherService>();
        services.AddHostedService<OutboxDepthMonitor>();
        services.Configure<Microsoft.AspNetCore.Authorization.AuthorizationOptions>(o =>
            o.AddPolicy(ResendPolicy, p => p.RequireRole(nameof(Security.UserRole.Officer), nameof(Security.UserRole.Admin))));
    }
}
