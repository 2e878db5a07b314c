using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>
/// Inline read model <c>dossier_summary</c>: one row per dossier (id, code, procedure, status, received,
/// appointment, overdue, current agency), always in step with the stream (same transaction).
/// Status values follow interfaces.md (received, inProgress, awaitingSupplement, resultReady, returned, refused,
/// withdrawn) plus submitted, incomplete and closed for the events beyond that list.
/// </summary>
public sealed class DossierSummaryProjection(DossierEventSerializer serializer) : DossierProjectionBase(serializer)
{
    public static RowTable Table { get; } = new("dossier_summary",
    [
        new("dossier_id", ColumnType.Text, false),
        new("dossier_code", ColumnType.Text),
        new("procedure_code", ColumnType.Text),
        new("procedure_version", ColumnType.Integer),
        new("procedure_name", ColumnType.Text),
        new("rule_set", ColumnType.Text),
        new("applicant", ColumnType.Text),
        new("receiving_agency", ColumnType.Text),
        new("status", ColumnType.Text, false),
        new("received_at", ColumnType.Time),
        new("appointment_at", ColumnType.Time),
        new("overdue", ColumnType.Boolean, false),
        new("current_agency", ColumnType.Text),
        new("active_steps", ColumnType.Text),
        new("version", ColumnType.Integer, false),
        new("updated_at", ColumnType.Time, false),
    ], ["dossier_id"]);

    public override string Name => "dossier-summary";

    public override ProjectionMode Mode => ProjectionMode.Inline;

    protected override IReadOnlyList<RowTable> OwnedTables => [Table];

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

    protected override async Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken)
    {
        var existing = (await Table.LoadAsync(context, [.. slices.Where(s => !s.IsNew).Select(s => s.DossierId)], cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => (string)r[0]!, StringComparer.Ordinal);
        var rows = new List<object?[]>(slices.Count);
        foreach (var slice in slices)
        {
            var row = existing.TryGetValue(slice.DossierId, out var loaded) ? loaded : NewRow(slice.DossierId);
            var active = ParseActive((string?)row[13]);
            foreach (var (stored, e) in slice.Events)
            {
                Apply(row, active, e);
                Track(row, active);
                row[14] = stored.Version;
                row[15] = stored.Metadata.Time;
            }

            Finish(row, active);
            rows.Add(row);
        }

        await Table.UpsertAsync(context, rows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The row a dossier's whole history gives (as a rebuild would write it; <c>updated_at</c> left null): what the
    /// read-model check compares the stored row with.
    /// </summary>
    public static object?[] Expected(string dossierId, IEnumerable<DossierEvent> events, long version)
    {
        ArgumentNullException.ThrowIfNull(events);
        var row = NewRow(dossierId);
        var active = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            Apply(row, active, e);
            Track(row, active);
        }

        row[14] = version;
        Finish(row, active);
        return row;
    }

    /// <summary>
    /// The current agency follows the active steps event by event (the same whether the events were projected in one
    /// batch or several); a finished dossier (refused, withdrawn, returned, closed) is held by no agency.
    /// </summary>
    private static void Track(object?[] row, SortedDictionary<string, string> active)
    {
        if (active.Count > 0)
        {
            row[12] = active.First().Value;
        }
    }

    private static void Finish(object?[] row, SortedDictionary<string, string> active)
    {
        row[13] = string.Join(';', active.Select(a => $"{a.Key}={a.Value}"));
        row[12] = active.Count > 0 ? active.First().Value : row[12];
    }

    private static object?[] NewRow(string id)
    {
        var row = new object?[Table.Columns.Count];
        row[0] = id;
        row[8] = "submitted";
        row[11] = false;
        return row;
    }

    private static void Apply(object?[] row, SortedDictionary<string, string> active, DossierEvent e)
    {
        switch (e)
        {
            case DossierSubmitted s:
                (row[2], row[3], row[6], row[8]) = (s.ProcedureCode, (long)s.ProcedureVersion, s.Applicant.Name, "submitted");
                break;
            case ReceiptGuidanceIssued g:
                (row[2], row[3], row[5], row[6], row[7], row[8]) = (g.ProcedureCode, (long)g.ProcedureVersion, g.RuleSet, g.Applicant.Name, g.By.Agency, "incomplete");
                break;
            case DossierReceived r:
                (row[1], row[2], row[3], row[4], row[5], row[6]) = (r.DossierCode, r.ProcedureCode, (long)r.ProcedureVersion, r.ProcedureName, r.RuleSet, r.Applicant.Name);
                (row[7], row[8], row[9], row[10], row[12]) = (r.By.Agency, "received", r.At, r.AppointmentAt, r.By.Agency);
                break;
            case DossierRefused f:
                (row[8], row[12]) = ("refused", null);
                row[2] ??= f.ProcedureCode;
                row[6] ??= f.Applicant?.Name;
                active.Clear();
                break;
            case StepStarted s:
                active[s.StepId] = s.Agency;
                row[8] = "inProgress";
                break;
            case StepCompleted c:
                active.Remove(c.StepId);
                break;
            case StepSkipped k:
                active.Remove(k.StepId);
                break;
            case SupplementRequested:
                row[8] = "awaitingSupplement";
                break;
            case SupplementProvided p:
                row[8] = "inProgress";
                row[10] = p.AppointmentAt;
                break;
            case ApologyIssued a:
                row[10] = a.NewAppointmentAt;
                break;
            case DossierReplanned p:
                row[10] = p.AppointmentAt;
                break;
            case DossierOverdue:
                row[11] = true;
                break;
            case ResultReady:
                row[8] = "resultReady";
                row[12] = row[7];
                break;
            case ResultReturned:
                (row[8], row[12]) = ("returned", null);
                active.Clear();
                break;
            case DossierWithdrawn:
                (row[8], row[12]) = ("withdrawn", null);
                active.Clear();
                break;
            case DossierClosed:
                (row[8], row[12]) = ("closed", null);
                active.Clear();
                break;
            default:
                break;
        }
    }

    private static SortedDictionary<string, string> ParseActive(string? text)
    {
        var active = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(text))
        {
            foreach (var pair in text.Split(';'))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                active[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return active;
    }
}
