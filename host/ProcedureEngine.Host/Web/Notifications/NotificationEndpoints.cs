using System.Security.Cryptography;
using ProcedureEngine.Host.Views;
using ProcedureEngine.Notifications;
using ProcedureEngine.Notifications.Outbox;

namespace ProcedureEngine.Host.Web.Notifications;

/// <summary>An officer's correction of the applicant's contact and consent (PUT /api/dossiers/{id}/contact).</summary>
public sealed record ContactBody(string? Phone, string? Email, List<string>? Notify);

/// <summary>A delivery receipt from the SMS gateway: the message (our id or the gateway's reference) and its state.</summary>
public sealed record DeliveryReceiptBody(string? MessageId, string? Status, DateTimeOffset? At);

/// <summary>/api/notifications: the outbox for supervisors (list, dead messages, resend), contact correction, delivery receipts.</summary>
public static class NotificationEndpoints
{
    public const string CallbackTokenHeader = "X-PE-Callback-Token";

    public static void MapNotifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Notifications");

        group.MapGet("/", async (string? status, string? dossier, string? channel, int? limit, int? offset, OutboxStore outbox, IEventStore store, CancellationToken ct) =>
            {
                if (status is not null && !OutboxStatus.All.Contains(status))
                {
                    return Problem($"status '{status}' is not pending, sent or dead", "status");
                }

                if (channel is not null && !NotificationChannel.All.Contains(channel))
                {
                    return Problem($"channel '{channel}' is not email, sms or portal", "channel");
                }

                if (limit is < 1 or > 1000)
                {
                    return Problem($"limit {limit} is not between 1 and 1000", "limit");
                }

                if (offset is < 0)
                {
                    return Problem($"offset {offset} is negative", "offset");
                }

                var dossierId = dossier is null ? null : await DossierIdAsync(store, dossier, ct).ConfigureAwait(false);
                var rows = await outbox.ListAsync(new OutboxQuery(status, dossierId, channel, limit ?? 200, offset ?? 0), ct).ConfigureAwait(false);
                return Results.Ok(rows.Select(NotificationView.Of));
            })
            .RequireAuthorization(Policies.Read)
            .WithSummary("Messages of the outbox, newest first (?status=pending|sent|dead, ?dossier=, ?channel=email|sms|portal, ?limit=, ?offset=)");

        group.MapGet("/summary", async (OutboxStore outbox, NotificationSettings settings, CancellationToken ct) =>
            {
                var counts = await outbox.CountsAsync(ct).ConfigureAwait(false);
                return Results.Ok(new
                {
                    sending = new { email = settings.Smtp is not null, sms = settings.Sms is not null, portal = settings.Portal is not null },
                    counts = NotificationChannel.All.ToDictionary(c => c, c => OutboxStatus.All.ToDictionary(s => s, s => counts.GetValueOrDefault((c, s)))),
                });
            })
            .RequireAuthorization(Policies.Read)
            .WithSummary("How many messages are pending, sent and dead per channel, and which channels are sent");

        group.MapGet("/{id}", async (string id, OutboxStore outbox, CancellationToken ct) =>
                await outbox.FindAsync(id, ct).ConfigureAwait(false) is { } message ? Results.Ok(NotificationView.Of(message)) : NotFound(id))
            .RequireAuthorization(Policies.Read)
            .WithSummary("One message, with its attempts and last error");

        group.MapPost("/{id}/resend", async (string id, OutboxStore outbox, TimeProvider clock, CancellationToken ct) =>
            {
                if (await outbox.ResendAsync(id, clock.GetUtcNow(), ct).ConfigureAwait(false))
                {
                    return Results.Ok(NotificationView.Of((await outbox.FindAsync(id, ct).ConfigureAwait(false))!));
                }

                return await outbox.FindAsync(id, ct).ConfigureAwait(false) is { } message
                    ? Errors.Problems.Of(StatusCodes.Status409Conflict, "notification-not-dead",
                        $"Chỉ gửi lại được tin đã hỏng; tin {id} đang ở trạng thái {message.Status}", $"message {id} is {message.Status}, not dead")
                    : NotFound(id);
            })
            .RequireAuthorization(NotificationSetup.ResendPolicy)
            .WithSummary("Puts a dead message back in the queue (due now, attempts from zero)");

        group.MapPost("/sms/delivery", async (DeliveryReceiptBody body, HttpRequest http, NotificationSettings settings, OutboxStore outbox, TimeProvider clock, CancellationToken ct) =>
            {
                if (settings.DeliveryReceiptToken is not { Length: > 0 } token)
                {
                    return Errors.Problems.NotFound("Máy chủ chưa cấu hình nhận báo phát (Notifications:Sms:CallbackToken)",
                        "set Notifications:Sms:CallbackToken to accept delivery receipts");
                }

                var presented = http.Headers[CallbackTokenHeader].ToString();
                if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(token)))
                {
                    return Errors.Problems.Of(StatusCodes.Status401Unauthorized, Errors.ProblemCodes.Unauthenticated,
                        $"Tiêu đề {CallbackTokenHeader} không khớp", $"the {CallbackTokenHeader} header does not match");
                }

                if (string.IsNullOrWhiteSpace(body.MessageId))
                {
                    return Problem("messageId is required", "messageId");
                }

                if (string.IsNullOrWhiteSpace(body.Status))
                {
                    return Problem("status is required (e.g. delivered, failed)", "status");
                }

                return await outbox.RecordDeliveryAsync(body.MessageId, body.Status, body.At ?? clock.GetUtcNow(), ct).ConfigureAwait(false)
                    ? Results.NoContent()
                    : NotFound(body.MessageId);
            })
            .AllowAnonymous()
            .WithSummary($"The SMS gateway's delivery receipt (header {CallbackTokenHeader}: the configured Notifications:Sms:CallbackToken)");

        var contact = app.MapGroup("/api/dossiers/{id}/contact").WithTags("Notifications");
        contact.MapGet("/", async (string id, OutboxStore outbox, IEventStore store, CancellationToken ct) =>
                await outbox.ContactAsync(await DossierIdAsync(store, id, ct).ConfigureAwait(false), ct).ConfigureAwait(false) is { } c ? Results.Ok(ContactView.Of(c)) : DossierApi.NotFound(id))
            .RequireAuthorization(Policies.Read)
            .WithSummary("The applicant's contact and consent as the notifications use them");

        contact.MapPut("/", async (string id, ContactBody body, ClaimsPrincipal user, OutboxStore outbox, IEventStore store, TimeProvider clock, CancellationToken ct) =>
            {
                if (DossierApi.ValidateNotify(body.Notify, body.Phone, body.Email, "") is { } problem)
                {
                    return Problem(problem, "notify");
                }

                var by = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "unknown";
                var corrected = await outbox.CorrectContactAsync(await DossierIdAsync(store, id, ct).ConfigureAwait(false), new ContactCorrection(Blank(body.Phone), Blank(body.Email), body.Notify ?? [], by, clock.GetUtcNow()), ct).ConfigureAwait(false);
                return corrected is null ? DossierApi.NotFound(id) : Results.Ok(ContactView.Of(corrected));
            })
            .RequireAuthorization(Policies.ActOnDossiers)
            .WithSummary("An officer corrects the applicant's phone, e-mail and consent; unsent messages follow the correction");
    }

    /// <summary>A dossier named by its code (what the applicant and the officer know) or by its stream id.</summary>
    private static async Task<string> DossierIdAsync(IEventStore store, string codeOrId, CancellationToken ct) =>
        await ReadModelQueries.DossierIdOfCodeAsync(store, codeOrId, ct).ConfigureAwait(false) ?? codeOrId;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static IResult Problem(string detail, string parameter) =>
        Errors.Problems.InvalidParameter($"{detail} (tham số '{parameter}')", $"{detail} (parameter '{parameter}')");

    private static IResult NotFound(string id) =>
        Errors.Problems.NotFound($"Không có tin nhắn '{id}'", $"no notification '{id}'");
}
