using ProcedureEngine.Notifications;
using ProcedureEngine.Notifications.Outbox;

namespace ProcedureEngine.Host.Views;

/// <summary>How the applicant of a dossier is reached, and on which channels they asked to be told.</summary>
public sealed record ContactView(
    string DossierId, string? DossierCode, string? Applicant, string? Phone, string? Email, IReadOnlyList<string> Notify, bool Corrected)
{
    public static ContactView Of(DossierContact c) => new(c.DossierId, c.DossierCode, c.ApplicantName, c.Phone, c.Email, c.Notify, c.Corrected);
}

/// <summary>One outbox message: what it tells, to whom, on which channel, and how its sending went.</summary>
public sealed record NotificationView(
    string Id, string DossierId, string? DossierCode, long EventVersion, string EventType, string Kind, string Channel, string? Recipient,
    string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset? SentAt,
    string? ProviderId, string? Delivery, DateTimeOffset? DeliveredAt)
{
    public static NotificationView Of(OutboxMessage m) => new(
        m.Id, m.DossierId, m.Facts.DossierCode, m.EventVersion, m.Facts.EventType, m.Kind, m.Channel, m.Recipient, m.Status, m.Attempts,
        m.CreatedAt, m.Status == OutboxStatus.Pending ? m.NextAttemptAt : null, m.LastError, m.SentAt, m.ProviderId, m.Delivery, m.DeliveredAt);
}
