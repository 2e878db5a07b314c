namespace ProcedureEngine.Dossiers;

// Checks shared by the commands: active step and actor, one-stop, effective dates, inputs, documents.
public static partial class Decider
{
    private static Rejection? ActiveStepOf(Run run, string stepId, Actor by, out int index)
    {
        var s = run.State;
        index = -1;
        if (s.IsFinished)
        {
            return Finished(s);
        }

        if (!s.IsReceived)
        {
            return NotReceived();
        }

        if (!run.Plan.Index.TryGetValue(stepId, out index))
        {
            return new Rejection(RejectionCodes.UnknownStep, $"Thủ tục không có bước \"{stepId}\".", $"The procedure has no step '{stepId}'.");
        }

        var step = s.Steps[index];
        if (step.Agency != by.Agency)
        {
            return new Rejection(
                RejectionCodes.WrongAgency,
                $"Bước \"{step.Name}\" do {step.AgencyName} thực hiện; {by.User} thuộc {run.Plan.AgencyName(by.Agency)} không được xử lý bước này.",
                $"Step '{step.Id}' belongs to agency '{step.Agency}'; {by.User} acts for '{by.Agency}'.");
        }

        if (s.Status == DossierStatus.AwaitingSupplement)
        {
            return new Rejection(
                RejectionCodes.SupplementPending,
                "Hồ sơ đang chờ công dân bổ sung; chưa thể tiếp tục xử lý.",
                "The dossier is waiting for the applicant's supplement.");
        }

        if (step.Status != StepStatus.Active)
        {
            var why = step.Status switch
            {
                StepStatus.Pending => "chưa đến lượt xử lý",
                StepStatus.Done => "đã hoàn thành",
                _ => "không áp dụng cho hồ sơ này",
            };
            return new Rejection(
                RejectionCodes.StepNotActive,
                $"Bước \"{step.Name}\" {why}.",
                $"Step '{step.Id}' is not active (it is {step.Status.ToString().ToLowerInvariant()}).");
        }

        return null;
    }

    private static Rejection? CheckOneStop(Run run, Actor by) =>
        run.Plan.OneStopAgencies.Contains(by.Agency)
            ? null
            : new Rejection(
                RejectionCodes.NotOneStop,
                $"Chỉ cán bộ Bộ phận Một cửa được tiếp nhận hoặc từ chối hồ sơ; {by.User} thuộc {run.Plan.AgencyName(by.Agency)}.",
                $"Only a one-stop officer receives or refuses dossiers; {by.User} acts for '{by.Agency}'.");

    /// <summary>
    /// What the applicant does (a supplement, a withdrawal, an evaluation) is recorded by the applicant in person
    /// or by the one-stop unit that holds the dossier: the unit that received it, or the one that returns its
    /// result (before receipt, any one-stop unit of the procedure). An officer of another agency, even one that
    /// handles a step, may not speak for the applicant.
    /// </summary>
    private static Rejection? CheckApplicantSide(Run run, Actor by, string what, string whatEn)
    {
        if (by.Agency == Actor.ApplicantAgency)
        {
            return null;
        }

        var s = run.State;
        var holders = new List<string>(2);
        if (s.ReceivedBy is { } receiver)
        {
            holders.Add(receiver.Agency);
            if (run.Plan.Return >= 0)
            {
                holders.Add(run.Plan.Steps[run.Plan.Return].Agency);
            }
        }
        else
        {
            holders.AddRange(run.Plan.OneStopAgencies);
        }

        if (holders.Contains(by.Agency))
        {
            return null;
        }

        var holder = holders.FirstOrDefault() ?? "one-stop";
        return new Rejection(
            RejectionCodes.WrongAgency,
            $"Chỉ công dân hoặc {run.Plan.AgencyName(holder)} (nơi tiếp nhận hồ sơ) được ghi nhận việc {what}; {by.User} thuộc {run.Plan.AgencyName(by.Agency)}.",
            $"Only the applicant or the one-stop unit holding the dossier ('{holder}') records {whatEn}; {by.User} acts for '{by.Agency}'.");
    }

    private static Rejection? CheckEffective(Run run, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.ToOffset(run.Calendar.UtcOffset).DateTime);
        var eff = run.Definition.Effective;
        return eff.Contains(day)
            ? null
            : new Rejection(
                RejectionCodes.VersionNotInEffect,
                $"Thủ tục {run.Definition.Code} phiên bản {run.Definition.Version} không có hiệu lực ngày {day.ToString("dd/MM/yyyy", Vi)}.",
                $"Procedure {run.Definition.Code} v{run.Definition.Version} is not in effect on {day:yyyy-MM-dd}.");
    }

    private static Rejection? CheckInputs(Run run, ImmutableDictionary<string, string> inputs)
    {
        foreach (var (id, value) in inputs)
        {
            if (!run.Plan.Inputs.TryGetValue(id, out var decl))
            {
                return new Rejection(RejectionCodes.InvalidInput, $"Thủ tục không khai báo thông tin \"{id}\".", $"Input '{id}' is not declared by the procedure.");
            }

            var ok = decl.Type switch
            {
                InputType.Bool => bool.TryParse(value, out _),
                InputType.Number => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _),
                InputType.Enum => decl.Values.Contains(value),
                InputType.Date => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                _ => true,
            };
            if (!ok)
            {
                var expected = decl.Type == InputType.Enum ? string.Join(", ", decl.Values) : decl.Type.ToString().ToLowerInvariant();
                return new Rejection(RejectionCodes.InvalidInput, $"Giá trị \"{value}\" không hợp lệ cho \"{id}\" (cần: {expected}).", $"'{value}' is not valid for input '{id}' (expected {expected}).");
            }
        }

        return null;
    }

    private static Rejection? CheckDeclared(Run run, ImmutableArray<string> documents)
    {
        if (documents.IsDefaultOrEmpty)
        {
            return null;
        }

        var undeclared = documents.Where(d => !run.Plan.Documents.ContainsKey(d)).ToList();
        return undeclared.Count == 0
            ? null
            : new Rejection(
                RejectionCodes.UndeclaredDocument,
                $"Không được yêu cầu giấy tờ không có trong thủ tục đã công bố: {string.Join(", ", undeclared)}.",
                $"Documents not declared by the published procedure may not be asked for: {string.Join(", ", undeclared)}.");
    }

    private static Rejection? RequireReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason)
            ? new Rejection(RejectionCodes.ReasonRequired, "Phải nêu rõ lý do.", "A reason is required.")
            : null;

    private static Rejection NotReceived() =>
        new(RejectionCodes.NotReceived, "Hồ sơ chưa được tiếp nhận.", "The dossier has not been received.");

    private static Rejection AlreadyReceived(DossierState s) =>
        new(RejectionCodes.AlreadyReceived, $"Hồ sơ đã được tiếp nhận (mã hồ sơ {s.Code ?? s.Id}).", "The dossier was already received.");

    private static Rejection Finished(DossierState s)
    {
        var what = s.Status switch
        {
            DossierStatus.Returned => "đã trả kết quả",
            DossierStatus.Refused => "đã bị từ chối",
            DossierStatus.Withdrawn => "đã được rút",
            _ => "đã bị dừng giải quyết do không bổ sung hồ sơ",
        };
        return new Rejection(RejectionCodes.DossierFinished, $"Hồ sơ {what}; không thể thực hiện thêm thao tác này.", $"The dossier is {s.Status.ToString().ToLowerInvariant()}; no further action is possible.");
    }

    /// <summary>The rule set for a new dossier at <paramref name="at"/>: the forced one, else the one in force that day.</summary>
    private static RuleSet RulesFor(Run run, DateTimeOffset at) =>
        run.Context.RuleSet ?? RuleSets.ForReceipt(LocalDate(at, run.Context));

    /// <summary>The rule set a dossier runs under: the one its receipt recorded, else the one in force on its receipt (or at <paramref name="at"/>).</summary>
    private static RuleSet RulesOf(DossierState s, DossierContext context, DateTimeOffset at) =>
        RuleSets.Find(s.RuleSet) ?? context.RuleSet ?? RuleSets.ForReceipt(LocalDate(s.ReceivedAt ?? at, context));

    private static DateOnly LocalDate(DateTimeOffset at, DossierContext context) =>
        DateOnly.FromDateTime(at.ToOffset(context.Calendar.UtcOffset).DateTime);

    private static ImmutableArray<DocumentEntry> Entries(Run run, ImmutableArray<string> ids) =>
        ids.IsDefaultOrEmpty ? [] : [.. ids.Distinct().Select(id => Entry(run.Plan.Documents[id]))];

    private static DocumentEntry Entry(DocumentDecl d) => new(d.Id, d.Name, d.Copies, d.Original);
}
