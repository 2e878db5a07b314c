using System.Collections.Immutable;
using System.Globalization;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Dossiers.State;

namespace ProcedureEngine.Dossiers;

/// <summary>
/// The pure dossier decider: <see cref="Decide"/> turns a command into events (or a rejection),
/// <see cref="Evolve"/> folds an event into the state, <see cref="Tick"/> fires the time-driven rules.
/// One code path for the server, `simulate`, replay and the designer preview. No I/O, no clock.
/// See docs/dossier-lifecycle.md for the rules.
/// </summary>
public static partial class Decider
{
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>Decides a command against the dossier's state. Never throws on a bad command: it is rejected.</summary>
    public static Decision Decide(DossierCommand command, DossierState state, DossierContext context)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);

        if (state.LastEventAt is { } last && command.At < last)
        {
            return Decision.Reject(state, new Rejection(
                RejectionCodes.TimeGoesBackwards,
                $"Thời điểm {Local(command.At, context)} sớm hơn sự kiện gần nhất của hồ sơ ({Local(last, context)}).",
                $"{command.At:O} is before the dossier's last event ({last:O})."));
        }

        if (context.Plan.Error is { } error)
        {
            return Decision.Reject(state, new Rejection(RejectionCodes.DefinitionInvalid, $"Quy trình không hợp lệ: {error}.", $"The procedure definition is invalid: {error}."));
        }

        if (state.ProcedureCode is not null &&
            (state.ProcedureCode != context.Definition.Code || state.ProcedureVersion != context.Definition.Version))
        {
            return Decision.Reject(state, new Rejection(
                RejectionCodes.DefinitionMismatch,
                $"Hồ sơ được giải quyết theo thủ tục {state.ProcedureCode} phiên bản {state.ProcedureVersion}, không phải {context.Definition.Code} phiên bản {context.Definition.Version}.",
                $"The dossier runs on {state.ProcedureCode} v{state.ProcedureVersion}, not {context.Definition.Code} v{context.Definition.Version}."));
        }

        var run = new Run(state, context);
        var rejection = command switch
        {
            SubmitOnline c => Submit(run, c),
            ReceiveDossier c => Receive(run, c),
            RefuseDossier c => Refuse(run, c),
            CompleteStep c => Complete(run, c),
            RequestSupplement c => RequestSupplement(run, c),
            ProvideSupplement c => ProvideSupplement(run, c),
            ReturnResult c => Return(run, c),
            WithdrawDossier c => Withdraw(run, c),
            EvaluateDossier c => Evaluate(run, c),
            IssueApology c => Apologize(run, c),
            _ => throw new InvalidOperationException($"unhandled command {command.GetType().Name}"),
        };
        return rejection is null ? run.ToDecision() : Decision.Reject(state, rejection);
    }

    // ---------------------------------------------------------------- receipt

    private static Rejection? Submit(Run run, SubmitOnline c)
    {
        var s = run.State;
        if (s.Status != DossierStatus.New)
        {
            return AlreadyReceived(s);
        }

        if ((CheckEffective(run, c.At) ?? CheckInputs(run, c.Inputs) ?? CheckDeclared(run, c.Documents)) is { } bad)
        {
            return bad;
        }

        var rules = RulesFor(run, c.At);
        run.Emit(new DossierSubmitted(c.At, c.DossierId, run.Definition.Code, run.Definition.Version, c.Applicant, c.Inputs,
            Entries(run, c.Documents), run.Calendar.Add(c.At, rules.OnlineAcceptanceLimit), run.Context.Jurisdiction));
        return null;
    }

    private static Rejection? Receive(Run run, ReceiveDossier c)
    {
        var s = run.State;
        if (s.Status is not (DossierStatus.New or DossierStatus.Submitted))
        {
            return s.IsFinished ? Finished(s) : AlreadyReceived(s);
        }

        if (CheckOneStop(run, c.By) is { } notOneStop)
        {
            return notOneStop;
        }

        var applicant = c.Applicant ?? s.Applicant;
        var inputs = c.Inputs ?? (s.Status == DossierStatus.Submitted ? s.Inputs : ImmutableDictionary<string, string>.Empty);
        var documents = c.Documents ?? (s.Status == DossierStatus.Submitted ? [.. s.Documents.Select(d => d.Id)] : []);
        if (applicant is null)
        {
            return new Rejection(RejectionCodes.InvalidInput, "Thiếu thông tin người nộp hồ sơ.", "The applicant is missing.");
        }

        if ((CheckEffective(run, c.At) ?? CheckInputs(run, inputs) ?? CheckDeclared(run, documents)) is { } bad)
        {
            return bad;
        }

        var rules = RulesFor(run, c.At);
        var missing = run.Definition.Documents
            .Where(d => (d.When is null || d.When.Evaluate(inputs)) && !documents.Contains(d.Id))
            .Select(d => Entry(d))
            .ToImmutableArray();
        if (missing.Length > 0)
        {
            // Guidance listing everything missing at once (form 02); the dossier is not received.
            run.Emit(new ReceiptGuidanceIssued(c.At, c.DossierId, run.Definition.Code, run.Definition.Version, rules.Id, c.By, applicant, missing, Entries(run, documents)));
            return null;
        }

        var agency = run.Plan.Agencies[c.By.Agency];
        var local = c.At.ToOffset(run.Calendar.UtcOffset);
        var code = string.Create(CultureInfo.InvariantCulture, $"{agency.Code ?? agency.Id}-{local:yyMMdd}-{run.Context.Sequence:0000}");
        var channel = s.Status == DossierStatus.Submitted ? Channel.Online : c.Channel;
        run.Emit(new DossierReceived(
            c.At, s.Id ?? c.DossierId, code, run.Definition.Code, run.Definition.Version, run.Definition.Name, rules.Id, run.Context.Jurisdiction,
            channel, c.By, agency.Name, applicant, inputs, Entries(run, documents), run.Definition.TimeLimit.ToString(),
            run.Calendar.CountingStart(c.At), run.Calendar.Add(c.At, run.Definition.TimeLimit), run.Plan.Planned));

        // The first step, when it belongs to the one-stop unit, is the receipt itself: done by the receiving officer.
        var first = run.Plan.Steps[run.Plan.First];
        if (run.Plan.OneStopAgencies.Contains(first.Agency) && run.Plan.First != run.Plan.Return)
        {
            var due = run.Calendar.Add(c.At, first.Duration);
            run.Emit(new StepStarted(c.At, first.Id, first.Agency, due));
            run.Emit(new StepCompleted(c.At, c.By, first.Id, DefaultOutcome(first), due, null));
        }

        Advance(run, c.At);
        return null;
    }

    private static Rejection? Refuse(Run run, RefuseDossier c)
    {
        var s = run.State;
        if (s.Status is not (DossierStatus.New or DossierStatus.Submitted))
        {
            return s.IsFinished ? Finished(s) : AlreadyReceived(s);
        }

        if ((CheckOneStop(run, c.By) ?? RequireReason(c.Reason)) is { } bad)
        {
            return bad;
        }

        var applicant = c.Applicant ?? s.Applicant;
        run.Emit(new DossierRefused(c.At, s.Id ?? c.DossierId, c.By, c.Reason, null)
        {
            Applicant = applicant,
            ProcedureCode = run.Definition.Code,
            ProcedureVersion = run.Definition.Version,
            RuleSet = RulesFor(run, c.At).Id,
        });
        return null;
    }

    // ---------------------------------------------------------------- steps

    private static Rejection? Complete(Run run, CompleteStep c)
    {
        if (ActiveStepOf(run, c.StepId, c.By, out var index) is { } bad)
        {
            return bad;
        }

        var def = run.Plan.Steps[index];
        if (index == run.Plan.Return)
        {
            return Return(run, new ReturnResult(c.At, c.By));
        }

        var outcome = c.Outcome ?? DefaultOutcome(def);
        if (!def.Outcomes.Contains(outcome))
        {
            return new Rejection(
                RejectionCodes.OutcomeNotAllowed,
                $"Bước \"{def.Name}\" không có kết quả \"{outcome}\"; các kết quả được phép: {string.Join(", ", def.Outcomes)}.",
                $"Step '{def.Id}' has no outcome '{outcome}'; allowed: {string.Join(", ", def.Outcomes)}.");
        }

        if (outcome == Outcomes.Supplement)
        {
            return new Rejection(
                RejectionCodes.OutcomeNotAllowed,
                "Yêu cầu bổ sung hồ sơ phải nêu rõ các giấy tờ cần bổ sung (dùng thao tác yêu cầu bổ sung).",
                "A supplement must name the documents requested: use request-supplement.");
        }

        var step = run.State.Steps[index];
        run.Emit(new StepCompleted(c.At, c.By, def.Id, outcome, step.DueAt ?? c.At, c.Note));
        if (outcome == Outcomes.Rejected)
        {
            run.Emit(new DossierRefused(c.At, run.State.Id!, c.By,
                string.IsNullOrWhiteSpace(c.Note) ? $"Hồ sơ không đủ điều kiện giải quyết (kết quả bước \"{def.Name}\")." : c.Note, def.Id));
            return null;
        }

        Advance(run, c.At);
        return null;
    }

    /// <summary>Starts or skips every step whose predecessors are all finished; readies the result at the end.</summary>
    private static void Advance(Run run, DateTimeOffset at)
    {
        var plan = run.Plan;
        bool changed;
        do
        {
            changed = false;
            foreach (var i in plan.Order)
            {
                var step = run.State.Steps[i];
                if (step.Status != StepStatus.Pending || !PredecessorsFinished(run.State, plan, i))
                {
                    continue;
                }

                var def = plan.Steps[i];
                if (def.When is not null && !def.When.Evaluate(run.State.Inputs))
                {
                    run.Emit(new StepSkipped(at, def.Id, "Điều kiện thực hiện bước không thỏa mãn đối với hồ sơ này."));
                    changed = true;
                    continue;
                }

                if (i == plan.Return)
                {
                    if (!AllFinishedExcept(run.State, i))
                    {
                        continue;
                    }

                    run.Emit(new ResultReady(at, DecisiveOutcome(run.State)));
                }

                run.Emit(new StepStarted(at, def.Id, def.Agency, run.Calendar.Add(at, def.Duration)));
                changed = true;
            }
        }
        while (changed);

        if (plan.Return < 0 && run.State.Status is DossierStatus.InProgress or DossierStatus.Received && AllFinishedExcept(run.State, -1))
        {
            run.Emit(new ResultReady(at, DecisiveOutcome(run.State)));
        }
    }

    private static bool PredecessorsFinished(DossierState state, ProcedurePlan plan, int i)
    {
        foreach (var p in plan.Predecessors[i])
        {
            if (!state.Steps[p].IsFinished)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllFinishedExcept(DossierState state, int except)
    {
        var steps = state.Steps.AsSpan();
        for (var i = 0; i < steps.Length; i++)
        {
            if (i != except && !steps[i].IsFinished)
            {
                return false;
            }
        }

        return true;
    }

    private static string? DecisiveOutcome(DossierState state)
    {
        string? outcome = null;
        DateTimeOffset latest = default;
        foreach (var st in state.Steps)
        {
            if (st.Status == StepStatus.Done && st.Outcome is { } o && o != Outcomes.Done && st.CompletedAt >= latest)
            {
                outcome = o;
                latest = st.CompletedAt.Value;
            }
        }

        return outcome;
    }

    private static string DefaultOutcome(StepDef def)
    {
        foreach (var o in def.Outcomes)
        {
            if (o is not (Outcomes.Supplement or Outcomes.Rejected))
            {
                return o;
            }
        }

        return Outcomes.Done;
    }

    // ---------------------------------------------------------------- supplement

    private static Rejection? RequestSupplement(Run run, RequestSupplement c)
    {
        if (run.State.Status == DossierStatus.AwaitingSupplement)
        {
            return new Rejection(RejectionCodes.SupplementPending, "Hồ sơ đang chờ công dân bổ sung; chưa thể yêu cầu bổ sung lần nữa.", "A supplement request is already pending.");
        }

        if (ActiveStepOf(run, c.StepId, c.By, out var index) is { } bad)
        {
            return bad;
        }

        var def = run.Plan.Steps[index];
        if (!def.Outcomes.Contains(Outcomes.Supplement))
        {
            return new Rejection(
                RejectionCodes.SupplementNotAllowed,
                $"Quy trình không cho phép bước \"{def.Name}\" yêu cầu bổ sung hồ sơ.",
                $"Step '{def.Id}' may not request a supplement (its outcomes do not include 'supplement').");
        }

        if (c.Documents.IsDefaultOrEmpty)
        {
            return new Rejection(RejectionCodes.NothingRequested, "Phiếu yêu cầu bổ sung phải nêu ít nhất một giấy tờ.", "A supplement request must name at least one document.");
        }

        if ((CheckDeclared(run, c.Documents) ?? RequireReason(c.Reason)) is { } invalid)
        {
            return invalid;
        }

        var rules = RuleSets.Find(run.State.RuleSet!) ?? RuleSets.Nd118;
        run.Emit(new SupplementRequested(c.At, c.By, def.Id, Entries(run, c.Documents), c.Reason, rules.SupplementMode,
            run.Calendar.Add(c.At, rules.SupplementClosingAfter)));
        return null;
    }

    private static Rejection? ProvideSupplement(Run run, ProvideSupplement c)
    {
        var s = run.State;
        if (s.IsFinished)
        {
            return Finished(s);
        }

        if (s.Supplement is not { } pending)
        {
            return new Rejection(RejectionCodes.NoSupplementRequested, "Hồ sơ không có yêu cầu bổ sung nào đang chờ.", "No supplement was requested.");
        }

        if (CheckDeclared(run, c.Documents) is { } undeclared)
        {
            return undeclared;
        }

        var missing = pending.Documents.Where(d => !c.Documents.Contains(d.Id)).ToList();
        if (missing.Count > 0)
        {
            return new Rejection(
                RejectionCodes.SupplementIncomplete,
                $"Còn thiếu giấy tờ đã yêu cầu bổ sung: {string.Join("; ", missing.Select(d => d.Name))}.",
                $"Requested documents still missing: {string.Join(", ", missing.Select(d => d.Id))}.");
        }

        // The clock stopped at the request. Pause: every running step and the appointment move by the
        // office time the dossier spent with the applicant. Restart: the limit counts again from zero:
        // the requesting step gets its full duration and the appointment the full time limit.
        var cal = run.Calendar;
        var dues = ImmutableArray.CreateBuilder<StepDue>();
        foreach (var st in s.Steps)
        {
            if (st.Status != StepStatus.Active || st.DueAt is not { } due)
            {
                continue;
            }

            var newDue = pending.Mode == SupplementMode.Restart && st.Id == pending.StepId
                ? cal.Add(c.At, run.Plan.Steps[run.Plan.Index[st.Id]].Duration)
                : Shift(cal, due, pending.RequestedAt, c.At);
            dues.Add(new StepDue(st.Id, newDue));
        }

        var appointment = pending.Mode == SupplementMode.Restart
            ? cal.Add(c.At, run.Definition.TimeLimit)
            : Shift(cal, s.AppointmentAt!.Value, pending.RequestedAt, c.At);
        run.Emit(new SupplementProvided(c.At, c.By, Entries(run, c.Documents), appointment, dues.ToImmutable()));
        return null;
    }

    /// <summary>Moves <paramref name="due"/> by the office time between stop and resume (what was left is kept).</summary>
    private static DateTimeOffset Shift(IWorkingCalendar cal, DateTimeOffset due, DateTimeOffset stoppedAt, DateTimeOffset resumedAt)
    {
        var left = cal.WorkingTimeBetween(cal.CountingStart(stoppedAt), due);
        return left <= TimeSpan.Zero ? due : WorkingTime.Add(cal, resumedAt, left);
    }

    // ---------------------------------------------------------------- end of the dossier

    private static Rejection? Return(Run run, ReturnResult c)
    {
        var s = run.State;
        if (s.IsFinished)
        {
            return Finished(s);
        }

        if (s.Status != DossierStatus.ResultReady)
        {
            return s.IsReceived
                ? new Rejection(RejectionCodes.ResultNotReady, "Chưa có kết quả giải quyết để trả cho công dân.", "The result is not ready yet.")
                : NotReceived();
        }

        var returnAgency = run.Plan.Return >= 0 ? run.Plan.Steps[run.Plan.Return].Agency : null;
        if (returnAgency is not null ? c.By.Agency != returnAgency : !run.Plan.OneStopAgencies.Contains(c.By.Agency))
        {
            var owner = returnAgency ?? run.Plan.OneStopAgencies.FirstOrDefault() ?? "one-stop";
            return new Rejection(
                RejectionCodes.WrongAgency,
                $"Chỉ {run.Plan.AgencyName(owner)} được trả kết quả; {c.By.User} thuộc {run.Plan.AgencyName(c.By.Agency)}.",
                $"Only agency '{owner}' returns results; {c.By.User} acts for '{c.By.Agency}'.");
        }

        if (run.Plan.Return >= 0)
        {
            var step = s.Steps[run.Plan.Return];
            run.Emit(new StepCompleted(c.At, c.By, step.Id, DefaultOutcome(run.Plan.Steps[run.Plan.Return]), step.DueAt ?? c.At, null));
        }

        run.Emit(new ResultReturned(c.At, c.By, s.AppointmentAt!.Value, c.At <= s.AppointmentAt.Value));
        return null;
    }

    private static Rejection? Withdraw(Run run, WithdrawDossier c)
    {
        var s = run.State;
        if (s.IsFinished)
        {
            return Finished(s);
        }

        if (s.Status == DossierStatus.New)
        {
            return NotReceived();
        }

        if (s.Status == DossierStatus.ResultReady)
        {
            return new Rejection(RejectionCodes.DecisionIssued, "Đã có kết quả giải quyết; không thể rút hồ sơ.", "The decision has been issued; the dossier can no longer be withdrawn.");
        }

        run.Emit(new DossierWithdrawn(c.At, c.By, c.Reason));
        return null;
    }

    private static Rejection? Evaluate(Run run, EvaluateDossier c)
    {
        var s = run.State;
        if (s.Status != DossierStatus.Returned)
        {
            return new Rejection(RejectionCodes.NotReturned, "Chỉ đánh giá được sau khi đã nhận kết quả.", "A dossier can be evaluated only after its result was returned.");
        }

        if (s.Score is not null)
        {
            return new Rejection(RejectionCodes.AlreadyEvaluated, "Hồ sơ đã được đánh giá.", "The dossier was already evaluated.");
        }

        if (c.Score is < 1 or > 5)
        {
            return new Rejection(RejectionCodes.InvalidScore, $"Điểm đánh giá phải từ 1 đến 5 (nhận được {c.Score}).", $"The score must be 1..5 (got {c.Score}).");
        }

        run.Emit(new DossierEvaluated(c.At, c.By, c.Score, c.Comment));
        return null;
    }

    // ---------------------------------------------------------------- apology

    private static Rejection? Apologize(Run run, IssueApology c)
    {
        var s = run.State;
        if (s.IsFinished)
        {
            return Finished(s);
        }

        if (!s.IsReceived)
        {
            return NotReceived();
        }

        if (s.Apology is { } previous)
        {
            return new Rejection(
                RejectionCodes.SecondApology,
                $"Hồ sơ đã được xin lỗi và hẹn lại ngày trả kết quả lúc {Local(previous.At, run.Context)}; ngày hẹn chỉ được điều chỉnh một lần.",
                "An apology was already issued; the appointment can be re-set only once.");
        }

        if (RequireReason(c.Reason) is { } noReason)
        {
            return noReason;
        }

        var agency = c.AgencyAtFault ?? c.By.Agency;
        if (!run.Plan.Agencies.ContainsKey(agency))
        {
            return new Rejection(RejectionCodes.UnknownAgency, $"Cơ quan \"{agency}\" không tham gia giải quyết thủ tục này.", $"Agency '{agency}' takes no part in this procedure.");
        }

        if (c.By.Agency != agency && !run.Plan.OneStopAgencies.Contains(c.By.Agency))
        {
            return new Rejection(
                RejectionCodes.WrongAgency,
                $"Văn bản xin lỗi do {run.Plan.AgencyName(agency)} (cơ quan để chậm) hoặc Bộ phận Một cửa phát hành; {c.By.User} thuộc {run.Plan.AgencyName(c.By.Agency)}.",
                $"The apology is issued by the agency at fault '{agency}' or the one-stop unit, not by '{c.By.Agency}'.");
        }

        var current = s.AppointmentAt!.Value;
        var projection = Project(run.State, run.Context, c.At);
        var newAppointment = c.NewAppointmentAt ?? projection.NewAppointment(run.Calendar, run.Context, current);
        if (newAppointment <= current)
        {
            return new Rejection(
                RejectionCodes.AppointmentNotLater,
                $"Ngày hẹn mới ({Local(newAppointment, run.Context)}) phải sau ngày hẹn hiện tại ({Local(current, run.Context)}).",
                $"The new appointment {newAppointment:O} must be after the current one {current:O}.");
        }

        var stepId = s.Steps.FirstOrDefault(st => st.Status == StepStatus.Active && st.Agency == agency)?.Id;
        run.Emit(new ApologyIssued(c.At, c.By, agency, run.Plan.AgencyName(agency), stepId, c.Reason, current, newAppointment, Automatic: false));
        return null;
    }

    // ---------------------------------------------------------------- checks

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

    private static RuleSet RulesFor(Run run, DateTimeOffset at) =>
        run.Context.RuleSet ?? RuleSets.ForReceipt(DateOnly.FromDateTime(at.ToOffset(run.Calendar.UtcOffset).DateTime));

    private static ImmutableArray<DocumentEntry> Entries(Run run, ImmutableArray<string> ids) =>
        ids.IsDefaultOrEmpty ? [] : [.. ids.Distinct().Select(id => Entry(run.Plan.Documents[id]))];

    private static DocumentEntry Entry(DocumentDecl d) => new(d.Id, d.Name, d.Copies, d.Original);

    internal static string Local(DateTimeOffset at, DossierContext context) =>
        at.ToOffset(context.Calendar.UtcOffset).ToString("HH:mm 'ngày' dd/MM/yyyy", Vi);

    /// <summary>Accumulates events, folding each into the running state so later checks see it.</summary>
    private sealed class Run(DossierState state, DossierContext context)
    {
        private ImmutableArray<DossierEvent>.Builder? _events;

        public DossierState State { get; private set; } = state;

        public DossierContext Context { get; } = context;

        public ProcedurePlan Plan => Context.Plan;

        public ProcedureDefinition Definition => Context.Definition;

        public IWorkingCalendar Calendar => Context.Calendar;

        public int Count => _events?.Count ?? 0;

        /// <summary>
        /// Records the event and folds it into the running state. The caller's state is copied once, on
        /// the first event; later events of the same decision are written into that private copy.
        /// </summary>
        public void Emit(DossierEvent e)
        {
            ArgumentNullException.ThrowIfNull(e);
            if (_events is null)
            {
                _events = ImmutableArray.CreateBuilder<DossierEvent>(4);
                State = State with { };
            }

            _events.Add(e);
            var folder = new Folder(State);
            folder.Apply(e);
            folder.Complete();
        }

        public Decision ToDecision() => new(_events?.ToImmutable() ?? [], State, null);
    }
}
