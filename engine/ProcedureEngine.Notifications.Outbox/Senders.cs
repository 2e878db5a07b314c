using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace ProcedureEngine.Notifications.Outbox;

/// <summary>SMTP settings (`Notifications:Smtp:*` / `serve --smtp-*`).</summary>
public sealed record SmtpOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 587;

    /// <summary>none, starttls (required), auto (STARTTLS when offered) or tls (implicit TLS, port 465).</summary>
    public string Security { get; init; } = "auto";

    public string? User { get; init; }

    public string? Password { get; init; }

    public required string From { get; init; }

    public string? FromName { get; init; }

    /// <summary>Right-hand side of the Message-IDs (default: the From address's domain).</summary>
    public string? MessageIdDomain { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public SecureSocketOptions SocketOptions => Security.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "tls" or "ssl" => SecureSocketOptions.SslOnConnect,
        "auto" => SecureSocketOptions.StartTlsWhenAvailable,
        _ => throw new ArgumentException($"smtp security '{Security}' is not none, starttls, auto or tls"),
    };
}

/// <summary>A letter to attach to an e-mail: file name and PDF bytes.</summary>
public sealed record Attachment(string FileName, byte[] Content, string MediaType = "application/pdf");

/// <summary>Finds the letter an e-mail carries (the receipt, supplement request or apology the event issued), or null.</summary>
public interface ILetterSource
{
    Task<Attachment?> LetterAsync(NotificationFacts facts, CancellationToken cancellationToken);
}

/// <summary>
/// E-mail through MailKit over SMTP: HTML and plain text, the letter as PDF where the law gives one, and
/// <c>Message-ID: &lt;{message id}@{domain}&gt;</c>, stable across retries so a receiver can drop duplicates. Keeps a
/// few connections open and reuses them; a connection that failed is dropped.
/// </summary>
public sealed class SmtpEmailSender(SmtpOptions options, TemplateOptions templates, ILetterSource? letters = null) : INotificationSender, IAsyncDisposable
{
    private readonly ConcurrentBag<SmtpClient> idle = [];

    public string Channel => NotificationChannel.Email;

    /// <summary>The MIME message for an outbox row (what is sent; also for tests and previews).</summary>
    public async Task<MimeMessage> ComposeAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var content = MessageTemplates.Email(message.Facts, templates);
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(options.FromName ?? "", options.From));
        if (!MailboxAddress.TryParse(message.Recipient, out var to))
        {
            throw new SendException($"'{message.Recipient}' is not an e-mail address", permanent: true);
        }

        mime.To.Add(to);
        mime.Subject = content.Subject;
        mime.MessageId = $"{message.Id}@{options.MessageIdDomain ?? options.From.Split('@').Last()}";
        mime.Date = message.CreatedAt;
        mime.Headers.Add("X-PE-Dossier", message.Facts.Reference);
        var body = new BodyBuilder { TextBody = content.Text, HtmlBody = content.Html };
        if (NotificationKind.HasLetter(message.Kind) && letters is not null && await letters.LetterAsync(message.Facts, cancellationToken).ConfigureAwait(false) is { } letter)
        {
            body.Attachments.Add(letter.FileName, letter.Content, ContentType.Parse(letter.MediaType));
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    public async Task<string?> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var mime = await ComposeAsync(message, cancellationToken).ConfigureAwait(false);
        var client = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await client.SendAsync(mime, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException ex) when (ex.StatusCode is >= (SmtpStatusCode)500 and < (SmtpStatusCode)600 && ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted)
        {
            idle.Add(client);
            throw new SendException($"the mail server refused the recipient {message.Recipient}: {ex.Message}", permanent: true, ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        idle.Add(client);
        return mime.MessageId;
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        while (idle.TryTake(out var pooled))
        {
            if (pooled.IsConnected)
            {
                return pooled;
            }

            pooled.Dispose();
        }

        var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(options.Host, options.Port, options.SocketOptions, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(options.User))
            {
                await client.AuthenticateAsync(options.User, options.Password ?? "", cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        while (idle.TryTake(out var client))
        {
            if (client.IsConnected)
            {
                try
                {
                    await client.DisconnectAsync(true).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or MailKit.ProtocolException or SmtpCommandException)
                {
                    // Closing a connection the server already dropped.
                }
            }

            client.Dispose();
        }
    }
}

/// <summary>SMS gateway settings (`Notifications:Sms:*`).</summary>
public sealed record SmsGatewayOptions
{
    /// <summary>Where messages are POSTed (JSON).</summary>
    public required Uri Url { get; init; }

    /// <summary>Sent as `Authorization: Bearer ...` when set.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Basic authentication (user:password) when set and no API key.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>The registered brand name (sender id).</summary>
    public string? Brand { get; init; }

    /// <summary>Template ids registered with the carrier, by notification kind.</summary>
    public IReadOnlyDictionary<string, string> TemplateIds { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the gateway posts delivery receipts (our `/api/notifications/sms/delivery`), sent with each message.</summary>
    public Uri? CallbackUrl { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// SMS through an HTTP gateway: POST JSON {to, text, brand, templateId, kind, messageId, callbackUrl} with
/// `Idempotency-Key: {message id}` (the gateway drops a repeated key); 2xx is sent (the answer's `id` is kept for
/// delivery receipts), 408/429/5xx and timeouts are retried, other 4xx are refused for good.
/// </summary>
public sealed class SmsGatewaySender(HttpClient http, SmsGatewayOptions options, TemplateOptions templates) : INotificationSender
{
    public string Channel => NotificationChannel.Sms;

    public async Task<string?> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = MessageTemplates.Sms(message.Facts, templates);
        var body = JsonSerializer.Serialize(new
        {
            to = message.Recipient,
            text,
            brand = options.Brand,
            templateId = options.TemplateIds.GetValueOrDefault(message.Kind),
            kind = message.Kind,
            messageId = message.Id,
            callbackUrl = options.CallbackUrl?.ToString(),
        }, NotificationOutboxProjection.Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", message.Id);
        if (options.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else if (options.User is { Length: > 0 } user)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SendException($"the SMS gateway did not answer within {options.Timeout.TotalSeconds:0.#} s");
        }

        using (response)
        {
            var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var code = (int)response.StatusCode;
                var retryable = code is 408 or 429 || code >= 500;
                throw new SendException($"the SMS gateway answered {code}: {Trim(answer)}", permanent: !retryable);
            }

            return ReferenceIn(answer) ?? message.Id;
        }
    }

    private static string? ReferenceIn(string answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var id) ? id.ToString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string Trim(string text) => text.Length > 300 ? text[..300] + "..." : text;
}

/// <summary>National portal webhook settings (`Notifications:Portal:*`).</summary>
public sealed record PortalOptions
{
    public required Uri Url { get; init; }

    /// <summary>Shared secret of the HMAC-SHA256 signature.</summary>
    public required string Secret { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The signature of portal webhooks: <c>X-PE-Signature: sha256=hex(HMAC-SHA256(secret, "{timestamp}.{body}"))</c> with
/// <c>X-PE-Timestamp</c> (Unix seconds) and <c>X-PE-Message-Id</c>. A receiver recomputes it, refuses a timestamp
/// outside its tolerance (a replayed old request) and drops an id it has already seen (a retried one).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-PE-Signature";
    public const string TimestampHeader = "X-PE-Timestamp";
    public const string MessageIdHeader = "X-PE-Message-Id";

    public static string Sign(string secret, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>True when the signature matches and the timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string? timestamp, string body, string? signature, DateTimeOffset now, TimeSpan tolerance)
    {
        if (signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, seconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}

/// <summary>
/// Status changes pushed to the national portal: POST JSON (the message id, the dossier, the event and its status),
/// signed (<see cref="WebhookSignature"/>); a 2xx is recorded as sent ("HTTP 202"), anything else retried.
/// </summary>
public sealed class PortalWebhookSender(HttpClient http, PortalOptions options, TemplateOptions templates, TimeProvider? clock = null) : INotificationSender
{
    public string Channel => NotificationChannel.Portal;

    public static string Body(OutboxMessage message, TemplateOptions templates)
    {
        ArgumentNullException.ThrowIfNull(message);
        var f = message.Facts;
        return JsonSerializer.Serialize(new
        {
            id = message.Id,
            dossierId = f.DossierId,
            dossierCode = f.DossierCode,
            procedureCode = f.ProcedureCode,
            @event = f.EventType,
            eventVersion = f.EventVersion,
            kind = f.Kind,
            status = f.Status,
            at = f.At,
            appointmentAt = f.AppointmentAt,
            reason = f.Reason,
            trackingUrl = MessageTemplates.TrackingLink(f, templates),
        }, NotificationOutboxProjection.Json);
    }

    public async Task<string?> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var body = Body(message, templates);
        var timestamp = (clock ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(options.Secret, timestamp, body));
        request.Headers.Add(WebhookSignature.MessageIdHeader, message.Id);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new SendException($"the portal answered {(int)response.StatusCode}: {SmsGatewaySender.Trim(answer)}");
            }

            return $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SendException($"the portal did not answer within {options.Timeout.TotalSeconds:0.#} s");
        }
    }
}
