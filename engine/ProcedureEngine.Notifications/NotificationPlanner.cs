using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;

namespace ProcedureEngine.Notifications;

/// <summary>
/// What the notifications know of a dossier between events: who to tell, by which channels (the applicant's
/// consent), and the facts later messages repeat (code, procedure, appointment). Kept by the outbox projection;
/// <see cref="Corrected"/> when an officer corrected the contact: the events' applicant no longer overrides it.
/// </summary>
public sealed record DossierContact(string DossierId)
{
    public string? DossierCode { get; init; }

    public string? ApplicantName { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    /// <summary>The channels the applicant consented to (sms, email); empty: none.</summary>
    public IReadOnlyList<string> Notify { get; init; } = [];

    public string? ProcedureCode { get; init; }

    public string? ProcedureName { get; init; }

    public DateTimeOffset? AppointmentAt { get; init; }

    public bool Online { get; init; }

    public bool Received { get; init; }

    public string Status { get; init; } = "new";

    public bool Corrected { get; init; }

    /// <summary>Where a personal message on <paramref name="channel"/> goes, or null when there is no consent or no address.</summary>
    public string? RecipientFor(string channel)
    {
        if (!Notify.Contains(channel, StringComparer.Ordinal))
        {
            return null;
        }

        var address = channel switch
        {
            NotificationChannel.Email => Email,
            NotificationChannel.Sms => Phone,
            _ => null,
        };
        return string.IsNullOrWhiteSpace(address) ? null : address.Trim();
    }

    /// <summary>The applicant's contact and consent as lodged (unless an officer corrected them since).</summary>
    public DossierContact WithApplicant(Applicant? applicant) => applicant is null || Corrected ? this : this with
    {
        ApplicantName = applicant.Name,
        Phone = applicant.Phone,
        Email = applicant.Email,
        Notify = applicant.Notify is { } notify ? [.. notify.Where(c => NotificationChannel.Personal.Contains(c, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)] : [],
    };
}

/// <summary>
/// Which event yields which messages (pure): the events that concern the applicant give an e-mail and an SMS on the
/// channels they consented to; every status change gives a portal message.
/// </summary>
public static class NotificationPlanner
{
    /// <summary>The contact after <paramref name="e"/>, and the messages <paramref name="e"/> (event <paramref name="version"/> of the stream) gives.</summary>
    public static (DossierContact Contact, IReadOnlyList<PlannedMessage> Messages) Apply(DossierContact contact, DossierEvent e, long version)
    {
        ArgumentNullException.ThrowIfNull(contact);
        ArgumentNullException.ThrowIfNull(e);
        var before = contact;
        contact = Evolve(contact, e);
        var facts = Facts(before, contact, e, version);
        if (facts is null)
        {
            return (contact, []);
        }

        var messages = new List<PlannedMessage>(3);
        if (facts.Kind != NotificationKind.Status)
        {
            foreach (var channel in NotificationChannel.Personal)
            {
                if (contact.RecipientFor(channel) is { } recipient)
                {
                    messages.Add(new PlannedMessage(PlannedMessage.IdOf(contact.DossierId, version, channel), channel, recipient, facts));
                }
            }
        }

        messages.Add(new PlannedMessage(PlannedMessage.IdOf(contact.DossierId, version, NotificationChannel.Portal), NotificationChannel.Portal, null, facts));
        return (contact, messages);
    }

    /// <summary>
    /// What the contact keeps from an event; its status and appointment move as the decider's do
    /// (<see cref="DossierLifecycle"/>): the rule "an apology moves the appointment" has one home.
    /// </summary>
    private static DossierContact Evolve(DossierContact c, DossierEvent e) => (e switch
    {
        DossierSubmitted s => c.WithApplicant(s.Applicant) with { Online = true, ProcedureCode = s.ProcedureCode },
        DossierReceived r => c.WithApplicant(r.Applicant) with
        {
            DossierCode = r.DossierCode, ProcedureCode = r.ProcedureCode, ProcedureName = r.ProcedureName,
            Received = true, Online = c.Online || r.Channel == Channel.Online,
        },
        DossierRefused f => c.WithApplicant(c.ApplicantName is null ? f.Applicant : null) with { ProcedureCode = c.ProcedureCode ?? f.ProcedureCode },
        _ => c,
    }) with
    {
        Status = StatusAfter(c.Status, e),
        AppointmentAt = DossierLifecycle.AppointmentAfter(c.AppointmentAt, e),
    };

    /// <summary>The contact's status word: the decider's status in camelCase ("new" before the dossier is lodged).</summary>
    private static string StatusAfter(string status, DossierEvent e)
    {
        var before = Enum.Parse<DossierStatus>(status, ignoreCase: true);
        var after = DossierLifecycle.StatusAfter(before, e);
        return after == before ? status : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(after.ToString());
    }

    private static NotificationFacts? Facts(DossierContact before, DossierContact c, DossierEvent e, long version)
    {
        var kind = e switch
        {
            DossierReceived => c.Online ? NotificationKind.OnlineAccepted : NotificationKind.Received,
            DossierRefused => before.Online && !before.Received ? NotificationKind.OnlineRefused : NotificationKind.Refused,
            SupplementRequested => NotificationKind.Supplement,
            ApologyIssued => NotificationKind.Apology,
            // Only a moved appointment concerns the applicant (the step dues are the agencies' business).
            DossierReplanned r => r.AppointmentMoved ? NotificationKind.AppointmentMoved : null,
            ResultReady => NotificationKind.ResultReady,
            DossierClosed => NotificationKind.Closed,
            DossierSubmitted or SupplementProvided or DossierOverdue or ResultReturned or DossierWithdrawn or AcceptanceOverdue => NotificationKind.Status,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        var facts = new NotificationFacts
        {
            Kind = kind,
            DossierId = c.DossierId,
            DossierCode = c.DossierCode,
            EventType = e.Type,
            EventVersion = version,
            At = e.At,
            Status = c.Status,
            ApplicantName = c.ApplicantName,
            ProcedureCode = c.ProcedureCode,
            ProcedureName = c.ProcedureName,
            AppointmentAt = c.AppointmentAt,
        };
        return e switch
        {
            DossierRefused f => facts with { Reason = f.Reason },
            SupplementRequested q => facts with { ClosesAt = q.ClosesAt, Documents = [.. q.Documents.Select(d => d.Name)], Reason = q.Reason },
            ApologyIssued a => facts with { Reason = a.Reason, Agency = a.AgencyAtFaultName },
            DossierReplanned r => facts with { PreviousAppointmentAt = r.PreviousAppointmentAt, Reason = r.Decision ?? r.Reason },
            DossierClosed x => facts with { ClosesAt = x.ClosesAt, Reason = x.Reason },
            DossierWithdrawn w => facts with { Reason = w.Reason },
            _ => facts,
        };
    }
}
