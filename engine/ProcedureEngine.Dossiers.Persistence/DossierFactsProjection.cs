using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>One row of <c>dossier_facts</c>; its constructor is the table's column list.</summary>
public sealed record DossierFactsRow(
    string DossierId,
    string? ProcedureCode,
    long? ProcedureVersion,
    string? ReceivingAgency,
    string? Channel,
    DateTimeOffset? ReceivedAt,
    DateTimeOffset? LegalAppointmentAt,
    DateTimeOffset? ReturnedAt,
    DateTimeOffset? ApologyAt,
    string? ApologyAgency,
    DateTimeOffset? EvaluatedAt,
    long? Score,
    long? TimeTaken,
    long? Contacts,
    long? Accuracy,
    long? Attitude)
{
    /// <summary>
    /// Folds one event. A dossier has a row from its receipt on (an online submission waiting, guidance or a refusal at
    /// the counter give none: <paramref name="row"/> stays null); the legal appointment is the one given at receipt.
    /// </summary>
    public static DossierFactsRow? Apply(string dossierId, DossierFactsRow? row, DossierEvent e) => (row, e) switch
    {
        (_, DossierReceived r) => (row ?? new(dossierId, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)) with
        {
            ProcedureCode = r.ProcedureCode, ProcedureVersion = r.ProcedureVersion, ReceivingAgency = r.By.Agency,
            Channel = r.Channel.ToString().ToLowerInvariant(), ReceivedAt = r.At, LegalAppointmentAt = r.AppointmentAt,
        },
        (null, _) => null,
        (_, ApologyIssued a) => row with { ApologyAt = a.At, ApologyAgency = a.AgencyAtFault },
        (_, ResultReturned returned) => row with { ReturnedAt = returned.At },
        (_, DossierEvaluated v) => row with
        {
            EvaluatedAt = v.At, Score = v.Score, TimeTaken = Criterion(v, "timeTaken"), Contacts = Criterion(v, "contacts"),
            Accuracy = Criterion(v, "accuracy"), Attitude = Criterion(v, "attitude"),
        },
        _ => row,
    };

    private static long? Criterion(DossierEvaluated v, string name) => v.Criteria is { } c && c.TryGetValue(name, out var score) ? score : null;
}

/// <summary>
/// Async read model <c>dossier_facts</c> for the supervisors' dashboard: one row per received dossier with what the
/// on-time report does not keep: the channel (online share), the legal appointment given at receipt, the apology
/// (when, which agency), the return, and the applicant's rating with its Decision 766 criteria.
/// </summary>
public sealed class DossierFactsProjection(DossierBatchDecoder decoder) : DossierRowProjection<DossierFactsRow>(decoder)
{
    public static RowTable<DossierFactsRow> Table { get; } = new("dossier_facts", "dossier_id");

    public override string Name => "dossier-facts";

    public override ProjectionMode Mode => ProjectionMode.Async;

    protected override RowTable<DossierFactsRow> Rows => Table;

    protected override DossierFactsRow? Fold(string dossierId, DossierFactsRow? row, StoredEvent stored, DossierEvent e) =>
        DossierFactsRow.Apply(dossierId, row, e);
}
