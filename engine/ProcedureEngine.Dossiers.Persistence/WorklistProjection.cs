using System.Globalization;
using System.Text;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.EventStore;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>
/// One row of <c>worklist_entries</c>; its constructor is the table's column list. <paramref name="Ref"/> "" is the
/// dossier's header, "accept" an online submission waiting for a one-stop unit to accept it (no agency: any unit that
/// receives the procedure may), "step/{id}" a started step, "return" the result waiting at the receiving agency.
/// </summary>
public sealed record WorklistEntry(
    string DossierId,
    string Ref,
    string? Agency,
    DateTimeOffset? DueAt,
    string? DossierCode,
    string? ProcedureCode,
    string? ProcedureName,
    string? Applicant,
    string? ApplicantFolded,
    string Status,
    DateTimeOffset? ReceivedAt,
    DateTimeOffset? AppointmentAt,
    bool Warned,
    string? ReceivingAgency,
    long Version,
    long? ProcedureVersion)
{
    private const string Header = "", Return = "return";

    /// <summary>The entry of an online submission waiting to be accepted, due at the rule set's acceptance limit.</summary>
    public const string Accept = "accept";

    /// <summary>
    /// Folds one event (the <paramref name="version"/>-th of the stream) into a dossier's entries, keyed by ref. The
    /// header's status and appointment are the decider's (<see cref="DossierLifecycle"/>); every entry shows the dossier
    /// as it is now, and a finished dossier has none.
    /// </summary>
    public static void Apply(string dossierId, Dictionary<string, WorklistEntry> entries, DossierEvent e, long version)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (!entries.TryGetValue(Header, out var header))
        {
            if (e is not (DossierSubmitted or DossierReceived))
            {
                return; // finished (or never received): nothing waits on anyone
            }

            header = new(dossierId, Header, null, null, null, null, null, null, null, ReadModelStatus.Submitted, null, null, false, null, 0, null);
        }

        if (e is ReceiptGuidanceIssued or ResultReturned or DossierRefused or DossierWithdrawn or DossierClosed)
        {
            entries.Clear();
            return;
        }

        header = (e switch
        {
            DossierSubmitted s => header with { ProcedureCode = s.ProcedureCode, ProcedureVersion = s.ProcedureVersion, Applicant = s.Applicant.Name, ApplicantFolded = WorklistProjection.Fold(s.Applicant.Name) },
            DossierReceived r => header with
            {
                DossierCode = r.DossierCode, ProcedureCode = r.ProcedureCode, ProcedureName = r.ProcedureName, Applicant = r.Applicant.Name,
                ApplicantFolded = WorklistProjection.Fold(r.Applicant.Name), ReceivedAt = r.At, ReceivingAgency = r.By.Agency, ProcedureVersion = r.ProcedureVersion,
            },
            _ => header,
        }) with
        {
            Status = ReadModelStatus.After(header.Status, e),
            AppointmentAt = DossierLifecycle.AppointmentAfter(header.AppointmentAt, e),
            Version = version,
        };
        entries[Header] = header;

        switch (e)
        {
            case DossierSubmitted submitted:
                entries[Accept] = header with { Ref = Accept, Agency = null, DueAt = submitted.AcceptBy, Warned = false };
                break;
            case DossierReceived:
                entries.Remove(Accept);
                break;
            case StepStarted s:
                entries["step/" + s.StepId] = header with { Ref = "step/" + s.StepId, Agency = s.Agency, DueAt = s.DueAt, Warned = false };
                break;
            case StepCompleted c:
                entries.Remove("step/" + c.StepId);
                break;
            case StepSkipped k:
                entries.Remove("step/" + k.StepId);
                break;
            case DeadlineWarning w when entries.TryGetValue("step/" + w.StepId, out var warned):
                entries["step/" + w.StepId] = warned with { Warned = true };
                break;
            case SupplementProvided p:
                MoveSteps(entries, p.StepDues);
                break;
            case DossierReplanned p:
                // A new calendar version moved what was left of the windows (the Replan in the fold resets the warning too).
                MoveSteps(entries, p.StepDues);
                break;
            case ResultReady:
                entries[Return] = header with { Ref = Return, Agency = header.ReceivingAgency, DueAt = header.AppointmentAt, Warned = false };
                break;
            default:
                break;
        }

        // Every entry shows the dossier as it is now; the result waits until the appointment in force.
        foreach (var (reference, entry) in entries.ToList())
        {
            if (reference != Header)
            {
                entries[reference] = entry with
                {
                    DossierCode = header.DossierCode, ProcedureCode = header.ProcedureCode, ProcedureName = header.ProcedureName, Applicant = header.Applicant,
                    ApplicantFolded = header.ApplicantFolded, Status = header.Status, ReceivedAt = header.ReceivedAt, AppointmentAt = header.AppointmentAt,
                    ReceivingAgency = header.ReceivingAgency, Version = header.Version, ProcedureVersion = header.ProcedureVersion,
                    DueAt = reference == Return ? header.AppointmentAt : entry.DueAt,
                };
            }
        }
    }

    private static void MoveSteps(Dictionary<string, WorklistEntry> entries, System.Collections.Immutable.ImmutableArray<StepDue> dues)
    {
        foreach (var due in dues)
        {
            if (entries.TryGetValue("step/" + due.StepId, out var step))
            {
                entries["step/" + due.StepId] = step with { DueAt = due.DueAt, Warned = false };
            }
        }
    }
}

/// <summary>
/// Inline read model <c>worklist_entries</c>: what each agency has to do now, one row per piece of waiting work.
/// ref = "step/{id}" (a started step, at its agency, due at the step's due instant, until completed or skipped),
/// "return" (the result waits at the receiving agency, due at the appointment). Each open dossier also has a header
/// row (ref "", no agency) carrying what every entry shows: code, procedure, applicant (and its accent-folded form
/// for search), status, receipt, appointment. A finished dossier has no rows. Listed by (agency, due_at, dossier_id,
/// ref): an agency's queue is read by keyset in due order, whatever the size of the store.
/// </summary>
public sealed class WorklistProjection(DossierBatchDecoder decoder) : DossierProjectionBase(decoder)
{
    public static RowTable<WorklistEntry> Table { get; } = new("worklist_entries", "dossier_id", "ref");

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
        // Online submissions waiting for a one-stop unit, in due order (a few rows: a partial index).
        new Migration("projection:" + Name, 4, "online submissions waiting to be accepted", """
            CREATE INDEX IF NOT EXISTS worklist_entries_accept ON worklist_entries (due_at, dossier_id, ref) WHERE ref = 'accept';
            """),
    ];

    protected override async Task ApplyAsync(ProjectionContext context, IReadOnlyList<DossierSlice> slices, CancellationToken cancellationToken)
    {
        var open = slices.ToDictionary(s => s.DossierId, _ => new Dictionary<string, WorklistEntry>(StringComparer.Ordinal), StringComparer.Ordinal);

        // A dossier whose stream starts in this batch has no rows yet: neither looked up nor deleted (a counter receipt
        // is such a batch: two statements fewer in the append's transaction).
        var known = DossierSlice.Known(slices);
        foreach (var row in await Table.LoadAsync(context, known, cancellationToken).ConfigureAwait(false))
        {
            open[row.DossierId][row.Ref] = row;
        }

        foreach (var slice in slices)
        {
            foreach (var (stored, e) in slice.Events)
            {
                WorklistEntry.Apply(slice.DossierId, open[slice.DossierId], e, stored.Version);
            }
        }

        Table.Delete(context, known);
        await Table.UpsertAsync(context, [.. open.Values.SelectMany(d => d.Values)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rows a dossier's whole history gives (as a rebuild writes them).</summary>
    public static IReadOnlyList<WorklistEntry> Expected(string dossierId, IEnumerable<DossierEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var entries = new Dictionary<string, WorklistEntry>(StringComparer.Ordinal);
        long version = 0;
        foreach (var e in events)
        {
            WorklistEntry.Apply(dossierId, entries, e, ++version);
        }

        return [.. entries.Values];
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
