using ProcedureEngine.Host.Web.Workspace;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>A step the dossier is at now, as the public page says it: the step's and the agency's names, and its due instant.</summary>
public sealed record TrackStep(string Name, string AgencyName, DateTimeOffset? DueAt);

/// <summary>The apology (form 04) the applicant received: when, which agency, and the new appointment it gave.</summary>
public sealed record TrackApology(DateTimeOffset IssuedAt, string AgencyName, DateTimeOffset PreviousAppointmentAt, DateTimeOffset NewAppointmentAt);

/// <summary>An open request for documents (form 02): when, why, which documents, and when the dossier closes without them.</summary>
public sealed record TrackSupplement(DateTimeOffset RequestedAt, string Reason, IReadOnlyList<string> Documents, DateTimeOffset ClosesAt);

/// <summary>
/// What the public tracking page shows: the procedure, the receiving agency, where the dossier is now and the dates
/// that fit its status (the appointment while it runs, the day the result was returned, the refusal and its reason,
/// the new appointment after an apology). No name, address, phone, inputs or documents of the applicant.
/// </summary>
public sealed record TrackInfo(
    string DossierCode,
    string Status,
    string StatusText,
    DateTimeOffset? AppointmentAt,
    bool Overdue,
    string? ProcedureCode,
    string? ProcedureName,
    string? ReceivingAgency,
    DateTimeOffset? ReceivedAt,
    string Channel,
    IReadOnlyList<TrackStep> CurrentSteps,
    DateTimeOffset? OriginalAppointmentAt,
    TrackApology? Apology,
    TrackSupplement? Supplement,
    DateTimeOffset? ResultReadyAt,
    DateTimeOffset? ReturnedAt,
    DateTimeOffset? RefusedAt,
    string? RefusalReason,
    DateTimeOffset? FinishedAt,
    bool Evaluated);

/// <summary>The public lookup by dossier code, folded by the decider from the dossier's events (not from a read model).</summary>
public sealed class PublicTracking(DossierService dossiers, CatalogNames names)
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    /// <summary>The dossier with this code, or null when no received dossier has it (a stream id is not a code).</summary>
    public async Task<TrackInfo?> FindAsync(string code, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64)
        {
            return null;
        }

        var loaded = await dossiers.LoadAsync(code.Trim(), null, ct).ConfigureAwait(false);
        return loaded?.State is { Code: { } found } state && string.Equals(found, code.Trim(), StringComparison.Ordinal) ? Of(state) : null;
    }

    private TrackInfo Of(DossierState s)
    {
        var status = Status(s.Status);
        var current = s.Status is DossierStatus.InProgress or DossierStatus.Received or DossierStatus.AwaitingSupplement
            ? s.Steps.Where(x => x.Status == StepStatus.Active).Select(x => new TrackStep(x.Name, x.AgencyName, Local(x.DueAt))).ToList()
            : [];
        var refused = s.Status == DossierStatus.Refused;
        return new TrackInfo(
            s.Code!,
            status,
            DossierQueries.StatusText(status),
            Local(s.AppointmentAt),
            s.Overdue,
            s.ProcedureCode,
            s.ProcedureName ?? names.Procedure(s.ProcedureCode),
            s.ReceivedBy is { } by ? names.Agency(by.Agency) : null,
            Local(s.ReceivedAt),
            s.Channel.ToString().ToLowerInvariant(),
            current,
            Local(s.OriginalAppointmentAt),
            s.Apology is { } a ? new TrackApology(Local(a.At)!.Value, a.AgencyAtFaultName, Local(a.PreviousAppointmentAt)!.Value, Local(a.NewAppointmentAt)!.Value) : null,
            s.Status == DossierStatus.AwaitingSupplement && s.Supplement is { } p
                ? new TrackSupplement(Local(p.RequestedAt)!.Value, p.Reason, [.. p.Documents.Select(d => d.Name)], Local(p.ClosesAt)!.Value)
                : null,
            Local(s.ResultReadyAt),
            Local(s.ReturnedAt),
            refused ? Local(s.FinishedAt) : null,
            refused ? s.RefusalReason : null,
            Local(s.FinishedAt),
            s.Score is not null);
    }

    /// <summary>The status as the API writes it (camelCase), the same words as the dossier list.</summary>
    private static string Status(DossierStatus status)
    {
        var name = status.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static DateTimeOffset? Local(DateTimeOffset? t) =>
        t is { } v ? v.ToOffset(Vietnam).AddTicks(-(v.Ticks % TimeSpan.TicksPerSecond)) : null;
}
