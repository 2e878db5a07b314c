using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Model;

namespace ProcedureEngine.Letters.Composition;

/// <summary>What the events don't say but a printed letter needs: place, tracking site, names, calendar.</summary>
public sealed record LetterOptions
{
    /// <summary>Public site of the tracking page; letters get a QR code to {PublicBaseUrl}/track/{code} when set.</summary>
    public string? PublicBaseUrl { get; init; }

    /// <summary>Place printed before the date ("Bắc Ninh, ngày ...").</summary>
    public string? Place { get; init; }

    /// <summary>The body the agencies belong to, printed above their names (e.g. "UBND tỉnh Bắc Ninh").</summary>
    public string? ParentAgencyName { get; init; }

    /// <summary>Where results are collected; defaults to the receiving agency.</summary>
    public string? ReturnPlace { get; init; }

    /// <summary>The procedure version the dossier runs on: names of the procedure and of its agencies.</summary>
    public ProcedureDefinition? Definition { get; init; }

    /// <summary>Working calendar, used by the control slip to class each step as early, on time or late.</summary>
    public IWorkingCalendar? Calendar { get; init; }

    /// <summary>Full name of an officer from their user id; the user id is printed when null or unknown.</summary>
    public Func<string, string?>? OfficerName { get; init; }

    /// <summary>Offset letters print times in; the calendar's when one is given, else +07:00.</summary>
    public TimeSpan? UtcOffset { get; init; }
}

/// <summary>
/// Builds the legal forms of a dossier from its events (the dossier's stream, in order). Pure: the
/// events carry everything the letters print (codes, documents, instants, agencies, reasons).
/// Letter-producing events: ReceiptGuidanceIssued and SupplementRequested (form 02), DossierReceived (01),
/// DossierRefused (03), ApologyIssued (04), DossierWithdrawn and DossierClosed (the stop notice, where the rule set has one);
/// numbers as the dossier's rule set gives them.
/// </summary>
public static class DossierLetters
{
    /// <summary>The letter produced by the event at 1-based position <paramref name="seq"/>, or null when that event produces none under the dossier's rule set.</summary>
    public static LetterData? ForEvent(IReadOnlyList<DossierEvent> events, long seq, LetterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (seq < 1 || seq > events.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(seq), seq, $"the dossier has {events.Count} events; seq is 1-based");
        }

        return new Composer(events, options ?? new LetterOptions()).Letter((int)seq - 1);
    }

    /// <summary>Every letter of the dossier in the order issued, with the 1-based seq of the event that produced it.</summary>
    public static IReadOnlyList<(long Seq, LetterData Letter)> All(IReadOnlyList<DossierEvent> events, LetterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        var composer = new Composer(events, options ?? new LetterOptions());
        var result = new List<(long, LetterData)>();
        for (var i = 0; i < events.Count; i++)
        {
            if (composer.Letter(i) is { } letter)
            {
                result.Add((i + 1, letter));
            }
        }

        return result;
    }

    /// <summary>The control slip (Phiếu kiểm soát) as it stands after these events; null before receipt.</summary>
    public static ControlSlip? ControlSlip(IReadOnlyList<DossierEvent> events, LetterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new Composer(events, options ?? new LetterOptions()).ControlSlip();
    }

    /// <summary>The dossier's line in the tracking book (Sổ theo dõi hồ sơ); null before receipt.</summary>
    public static TrackingBookRow? TrackingBookRow(IReadOnlyList<DossierEvent> events, LetterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new Composer(events, options ?? new LetterOptions()).TrackingBookRow();
    }

    /// <summary>Early when a full working day or more was left, on time up to the due instant, late after it.</summary>
    public static HandoverResult Classify(DateTimeOffset completedAt, DateTimeOffset dueAt, IWorkingCalendar? calendar)
    {
        if (completedAt > dueAt)
        {
            return HandoverResult.Late;
        }

        if (calendar is null)
        {
            var offset = TimeSpan.FromHours(7);
            return completedAt.ToOffset(offset).Date < dueAt.ToOffset(offset).Date ? HandoverResult.Early : HandoverResult.OnTime;
        }

        return calendar.WorkingTimeBetween(completedAt, dueAt) >= calendar.WorkingDayLength ? HandoverResult.Early : HandoverResult.OnTime;
    }

    private sealed class Composer
    {
        private readonly IReadOnlyList<DossierEvent> events;
        private readonly LetterOptions options;
        private readonly DossierReceived? received;
        private readonly string? ruleSet;
        private readonly Dictionary<string, string> agencyNames = new(StringComparer.Ordinal);

        public Composer(IReadOnlyList<DossierEvent> events, LetterOptions options)
        {
            this.events = events;
            this.options = options;
            received = events.OfType<DossierReceived>().FirstOrDefault();
            ruleSet = received?.RuleSet
                ?? events.OfType<ReceiptGuidanceIssued>().Select(e => e.RuleSet).FirstOrDefault()
                ?? events.OfType<DossierRefused>().Select(e => e.RuleSet).FirstOrDefault(r => r is not null);
            foreach (var agency in options.Definition?.Agencies ?? [])
            {
                agencyNames[agency.Id] = agency.Name;
            }

            if (received is not null)
            {
                foreach (var step in received.Steps)
                {
                    agencyNames[step.Agency] = step.AgencyName;
                }

                agencyNames.TryAdd(received.By.Agency, received.ReceivingAgencyName);
            }
        }

        private TimeSpan Offset => options.UtcOffset ?? options.Calendar?.UtcOffset ?? TimeSpan.FromHours(7);

        private string ProcedureName(string? code) =>
            received?.ProcedureName ?? options.Definition?.Name ?? (code is null ? "……" : $"Thủ tục hành chính mã {code}");

        private string AgencyName(string agencyId) => agencyNames.TryGetValue(agencyId, out var name) ? name : agencyId;

        private LetterAgency Agency(string name) => new(name, options.ParentAgencyName);

        private string? Officer(string user) => options.OfficerName?.Invoke(user) ?? user;

        private string? TrackingUrl(string? code) =>
            code is null || string.IsNullOrWhiteSpace(options.PublicBaseUrl) ? null : LetterData.TrackingUrlFor(options.PublicBaseUrl, code);

        private static LetterApplicant Applicant(Applicant? a) =>
            a is null ? new LetterApplicant("……") : new LetterApplicant(a.Name, a.Phone, a.Address, a.Email);

        private static ImmutableArray<LetterDocument> Documents(ImmutableArray<DocumentEntry> documents, string? note = null) =>
            documents.IsDefault ? [] : [.. documents.Select(d => new LetterDocument(d.Name, d.Copies, d.Original, note))];

        private bool Has(FormKind kind) => RuleSets.Find(ruleSet)?.Form(kind) is not null;

        /// <summary>The latest appointment as of event index <paramref name="upTo"/> (exclusive).</summary>
        private DateTimeOffset? AppointmentBefore(int upTo)
        {
            DateTimeOffset? appointment = received?.AppointmentAt;
            for (var i = 0; i < upTo && i < events.Count; i++)
            {
                appointment = events[i] switch
                {
                    ApologyIssued a => a.NewAppointmentAt,
                    SupplementProvided s => s.AppointmentAt,
                    DossierReplanned p => p.AppointmentAt,
                    _ => appointment,
                };
            }

            return appointment;
        }

        /// <summary>The letter of the event at <paramref name="index"/>, stamped with what every form prints alike: place, time zone and tracking QR.</summary>
        public LetterData? Letter(int index) => Compose(index) is { } letter ? Stamp(letter) : null;

        private T Stamp<T>(T letter)
            where T : LetterData =>
            (T)(letter with { Place = options.Place, UtcOffset = Offset, TrackingUrl = TrackingUrl(letter.DossierCode) });

        private LetterData? Compose(int index)
        {
            var e = events[index];
            var code = received?.DossierCode;
            switch (e)
            {
                case ReceiptGuidanceIssued g when Has(FormKind.SupplementRequest):
                    return new SupplementRequestLetter
                    {
                        RuleSetId = g.RuleSet,
                        Agency = Agency(AgencyName(g.By.Agency)),
                        IssuedAt = g.At,
                        Applicant = Applicant(g.Applicant),
                        ProcedureName = ProcedureName(g.ProcedureCode),
                        Documents = Documents(g.Missing, "chưa có trong hồ sơ"),
                        Reason = "Hồ sơ chưa đủ thành phần theo quy định của thủ tục hành chính",
                        ContactPoint = AgencyName(g.By.Agency),
                        Officer = new LetterSignatory("Người hướng dẫn", Officer(g.By.User)),
                    };

                case DossierReceived r when Has(FormKind.Receipt):
                    return new ReceiptLetter
                    {
                        RuleSetId = r.RuleSet,
                        Agency = Agency(r.ReceivingAgencyName),
                        IssuedAt = r.At,
                        DossierCode = r.DossierCode,
                        Applicant = Applicant(r.Applicant),
                        ProcedureName = r.ProcedureName,
                        Documents = Documents(r.Documents),
                        TimeLimit = Duration.TryParse(r.TimeLimit, out var limit, out _) ? limit : Duration.WorkingDays(0),
                        ReceivedAt = r.At,
                        AppointmentAt = r.AppointmentAt,
                        ReturnPlace = options.ReturnPlace ?? r.ReceivingAgencyName,
                        ReceivingOfficer = new LetterSignatory("Người tiếp nhận hồ sơ", Officer(r.By.User)),
                    };

                case DossierRefused f when Has(FormKind.Refusal):
                    return new RefusalLetter
                    {
                        RuleSetId = ruleSet!,
                        Agency = Agency(AgencyName(f.By.Agency)),
                        IssuedAt = f.At,
                        DossierCode = code,
                        Applicant = Applicant(f.Applicant ?? received?.Applicant),
                        ProcedureName = ProcedureName(f.ProcedureCode),
                        Reason = f.Reason,
                        Officer = new LetterSignatory(f.StepId is null ? "Người tiếp nhận hồ sơ" : "Thủ trưởng cơ quan", Officer(f.By.User)),
                    };

                case SupplementRequested s when Has(FormKind.SupplementRequest):
                    return new SupplementRequestLetter
                    {
                        RuleSetId = ruleSet!,
                        Agency = Agency(AgencyName(s.By.Agency)),
                        IssuedAt = s.At,
                        DossierCode = code,
                        Applicant = Applicant(received?.Applicant),
                        ProcedureName = ProcedureName(received?.ProcedureCode),
                        Documents = Documents(s.Documents),
                        Reason = s.Reason,
                        ReceivedAt = received?.At,
                        SupplyBy = s.ClosesAt,
                        ContactPoint = AgencyName(s.By.Agency),
                        Officer = new LetterSignatory("Người hướng dẫn", Officer(s.By.User)),
                    };

                case ApologyIssued a when Has(FormKind.Apology) && received is not null:
                    return new ApologyLetter
                    {
                        RuleSetId = ruleSet!,
                        Agency = Agency(a.AgencyAtFaultName),
                        IssuedAt = a.At,
                        DossierCode = code,
                        Applicant = Applicant(received.Applicant),
                        ProcedureName = received.ProcedureName,
                        AgencyAtFault = a.AgencyAtFaultName,
                        ReceivedAt = received.At,
                        OriginalAppointmentAt = a.PreviousAppointmentAt,
                        Reason = a.Reason,
                        NewAppointmentAt = a.NewAppointmentAt,
                    };

                case DossierReplanned p when p.AppointmentMoved && Has(FormKind.AppointmentNotice) && received is not null:
                    return new AppointmentNoticeLetter
                    {
                        RuleSetId = ruleSet!,
                        Agency = Agency(received.ReceivingAgencyName),
                        IssuedAt = p.At,
                        DossierCode = code,
                        Applicant = Applicant(received.Applicant),
                        ProcedureName = received.ProcedureName,
                        ReceivedAt = received.At,
                        PreviousAppointmentAt = p.PreviousAppointmentAt,
                        NewAppointmentAt = p.AppointmentAt,
                        Reason = p.Reason,
                    };

                case DossierWithdrawn w when Has(FormKind.StopNotice) && received is not null:
                    return Stop(w.At, string.IsNullOrWhiteSpace(w.Reason) ? "Người nộp hồ sơ đề nghị dừng giải quyết hồ sơ" : $"Người nộp hồ sơ đề nghị dừng giải quyết hồ sơ ({w.Reason.Trim().TrimEnd('.')})");

                case DossierClosed c when Has(FormKind.StopNotice) && received is not null:
                    return Stop(
                        c.At,
                        $"Đã quá thời hạn bổ sung, hoàn thiện hồ sơ ({Formatting.VietnameseFormat.DateTime(c.ClosesAt, Offset)}) theo Phiếu yêu cầu bổ sung {Formatting.VietnameseFormat.Date(c.SupplementRequestedAt, Offset)} mà hồ sơ chưa được bổ sung");

                default:
                    return null;
            }
        }

        private WithdrawalNoticeLetter Stop(DateTimeOffset at, string reason) => new()
        {
            RuleSetId = ruleSet!,
            Agency = Agency(received!.ReceivingAgencyName),
            IssuedAt = at,
            DossierCode = received.DossierCode,
            Applicant = Applicant(received.Applicant),
            ProcedureName = received.ProcedureName,
            ReceivedAt = received.At,
            StoppedAt = at,
            Reason = reason,
            ReturnPlace = options.ReturnPlace ?? received.ReceivingAgencyName,
        };

        public ControlSlip? ControlSlip()
        {
            if (received is null || ruleSet is null || !Has(FormKind.ControlSlip))
            {
                return null;
            }

            var steps = received.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
            var completed = new Dictionary<string, StepCompleted>(StringComparer.Ordinal);
            var rows = ImmutableArray.CreateBuilder<ControlSlipRow>();
            var rowOfStep = new Dictionary<string, int>(StringComparer.Ordinal);
            var holder = received.By.Agency;
            var holderUser = received.By.User;
            foreach (var e in events)
            {
                switch (e)
                {
                    case StepStarted started when steps.TryGetValue(started.StepId, out var step):
                        // The dossier comes from the agency of the predecessor that finished last (the receiving unit for the first step).
                        var from = step.After
                            .Select(id => completed.GetValueOrDefault(id))
                            .Where(c => c is not null)
                            .OrderBy(c => c!.At)
                            .LastOrDefault();
                        var fromAgency = from is null ? holder : steps[from.StepId].Agency;
                        rowOfStep[started.StepId] = rows.Count;
                        rows.Add(new ControlSlipRow(AgencyName(fromAgency), AgencyName(started.Agency), started.At)
                        {
                            Task = step.Name,
                            GivenBy = from is null ? Officer(holderUser) : Officer(from.By.User),
                        });
                        break;
                    case StepCompleted done:
                        completed[done.StepId] = done;
                        if (rowOfStep.TryGetValue(done.StepId, out var row))
                        {
                            var result = Classify(done.At, done.DueAt, options.Calendar);
                            rows[row] = rows[row] with
                            {
                                ReceivedBy = Officer(done.By.User),
                                Result = result,
                                Note = done.Outcome == Outcomes.Done ? done.Note : Join(OutcomeText(done.Outcome), done.Note),
                            };
                        }

                        break;
                    case ResultReturned returned:
                        rows.Add(new ControlSlipRow(AgencyName(returned.By.Agency), received.Applicant.Name, returned.At)
                        {
                            Task = "Trả kết quả cho người nộp hồ sơ",
                            GivenBy = Officer(returned.By.User),
                            Result = returned.OnTime ? Classify(returned.At, returned.AppointmentAt, options.Calendar) : HandoverResult.Late,
                        });
                        break;
                }
            }

            var lead = LeadStep();
            return Stamp(new ControlSlip
            {
                RuleSetId = ruleSet,
                Agency = Agency(received.ReceivingAgencyName),
                IssuedAt = received.At,
                DossierCode = received.DossierCode,
                Applicant = Applicant(received.Applicant),
                ProcedureName = received.ProcedureName,
                ReceivedAt = received.At,
                DueAt = AppointmentBefore(events.Count) ?? received.AppointmentAt,
                LeadAgency = lead?.AgencyName ?? received.ReceivingAgencyName,
                CoordinatingAgencies =
                [
                    .. received.Steps
                        .Where(s => s.Agency != received.By.Agency && s.Agency != lead?.Agency)
                        .Select(s => s.AgencyName)
                        .Distinct(StringComparer.Ordinal),
                ],
                Rows = rows.ToImmutable(),
            });
        }

        public TrackingBookRow? TrackingBookRow()
        {
            if (received is null)
            {
                return null;
            }

            var lead = LeadStep();
            var transferred = events.OfType<StepStarted>().FirstOrDefault(s => s.Agency != received.By.Agency)?.At;
            var notes = new List<string>();
            foreach (var e in events)
            {
                switch (e)
                {
                    case SupplementRequested s:
                        notes.Add($"Yêu cầu bổ sung {Formatting.VietnameseFormat.ShortDate(s.At, Offset)}");
                        break;
                    case ApologyIssued a:
                        notes.Add($"Xin lỗi, hẹn lại {Formatting.VietnameseFormat.ShortDate(a.NewAppointmentAt, Offset)}");
                        break;
                    case DossierRefused:
                        notes.Add("Từ chối giải quyết");
                        break;
                    case DossierWithdrawn:
                        notes.Add("Rút hồ sơ");
                        break;
                    case DossierClosed:
                        notes.Add("Dừng giải quyết: quá hạn bổ sung");
                        break;
                    case DossierOverdue o when o.Breach:
                        notes.Add("Quá hạn lần hai");
                        break;
                }
            }

            return new TrackingBookRow(
                received.DossierCode,
                received.ProcedureName,
                Applicant(received.Applicant),
                lead?.AgencyName ?? received.ReceivingAgencyName,
                received.At,
                AppointmentBefore(events.Count) ?? received.AppointmentAt)
            {
                TransferredAt = transferred,
                ResultReceivedAt = events.OfType<ResultReady>().LastOrDefault()?.At,
                ReturnedAt = events.OfType<ResultReturned>().LastOrDefault()?.At,
                Note = notes.Count == 0 ? null : string.Join("; ", notes),
            };
        }

        /// <summary>The lead agency: the agency of the first step that is not the receiving unit's.</summary>
        private PlannedStep? LeadStep() =>
            received?.Steps.FirstOrDefault(s => s.Agency != received.By.Agency && !s.IsReturn);

        private static string OutcomeText(string outcome) => outcome switch
        {
            Outcomes.Supplement => "Yêu cầu bổ sung hồ sơ",
            Outcomes.Rejected => "Từ chối giải quyết",
            "approved" => "Đồng ý",
            _ => $"Kết quả: {outcome}",
        };

        private static string? Join(string a, string? b) => string.IsNullOrWhiteSpace(b) ? a : $"{a}; {b}";
    }
}
