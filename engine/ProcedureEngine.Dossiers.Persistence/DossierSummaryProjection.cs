using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>
/// Inline read model <c>dossier_summary</c>: one row per dossier (id, code, procedure, status, received,
/// appointment, overdue, current agency), always in step with the stream (same transaction).
/// Status values follow interfaces.md (received, inProgress, awaitingSupplement, resultReady, returned, refused,
/// withdrawn) plus submitted, incomplete and closed for the events beyond that list.
/// </summary>
/// <summary>One row of <c>dossier_summary</c>; its constructor is the table's column list (see <see cref="RowTable{TRow}"/>).</summary>
/// <param name="ActiveSteps">The started steps not yet finished, "stepId=agency" joined by ';' in step id order.</param>
public sealed record DossierSummaryRow(
    string DossierId,
    string? DossierCode,
    string? ProcedureCode,
    long? ProcedureVersion,
    string? ProcedureName,
    string? RuleSet,
    string? Applicant,
    string? ReceivingAgency,
    string Status,
    DateTimeOffset? ReceivedAt,
    DateTimeOffset? AppointmentAt,
    bool Overdue,
    string? CurrentAgency,
    string? ActiveSteps,
    long Version,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The row before a dossier's first event.</summary>
    public static DossierSummaryRow New(string dossierId) =>
        new(dossierId, null, null, null, null, null, null, null, ReadModelStatus.Submitted, null, null, false, null, "", 0, default);

    /// <summary>
    /// Folds one event. Status and appointment are the decider's (<see cref="DossierLifecycle"/>); the current agency
    /// follows the active steps event by event (the same whether the events come in one batch or several), and a
    /// finished dossier (refused, withdrawn, returned, closed) is held by no agency.
    /// </summary>
    public static DossierSummaryRow Apply(DossierSummaryRow row, DossierEvent e)
    {
        ArgumentNullException.ThrowIfNull(row);
        var next = e switch
        {
            DossierSubmitted s => row with { ProcedureCode = s.ProcedureCode, ProcedureVersion = s.ProcedureVersion, Applicant = s.Applicant.Name },
            ReceiptGuidanceIssued g => row with { ProcedureCode = g.ProcedureCode, ProcedureVersion = g.ProcedureVersion, RuleSet = g.RuleSet, Applicant = g.Applicant.Name, ReceivingAgency = g.By.Agency },
            DossierReceived r => row with
            {
                DossierCode = r.DossierCode, ProcedureCode = r.ProcedureCode, ProcedureVersion = r.ProcedureVersion, ProcedureName = r.ProcedureName,
                RuleSet = r.RuleSet, Applicant = r.Applicant.Name, ReceivingAgency = r.By.Agency, ReceivedAt = r.At, CurrentAgency = r.By.Agency,
            },
            DossierRefused f => row with { ProcedureCode = row.ProcedureCode ?? f.ProcedureCode, Applicant = row.Applicant ?? f.Applicant?.Name },
            StepStarted s => row with { ActiveSteps = ActiveStepList.With(row.ActiveSteps, s.StepId, s.Agency) },
            StepCompleted c => row with { ActiveSteps = ActiveStepList.Without(row.ActiveSteps, c.StepId) },
            StepSkipped k => row with { ActiveSteps = ActiveStepList.Without(row.ActiveSteps, k.StepId) },
            DossierOverdue => row with { Overdue = true },
            ResultReady => row with { CurrentAgency = row.ReceivingAgency },
            _ => row,
        };
        next = next with { Status = ReadModelStatus.After(row.Status, e), AppointmentAt = DossierLifecycle.AppointmentAfter(row.AppointmentAt, e) };
        if (ReadModelStatus.IsFinished(next.Status))
        {
            return next with { CurrentAgency = null, ActiveSteps = "" };
        }

        return ActiveStepList.FirstAgency(next.ActiveSteps) is { } agency ? next with { CurrentAgency = agency } : next;
    }
}

/// <summary>
/// Inline read model <c>dossier_summary</c>: one row per dossier (id, code, procedure, status, received,
/// appointment, overdue, current agency), always in step with the stream (same transaction).
/// Status values follow interfaces.md (received, inProgress, awaitingSupplement, resultReady, returned, refused,
/// withdrawn) plus submitted, incomplete and closed for the events beyond that list.
/// </summary>
public sealed class DossierSummaryProjection(DossierBatchDecoder decoder) : DossierRowProjection<DossierSummaryRow>(decoder)
{
    public static RowTable<DossierSummaryRow> Table { get; } = new("dossier_summary", "dossier_id");

    public override string Name => "dossier-summary";

    public override ProjectionMode Mode => ProjectionMode.Inline;

    protected override RowTable<DossierSummaryRow> Rows => Table;

    public override IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
    [
        .. base.Migrations(dialect),
        new Migration("projection:" + Name, 2, "lookup by dossier code", "CREATE INDEX IF NOT EXISTS dossier_summary_code ON dossier_summary (dossier_code)"),

        // One dossier per code, whatever its stream id: an online dossier is received under a code of its own
        // stream's choosing, so two officers accepting at once must not both get the same number (the loser's
        // append is rolled back with UniqueConstraintException and retried with the next one).
        new Migration("projection:" + Name, 3, "dossier codes are unique", """
            DROP INDEX IF EXISTS dossier_summary_code;
            CREATE UNIQUE INDEX IF NOT EXISTS dossier_summary_code_unique ON dossier_summary (dossier_code);
            """),

        // The next code of the day is looked up by a range in byte order; PostgreSQL needs an index in that order
        // (the unique index follows the database's locale). SQLite compares in byte order already.
        new Migration("projection:" + Name, 4, "codes in byte order for the next number of the day",
            dialect == SqlDialect.Postgres
                ? "CREATE INDEX IF NOT EXISTS dossier_summary_code_bytes ON dossier_summary (dossier_code COLLATE \"C\")"
                : "SELECT 1"),

        // Work queues and lists: by receipt time, and per current agency.
        new Migration("projection:" + Name, 5, "lists by receipt time and by current agency", """
            CREATE INDEX IF NOT EXISTS dossier_summary_received ON dossier_summary (received_at, dossier_id);
            CREATE INDEX IF NOT EXISTS dossier_summary_agency ON dossier_summary (current_agency, received_at, dossier_id);
            """),

        // A finished dossier (refused, withdrawn, returned, closed) is held by no agency: rows written before this rule
        // kept the agency of the last step and were listed under it (?agency=).
        new Migration("projection:" + Name, 6, "finished dossiers are held by no agency",
            "UPDATE dossier_summary SET current_agency = NULL WHERE status IN ('refused', 'withdrawn', 'returned', 'closed')"),
    ];

    protected override DossierSummaryRow Fold(string dossierId, DossierSummaryRow? row, StoredEvent stored, DossierEvent e) =>
        DossierSummaryRow.Apply(row ?? DossierSummaryRow.New(dossierId), e) with { Version = stored.Version, UpdatedAt = stored.Metadata.Time };

    /// <summary>
    /// The row a dossier's whole history gives (as a rebuild would write it; <c>updated_at</c> left unset): what the
    /// read-model check compares the stored row with.
    /// </summary>
    public static DossierSummaryRow Expected(string dossierId, IEnumerable<DossierEvent> events, long version)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Aggregate(DossierSummaryRow.New(dossierId), DossierSummaryRow.Apply) with { Version = version };
    }
}
