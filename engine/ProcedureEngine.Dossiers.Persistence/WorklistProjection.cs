using System.Globalization;
using System.Text;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>
/// Inline read model <c>worklist_entries</c>: what each agency has to do now, one row per piece of waiting work.
/// ref = "step/{id}" (a started step, at its agency, due at the step's due instant, until completed or skipped),
/// "return" (the result waits at the receiving agency, due at the appointment). Each open dossier also has a header
/// row (ref "", no agency) carrying what every entry shows: code, procedure, applicant (and its accent-folded form
/// for search), status, receipt, appointment. A finished dossier has no rows. Listed by (agency, due_at, dossier_id,
/// ref): an agency's queue is read by keyset in due order, whatever the size of the store.
/// </summary>
public sealed class WorklistProjection(DossierEventSerializer serializer) : DossierProjectionBase(serializer)
{
    public static RowTable Table { get; } = new("worklist_entries",
    [
        new("dossier_id", ColumnType.Text, false),
        new("ref", ColumnType.Text, false),
        new("agency", ColumnType.Text),
        new("due_at", ColumnType.Time),
        new("dossier_code", ColumnType.Text),
        new("procedure_code", ColumnType.Text),
        new("procedure_name", ColumnType.Text),
        new("applicant", ColumnType.Text),
        new("applicant_folded", ColumnType.Text),
        new("status", ColumnType.Text, false),
        new("received_at", ColumnType.Time),
        new("appointment_at", ColumnType.Time),
        new("warned", ColumnType.Boolean, false),
        new("receiving_agency", ColumnType.Text),
        new("version", ColumnType.Integer, false),
        new("procedure_version", ColumnType.Integer),
    ], ["dossier_id", "ref"]);

    private const int Agency = 2, Due = 3, Code = 4, Procedure = 5, ProcedureName = 6, ApplicantName = 7, Folded = 8, Status = 9,
        Received = 10, Appointment = 11, Warned = 12, Receiving = 13, Version = 14, ProcedureVersion = 15;

    public override string Name => "worklist";

    public override ProjectionMode Mode => ProjectionMode.Inline;

    protected override IReadOnlyList<RowTable> OwnedTables => [Table];

    public override IReadOnlyList<Migration> Migrations(SqlDialect dialect) =>
    [
        .. base.Migrations(dialect),
        new Migration("projection:" + Name, 2, "an agency's queue in due order", """
            CREATE INDEX IF NOT EXISTS worklist_entries_queue ON worklist_entries (agency, due_at, dossier_id, ref);
            CREATE INDEX IF NOT EXISTS worklist_entries_due ON worklist_entries (due_at, dossier_id, ref);
            """),
        // The queue's badge counts read this index alone (no table row per entry), and a code typed from its start
        // is found by a range of the code index (byte order: "C" collation on PostgreSQL, SQLite's binary default).
        new Migration("projection:" + Name, 3, "badge counts and code search by index", dialect == SqlDialect.Postgres
            ? """
              CREATE INDEX IF NOT EXISTS worklist_entries_badges ON worklist_entries (agency, status, warned, due_at, ref);
              CREATE INDEX IF NOT EXISTS worklist_entries_code ON worklist_entries ((dossier_code COLLATE "C"));
              """
            : """
              CREATE INDEX IF NOT EXISTS worklist_entries_badges ON worklist_entries (agency, status, warned, due_at, ref);
              CREATE INDEX IF NOT EXISTS worklist_entries_code ON worklist_entries (dossier_code);
              """),
    ];

    protected override async Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken)
    {
        var owners = slices.Select(s => s.DossierId).Distinct(StringComparer.Ordinal).ToArray();
        var open = owners.ToDictionary(id => id, _ => new Dictionary<string, object?[]>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var row in await Table.LoadAsync(context, owners, cancellationToken).ConfigureAwait(false))
        {
            open[(string)row[0]!][(string)row[1]!] = row;
        }

        foreach (var slice in slices)
        {
            var entries = open[slice.DossierId];
            foreach (var (stored, e) in slice.Events)
            {
                Apply(slice.DossierId, entries, e, stored.Version);
            }
        }

        await Table.DeleteAsync(context, owners, cancellationToken).ConfigureAwait(false);
        await Table.UpsertAsync(context, [.. open.Values.SelectMany(d => d.Values)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rows a dossier's whole history gives (as a rebuild writes them).</summary>
    public static IReadOnlyList<object?[]> Expected(string dossierId, IEnumerable<DossierEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var entries = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        long version = 0;
        foreach (var e in events)
        {
            Apply(dossierId, entries, e, ++version);
        }

        return [.. entries.Values];
    }

    private static void Apply(string dossierId, Dictionary<string, object?[]> entries, DossierEvent e, long version)
    {
        if (!entries.TryGetValue("", out var header))
        {
            if (e is not (DossierSubmitted or DossierReceived))
            {
                return; // finished (or never received): nothing waits on anyone
            }

            header = new object?[Table.Columns.Count];
            header[0] = dossierId;
            header[1] = "";
            header[Status] = "submitted";
            header[Warned] = false;
            entries[""] = header;
        }

        switch (e)
        {
            case DossierSubmitted s:
                (header[Procedure], header[ProcedureVersion], header[ApplicantName], header[Folded]) = (s.ProcedureCode, (long)s.ProcedureVersion, s.Applicant.Name, Fold(s.Applicant.Name));
                break;
            case ReceiptGuidanceIssued:
                entries.Clear();
                return;
            case DossierReceived r:
                (header[Code], header[Procedure], header[ProcedureName], header[ApplicantName], header[Folded]) =
                    (r.DossierCode, r.ProcedureCode, r.ProcedureName, r.Applicant.Name, Fold(r.Applicant.Name));
                (header[Status], header[Received], header[Appointment], header[Receiving], header[ProcedureVersion]) = ("received", r.At, r.AppointmentAt, r.By.Agency, (long)r.ProcedureVersion);
                break;
            case StepStarted s:
                header[Status] = "inProgress";
                entries["step/" + s.StepId] = Entry(header, "step/" + s.StepId, s.Agency, s.DueAt);
                break;
            case StepCompleted c:
                entries.Remove("step/" + c.StepId);
                break;
            case StepSkipped k:
                entries.Remove("step/" + k.StepId);
                break;
            case DeadlineWarning w when entries.TryGetValue("step/" + w.StepId, out var warned):
                warned[Warned] = true;
                break;
            case SupplementRequested:
                header[Status] = "awaitingSupplement";
                break;
            case SupplementProvided p:
                (header[Status], header[Appointment]) = ("inProgress", p.AppointmentAt);
                foreach (var due in p.StepDues)
                {
                    if (entries.TryGetValue("step/" + due.StepId, out var step))
                    {
                        (step[Due], step[Warned]) = (due.DueAt, false);
                    }
                }

                break;
            case ApologyIssued a:
                header[Appointment] = a.NewAppointmentAt;
                if (entries.TryGetValue("return", out var waiting))
                {
                    waiting[Due] = a.NewAppointmentAt;
                }

                break;
            case DossierReplanned p:
                // A new calendar version moved what was left of the windows (the Replan in the fold resets the warning too).
                header[Appointment] = p.AppointmentAt;
                if (entries.TryGetValue("return", out var returning))
                {
                    returning[Due] = p.AppointmentAt;
                }

                foreach (var due in p.StepDues)
                {
                    if (entries.TryGetValue("step/" + due.StepId, out var step))
                    {
                        (step[Due], step[Warned]) = (due.DueAt, false);
                    }
                }

                break;
            case ResultReady:
                header[Status] = "resultReady";
                entries["return"] = Entry(header, "return", (string?)header[Receiving], (DateTimeOffset?)header[Appointment]);
                break;
            case ResultReturned or DossierRefused or DossierWithdrawn or DossierClosed:
                entries.Clear();
                return;
            default:
                break;
        }

        header[Version] = version;

        // Every entry shows the dossier as it is now.
        foreach (var entry in entries.Values)
        {
            if (!ReferenceEquals(entry, header))
            {
                for (var i = Code; i <= ProcedureVersion; i++)
                {
                    if (i is not Warned)
                    {
                        entry[i] = header[i];
                    }
                }
            }
        }
    }

    private static object?[] Entry(object?[] header, string reference, string? agency, DateTimeOffset? due)
    {
        var entry = (object?[])header.Clone();
        (entry[1], entry[Agency], entry[Due], entry[Warned]) = (reference, agency, due, false);
        return entry;
    }

    /// <summary>
    /// Text as the search compares it: lower case, Vietnamese diacritics removed, đ as d ("Nguyễn Văn Đức" → "nguyen van duc"),
    /// spaces collapsed. Applied to both the stored name and the query.
    /// </summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = folded.Length > 0;
                continue;
            }

            if (space)
            {
                folded.Append(' ');
                space = false;
            }

            folded.Append(c switch
            {
                'đ' or 'Đ' => 'd',
                _ => char.ToLowerInvariant(c),
            });
        }

        return folded.ToString();
    }
}
