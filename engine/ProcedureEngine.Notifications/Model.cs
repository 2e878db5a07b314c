using System.Text.Json.Serialization;

namespace ProcedureEngine.Notifications;

/// <summary>Where a message goes.</summary>
public static class NotificationChannel
{
    public const string Email = "email";
    public const string Sms = "sms";

    /// <summary>The national public service portal (signed webhook of each status change).</summary>
    public const string Portal = "portal";

    /// <summary>The channels an applicant can consent to.</summary>
    public static IReadOnlyList<string> Personal { get; } = [Sms, Email];

    public static IReadOnlyList<string> All { get; } = [Email, Sms, Portal];
}

/// <summary>What a message tells the applicant.</summary>
public static class NotificationKind
{
    /// <summary>Received at the counter or by post: code, appointment, tracking link (receipt letter attached).</summary>
    public const string Received = "received";

    /// <summary>An online submission accepted: the same facts as a receipt.</summary>
    public const string OnlineAccepted = "online-accepted";

    /// <summary>An online submission refused (never received).</summary>
    public const string OnlineRefused = "online-refused";

    /// <summary>Documents are missing: which, and until when (supplement request attached).</summary>
    public const string Supplement = "supplement";

    /// <summary>Late: the apology and the new appointment (apology letter attached).</summary>
    public const string Apology = "apology";

    public const string ResultReady = "result-ready";

    public const string Refused = "refused";

    /// <summary>Closed because the requested documents never came.</summary>
    public const string Closed = "closed";

    /// <summary>
    /// A new calendar version (a day off declared, a swap) moved the appointment: the old and the new appointment and
    /// the decision (notice "TB" attached).
    /// </summary>
    public const string AppointmentMoved = "appointment-moved";

    /// <summary>Portal only: any other status change.</summary>
    public const string Status = "status";

    /// <summary>Kinds for which the law gives the citizen a letter, attached as PDF to the e-mail.</summary>
    public static bool HasLetter(string kind) => kind is Received or OnlineAccepted or Supplement or Apology or AppointmentMoved;
}

/// <summary>
/// The facts a message is rendered from, captured when the event is appended (stored with the message as JSON), so
/// every retry renders the same text. <see cref="EventVersion"/> is the dossier event the message is about.
/// </summary>
public sealed record NotificationFacts
{
    public required string Kind { get; init; }

    public required string DossierId { get; init; }

    /// <summary>The dossier code when it has one (received), else null.</summary>
    public string? DossierCode { get; init; }

    public required string EventType { get; init; }

    public required long EventVersion { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>The dossier's status after the event (portal), e.g. "received", "awaitingSupplement".</summary>
    public required string Status { get; init; }

    public string? ApplicantName { get; init; }

    public string? ProcedureCode { get; init; }

    public string? ProcedureName { get; init; }

    public DateTimeOffset? AppointmentAt { get; init; }

    /// <summary>Appointment moved by a calendar change: the appointment before it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? PreviousAppointmentAt { get; init; }

    /// <summary>Supplement: until when the documents are awaited; closed: when the wait ended.</summary>
    public DateTimeOffset? ClosesAt { get; init; }

    /// <summary>Supplement: the documents asked for.</summary>
    public IReadOnlyList<string>? Documents { get; init; }

    public string? Reason { get; init; }

    /// <summary>Apology: the agency at fault.</summary>
    public string? Agency { get; init; }

    /// <summary>The code if any, else the id: what the applicant quotes.</summary>
    [JsonIgnore]
    public string Reference => DossierCode ?? DossierId;
}

/// <summary>One message to put in the outbox.</summary>
/// <param name="Id">Stable id: the dossier, the event version and the channel. Receivers drop duplicates by it.</param>
/// <param name="Recipient">E-mail address or phone number; null for the portal.</param>
public sealed record PlannedMessage(string Id, string Channel, string? Recipient, NotificationFacts Facts)
{
    /// <summary>The id of a message about event <paramref name="version"/> of a dossier on a channel.</summary>
    public static string IdOf(string dossierId, long version, string channel) => $"{dossierId}.v{version}.{channel}";
}
