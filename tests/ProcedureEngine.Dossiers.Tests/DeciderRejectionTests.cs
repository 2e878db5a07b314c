using System.Collections.Immutable;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.Dossiers.Tests.Support;
using static ProcedureEngine.Dossiers.Tests.Support.Samples;

namespace ProcedureEngine.Dossiers.Tests;

/// <summary>Every rule that refuses a command: the rejection's code and reason, and that nothing was appended.</summary>
public class DeciderRejectionTests
{
    private static readonly DossierContext Ctx = new(Permit, Samples.Calendar);
    private static readonly Actor OneStop = new("cb-motcua-01", "one-stop");
    private static readonly Actor Sxd = new("sxd-01", "so-xay-dung");
    private static readonly Actor Pc07 = new("pc07-01", "pc07");
    private static readonly Actor Citizen = new("Nguyễn Văn A", "applicant");
    private static readonly ImmutableArray<string> AllDocs = ["don-de-nghi", "giay-to-dat", "ban-ve-thiet-ke"];
    private static readonly ImmutableDictionary<string, string> Inputs =
        ImmutableDictionary<string, string>.Empty.Add("works.grade", "III").Add("works.fireRisk", "false");

    private static ReceiveDossier Receipt(DateTimeOffset at, Actor? by = null, ImmutableDictionary<string, string>? inputs = null) =>
        new(at, by ?? OneStop, "d-1", new Applicant("Nguyễn Văn A"), inputs ?? Inputs, AllDocs);

    private static DossierState Received() => Apply(DossierState.Initial, Receipt(At(2026, 3, 2, 9)));

    private static DossierState Apply(DossierState state, DossierCommand command)
    {
        var d = Decider.Decide(command, state, Ctx);
        d.Rejection.ShouldBeNull();
        return d.State;
    }

    private static Rejection Rejected(DossierState state, DossierCommand command, string code)
    {
        var d = Decider.Decide(command, state, Ctx);
        d.Rejection.ShouldNotBeNull();
        d.Rejection.Code.ShouldBe(code, d.Rejection.MessageEn);
        d.Events.ShouldBeEmpty();
        d.State.ShouldBeSameAs(state);
        d.Rejection.Message.ShouldNotBeNullOrWhiteSpace();
        return d.Rejection;
    }

    private static DossierState ReadyForReturn()
    {
        var s = Apply(Received(), new CompleteStep(At(2026, 3, 5, 9), Sxd, "appraise", "approved"));
        return Apply(s, new CompleteStep(At(2026, 3, 6, 9), Sxd, "sign"));
    }

    [Fact]
    public void Only_the_owning_agency_may_complete_its_step()
    {
        var r = Rejected(Received(), new CompleteStep(At(2026, 3, 3, 9), Pc07, "appraise"), RejectionCodes.WrongAgency);
        r.Message.ShouldContain("Sở Xây dựng");
    }

    [Fact]
    public void A_step_that_is_not_active_cannot_be_completed()
    {
        Rejected(Received(), new CompleteStep(At(2026, 3, 3, 9), Sxd, "sign"), RejectionCodes.StepNotActive).Message.ShouldContain("chưa đến lượt");
        Rejected(Received(), new CompleteStep(At(2026, 3, 3, 9), Pc07, "consult-fire"), RejectionCodes.StepNotActive);
        Rejected(Received(), new CompleteStep(At(2026, 3, 3, 9), Sxd, "nonexistent"), RejectionCodes.UnknownStep);
    }

    [Fact]
    public void Only_documents_declared_by_the_procedure_may_be_requested()
    {
        var r = Rejected(Received(), new RequestSupplement(At(2026, 3, 3, 9), Sxd, "appraise", ["so-ho-khau"], "Bổ sung sổ hộ khẩu"), RejectionCodes.UndeclaredDocument);
        r.Message.ShouldContain("so-ho-khau");
        Rejected(Received(), new RequestSupplement(At(2026, 3, 3, 9), Sxd, "appraise", [], "Bổ sung"), RejectionCodes.NothingRequested);
        Rejected(Received(), new RequestSupplement(At(2026, 3, 3, 9), Sxd, "appraise", ["giay-to-dat"], " "), RejectionCodes.ReasonRequired);
    }

    [Fact]
    public void A_step_without_the_supplement_outcome_cannot_request_documents()
    {
        var s = Apply(Received(), new CompleteStep(At(2026, 3, 5, 9), Sxd, "appraise", "approved"));
        Rejected(s, new RequestSupplement(At(2026, 3, 5, 10), Sxd, "sign", ["giay-to-dat"], "Bổ sung"), RejectionCodes.SupplementNotAllowed);
    }

    [Fact]
    public void Supplement_rules_pending_incomplete_and_unrequested()
    {
        Rejected(Received(), new ProvideSupplement(At(2026, 3, 3, 9), Citizen, ["giay-to-dat"]), RejectionCodes.NoSupplementRequested);
        var s = Apply(Received(), new RequestSupplement(At(2026, 3, 3, 9), Sxd, "appraise", ["giay-to-dat", "ban-ve-thiet-ke"], "Bổ sung"));
        s.Status.ShouldBe(DossierStatus.AwaitingSupplement);
        Rejected(s, new RequestSupplement(At(2026, 3, 3, 10), Sxd, "appraise", ["giay-to-dat"], "Lần nữa"), RejectionCodes.SupplementPending);
        Rejected(s, new CompleteStep(At(2026, 3, 3, 10), Sxd, "appraise"), RejectionCodes.SupplementPending);
        Rejected(s, new ProvideSupplement(At(2026, 3, 4, 9), Citizen, ["giay-to-dat"]), RejectionCodes.SupplementIncomplete).Message.ShouldContain("02 bộ bản vẽ");
        Apply(s, new ProvideSupplement(At(2026, 3, 4, 9), Citizen, ["giay-to-dat", "ban-ve-thiet-ke"])).Status.ShouldBe(DossierStatus.InProgress);
    }

    [Fact]
    public void The_appointment_can_be_reset_only_once()
    {
        var s = Apply(Received(), new IssueApology(At(2026, 3, 20, 9), Sxd, null, "Chậm thẩm định"));
        s.Apology!.AgencyAtFault.ShouldBe("so-xay-dung");
        s.AppointmentAt!.Value.ShouldBeGreaterThan(At(2026, 3, 23, 9));
        Rejected(s, new IssueApology(At(2026, 3, 20, 10), Sxd, null, "Xin lỗi lần hai"), RejectionCodes.SecondApology);
        s.Letters.Count(l => l.Form == "04").ShouldBe(1);
    }

    [Fact]
    public void Apology_rules_agency_new_date_and_reason()
    {
        var s = Received();
        Rejected(s, new IssueApology(At(2026, 3, 20, 9), Sxd, "so-y-te", "Chậm"), RejectionCodes.UnknownAgency);
        Rejected(s, new IssueApology(At(2026, 3, 20, 9), Pc07, "so-xay-dung", "Chậm"), RejectionCodes.WrongAgency);
        Rejected(s, new IssueApology(At(2026, 3, 20, 9), Sxd, null, "Chậm", At(2026, 3, 23, 9)), RejectionCodes.AppointmentNotLater);
        Rejected(s, new IssueApology(At(2026, 3, 20, 9), Sxd, null, ""), RejectionCodes.ReasonRequired);
        Apply(s, new IssueApology(At(2026, 3, 20, 9), OneStop, "so-xay-dung", "Chậm", At(2026, 3, 27, 9))).AppointmentAt.ShouldBe(At(2026, 3, 27, 9));
    }

    [Fact]
    public void An_apology_may_not_set_an_appointment_beyond_the_current_one_plus_the_time_limit()
    {
        var s = Received();
        var current = s.AppointmentAt!.Value;
        var bound = Samples.Calendar.Add(current, Permit.TimeLimit);
        var r = Rejected(s, new IssueApology(At(2026, 3, 20, 9), Sxd, null, "Chậm", new DateTimeOffset(9999, 12, 31, 9, 0, 0, TimeSpan.FromHours(7))), RejectionCodes.AppointmentBeyondBound);
        r.Message.ShouldContain(bound.ToOffset(TimeSpan.FromHours(7)).ToString("HH:mm 'ngày' dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        r.Message.ShouldContain("Nghị định");
        Rejected(s, new IssueApology(At(2026, 3, 20, 9), Sxd, null, "Chậm", bound.AddMinutes(1)), RejectionCodes.AppointmentBeyondBound);
        Apply(s, new IssueApology(At(2026, 3, 20, 9), Sxd, null, "Chậm", bound)).AppointmentAt.ShouldBe(bound);
    }

    [Fact]
    public void Nothing_but_evaluation_is_accepted_after_return()
    {
        var s = Apply(ReadyForReturn(), new ReturnResult(At(2026, 3, 6, 10), OneStop));
        s.Status.ShouldBe(DossierStatus.Returned);
        Rejected(s, new CompleteStep(At(2026, 3, 6, 11), Sxd, "sign"), RejectionCodes.DossierFinished).Message.ShouldContain("đã trả kết quả");
        Rejected(s, new ReturnResult(At(2026, 3, 6, 11), OneStop), RejectionCodes.DossierFinished);
        Rejected(s, new WithdrawDossier(At(2026, 3, 6, 11), Citizen), RejectionCodes.DossierFinished);
        Rejected(s, new IssueApology(At(2026, 3, 6, 11), Sxd, null, "Chậm"), RejectionCodes.DossierFinished);
        Rejected(s, new RequestSupplement(At(2026, 3, 6, 11), Sxd, "appraise", ["giay-to-dat"], "x"), RejectionCodes.DossierFinished);
        Rejected(s, Receipt(At(2026, 3, 6, 11)), RejectionCodes.DossierFinished);
        Rejected(s, new EvaluateDossier(At(2026, 3, 6, 11), Citizen, 6), RejectionCodes.InvalidScore);
        var rated = Apply(s, new EvaluateDossier(At(2026, 3, 6, 11), Citizen, 4));
        rated.Score.ShouldBe(4);
        Rejected(rated, new EvaluateDossier(At(2026, 3, 6, 12), Citizen, 5), RejectionCodes.AlreadyEvaluated);
    }

    [Fact]
    public void Only_the_applicant_or_the_one_stop_unit_holding_the_dossier_records_what_the_applicant_does()
    {
        var finance = new Actor("stc-01", "so-tai-chinh");

        // Withdrawal: an agency with no part in the procedure, and one that only appraises it, may not.
        Rejected(Received(), new WithdrawDossier(At(2026, 3, 3, 9), finance, "Rút"), RejectionCodes.WrongAgency).Message.ShouldContain("Bộ phận");
        Rejected(Received(), new WithdrawDossier(At(2026, 3, 3, 9), Sxd, "Rút"), RejectionCodes.WrongAgency);
        Apply(Received(), new WithdrawDossier(At(2026, 3, 3, 9), OneStop, "Rút")).Status.ShouldBe(DossierStatus.Withdrawn);
        Apply(Received(), new WithdrawDossier(At(2026, 3, 3, 9), Citizen, "Rút")).Status.ShouldBe(DossierStatus.Withdrawn);

        // Supplement: the agency that asked for it cannot declare it provided (that would restart the clock).
        var waiting = Apply(Received(), new RequestSupplement(At(2026, 3, 3, 9), Sxd, "appraise", ["giay-to-dat"], "Bổ sung"));
        Rejected(waiting, new ProvideSupplement(At(2026, 3, 4, 9), Sxd, ["giay-to-dat"]), RejectionCodes.WrongAgency);
        Rejected(waiting, new ProvideSupplement(At(2026, 3, 4, 9), finance, ["giay-to-dat"]), RejectionCodes.WrongAgency);
        Apply(waiting, new ProvideSupplement(At(2026, 3, 4, 9), OneStop, ["giay-to-dat"])).Status.ShouldBe(DossierStatus.InProgress);

        // Evaluation of a returned dossier.
        var returned = Apply(ReadyForReturn(), new ReturnResult(At(2026, 3, 6, 10), OneStop));
        Rejected(returned, new EvaluateDossier(At(2026, 3, 6, 11), finance, 1), RejectionCodes.WrongAgency);
        Apply(returned, new EvaluateDossier(At(2026, 3, 6, 11), OneStop, 5)).Score.ShouldBe(5);
    }

    [Fact]
    public void Return_needs_a_ready_result_and_the_one_stop_unit()
    {
        Rejected(Received(), new ReturnResult(At(2026, 3, 3, 9), OneStop), RejectionCodes.ResultNotReady);
        Rejected(ReadyForReturn(), new ReturnResult(At(2026, 3, 6, 10), Sxd), RejectionCodes.WrongAgency);
        Rejected(ReadyForReturn(), new WithdrawDossier(At(2026, 3, 6, 10), Citizen), RejectionCodes.DecisionIssued);
        Rejected(Received(), new EvaluateDossier(At(2026, 3, 3, 9), Citizen, 5), RejectionCodes.NotReturned);
    }

    [Fact]
    public void Receipt_rules_one_stop_effective_version_inputs_and_once()
    {
        Rejected(DossierState.Initial, Receipt(At(2026, 3, 2, 9), Sxd), RejectionCodes.NotOneStop);
        Rejected(DossierState.Initial, Receipt(At(2020, 3, 2, 9)), RejectionCodes.VersionNotInEffect).Message.ShouldContain("02/03/2020");
        Rejected(DossierState.Initial, Receipt(At(2026, 3, 2, 9), inputs: Inputs.SetItem("works.grade", "V")), RejectionCodes.InvalidInput);
        Rejected(DossierState.Initial, Receipt(At(2026, 3, 2, 9), inputs: Inputs.Add("works.colour", "red")), RejectionCodes.InvalidInput);
        Rejected(DossierState.Initial, new ReceiveDossier(At(2026, 3, 2, 9), OneStop, "d-1", new Applicant("A"), Inputs, ["don-de-nghi", "so-do"]), RejectionCodes.UndeclaredDocument);
        Rejected(Received(), Receipt(At(2026, 3, 3, 9)), RejectionCodes.AlreadyReceived);
        Rejected(Received(), new RefuseDossier(At(2026, 3, 3, 9), OneStop, "d-1", "Không đủ điều kiện", null), RejectionCodes.AlreadyReceived);
        Rejected(DossierState.Initial, new RefuseDossier(At(2026, 3, 3, 9), OneStop, "d-1", "", null), RejectionCodes.ReasonRequired);
        Rejected(DossierState.Initial, new CompleteStep(At(2026, 3, 3, 9), Sxd, "appraise"), RejectionCodes.NotReceived);
        Rejected(DossierState.Initial, new WithdrawDossier(At(2026, 3, 3, 9), Citizen), RejectionCodes.NotReceived);
    }

    [Fact]
    public void Outcomes_must_be_declared_and_supplement_goes_through_a_request()
    {
        Rejected(Received(), new CompleteStep(At(2026, 3, 3, 9), Sxd, "appraise", "maybe"), RejectionCodes.OutcomeNotAllowed).Message.ShouldContain("approved, supplement, rejected");
        Rejected(Received(), new CompleteStep(At(2026, 3, 3, 9), Sxd, "appraise", "supplement"), RejectionCodes.OutcomeNotAllowed);
    }

    [Fact]
    public void Rejected_outcome_refuses_the_dossier_with_form_03()
    {
        var d = Decider.Decide(new CompleteStep(At(2026, 3, 4, 9), Sxd, "appraise", "rejected", "Vi phạm chỉ giới xây dựng"), Received(), Ctx);

        d.Events.Select(e => e.Type).ShouldBe(["StepCompleted", "DossierRefused"]);
        var refused = d.Events.OfType<DossierRefused>().Single();
        refused.StepId.ShouldBe("appraise");
        refused.Reason.ShouldBe("Vi phạm chỉ giới xây dựng");
        d.State.Status.ShouldBe(DossierStatus.Refused);
        d.State.Letters.Last().Form.ShouldBe("03");
    }

    [Fact]
    public void Time_cannot_go_backwards_and_a_dossier_keeps_its_procedure_version()
    {
        Rejected(Received(), new CompleteStep(At(2026, 3, 1, 9), Sxd, "appraise"), RejectionCodes.TimeGoesBackwards);
        Decider.Tick(Received(), At(2026, 3, 1, 9), Ctx).Rejection!.Code.ShouldBe(RejectionCodes.TimeGoesBackwards);
        var v4 = new DossierContext(Permit with { Version = 4 }, Samples.Calendar);
        Decider.Decide(new CompleteStep(At(2026, 3, 3, 9), Sxd, "appraise"), Received(), v4).Rejection!.Code.ShouldBe(RejectionCodes.DefinitionMismatch);
    }

    [Fact]
    public void A_cyclic_definition_rejects_commands_instead_of_throwing()
    {
        var cyclic = Permit with
        {
            Steps = [.. Permit.Steps.Select(s => s.Id == "receive" ? s with { After = ["return"] } : s)],
        };
        var d = Decider.Decide(Receipt(At(2026, 3, 2, 9)), DossierState.Initial, new DossierContext(cyclic, Samples.Calendar));
        d.Rejection!.Code.ShouldBe(RejectionCodes.DefinitionInvalid);
    }

    [Fact]
    public void Rule_set_is_chosen_by_receipt_date_and_kept()
    {
        Apply(DossierState.Initial, Receipt(At(2025, 6, 30, 16))).RuleSet.ShouldBe("nd61-2018");
        Apply(DossierState.Initial, Receipt(At(2025, 7, 1, 8))).RuleSet.ShouldBe("nd118-2025");
        var forced = Decider.Decide(Receipt(At(2026, 3, 2, 9)), DossierState.Initial, new DossierContext(Permit, Samples.Calendar, Rules.RuleSets.Nd61));
        forced.State.RuleSet.ShouldBe("nd61-2018");
        forced.State.Letters.Single().Title.ShouldBe("Giấy tiếp nhận hồ sơ và hẹn trả kết quả");
    }

    [Fact]
    public void Dossier_code_uses_the_agency_code_local_date_and_the_callers_sequence()
    {
        var d = Decider.Decide(Receipt(At(2026, 3, 2, 23, 30)), DossierState.Initial, Ctx.WithSequence(42));
        d.State.Code.ShouldBe("000.00.07.H13-260302-0042");
        // received after office hours: counted from the next working period
        d.State.CountingFrom.ShouldBe(At(2026, 3, 3, 7, 30));
    }

    [Fact]
    public void Samples_and_decider_together_produce_every_event_type()
    {
        var seen = new HashSet<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(SamplesDir, "scenarios"), "*.yaml"))
        {
            seen.UnionWith(Run(Path.GetFileName(file)).Events.Select(e => e.Event.Type));
        }

        seen.Add(Decider.Decide(new CompleteStep(At(2026, 3, 4, 9), Sxd, "appraise", "rejected"), Received(), Ctx).Events[1].Type);
        seen.ShouldBe(DossierEventSerializer.TypeNames, ignoreOrder: true);
    }
}
