using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.Dossiers.Tests.Support;
using static ProcedureEngine.Dossiers.Tests.Support.Samples;

namespace ProcedureEngine.Dossiers.Tests;

/// <summary>Every sample scenario runs, and the dates a citizen or officer would see are the legal ones.</summary>
public class SampleScenarioTests
{
    [Fact]
    public void On_time_dossier_gets_code_appointment_15_working_days_later_and_is_returned_on_time()
    {
        var run = Run("01-on-time.yaml");
        var s = run.State;

        s.Code.ShouldBe("000.00.07.H13-260302-0001");
        s.RuleSet.ShouldBe("nd118-2025");
        s.AppointmentAt.ShouldBe(At(2026, 3, 23, 9));
        s.FindStep("receive")!.DueAt.ShouldBe(At(2026, 3, 2, 15)); // 4 working hours across the lunch break
        s.FindStep("appraise")!.DueAt.ShouldBe(At(2026, 3, 12, 9));
        s.FindStep("consult-fire")!.Status.ShouldBe(StepStatus.Skipped);
        s.FindStep("sign")!.DueAt.ShouldBe(At(2026, 3, 11, 10));
        s.Status.ShouldBe(DossierStatus.Returned);
        run.Events.Select(e => e.Event).OfType<ResultReturned>().Single().OnTime.ShouldBeTrue();
        s.Score.ShouldBe(5);
        s.Letters.Select(l => l.Form).ShouldBe(["01"]);
        run.Rejected.ShouldBeEmpty();
    }

    [Fact]
    public void Supplement_under_nd118_restarts_the_time_limit_and_refuses_an_undeclared_document()
    {
        var run = Run("02-supplement-then-on-time.yaml");

        var rejected = run.Rejected.Single();
        rejected.Rejection!.Code.ShouldBe(RejectionCodes.UndeclaredDocument);
        rejected.Rejection.Message.ShouldContain("giay-xac-nhan-cu-tru");
        var request = run.Events.Select(e => e.Event).OfType<SupplementRequested>().Single();
        request.Mode.ShouldBe(SupplementMode.Restart);
        request.ClosesAt.ShouldBe(At(2026, 3, 19, 17)); // 15 days from the day after the request
        var provided = run.Events.Select(e => e.Event).OfType<SupplementProvided>().Single();
        provided.AppointmentAt.ShouldBe(At(2026, 3, 30, 14)); // 15 working days again from 09/03 14:00
        provided.StepDues.Single().ShouldBe(new StepDue("appraise", At(2026, 3, 19, 14)));
        run.State.OriginalAppointmentAt.ShouldBe(At(2026, 3, 23, 9));
        run.State.Status.ShouldBe(DossierStatus.Returned);
        run.State.Letters.Select(l => l.Form).ShouldBe(["01", "02"]);
    }

    [Fact]
    public void Parallel_consultation_waits_for_every_branch_before_appraisal()
    {
        var run = Run("03-parallel-consultation.yaml");
        var s = run.State;

        s.AppointmentAt.ShouldBe(At(2026, 3, 30, 8));
        s.FindStep("consult-traffic")!.Status.ShouldBe(StepStatus.Skipped);
        s.FindStep("consult-fire")!.DueAt.ShouldBe(At(2026, 3, 10, 10));
        s.FindStep("consult-env")!.DueAt.ShouldBe(At(2026, 3, 10, 10));
        s.FindStep("consult-power")!.DueAt.ShouldBe(At(2026, 3, 6, 10));
        s.FindStep("appraise")!.StartedAt.ShouldBe(At(2026, 3, 10, 11)); // when the last opinion came in
        s.FindStep("appraise")!.DueAt.ShouldBe(At(2026, 3, 17, 11));
        run.Rejected.Select(r => r.Rejection!.Code).ShouldBe([RejectionCodes.StepNotActive, RejectionCodes.WrongAgency]);
        s.Status.ShouldBe(DossierStatus.Returned);
        s.Steps.Count(st => st.Status == StepStatus.Done).ShouldBe(11);
    }

    [Fact]
    public void Late_dossier_gets_one_apology_naming_the_late_agency_and_a_new_appointment()
    {
        var run = Run("04-late-with-apology.yaml");
        var events = run.Events.Select(e => e.Event).ToList();

        events.OfType<DeadlineWarning>().First().ShouldBe(new DeadlineWarning(At(2026, 3, 11, 10), "appraise", "so-xay-dung", At(2026, 3, 12, 9)));
        events.OfType<StepOverdue>().Single().At.ShouldBe(At(2026, 3, 12, 10));
        var apology = events.OfType<ApologyIssued>().Single();
        apology.At.ShouldBe(At(2026, 3, 20, 10)); // last working day before the appointment of Monday 23/03 09:00
        apology.AgencyAtFault.ShouldBe("so-xay-dung");
        apology.Automatic.ShouldBeTrue();
        apology.PreviousAppointmentAt.ShouldBe(At(2026, 3, 23, 9));
        apology.Reason.ShouldContain("Thẩm định hồ sơ");
        // the overdue appraisal counts in full again (8) + signature (2) + return (0.5) working days
        apology.NewAppointmentAt.ShouldBe(At(2026, 4, 3, 16));
        run.Rejected.Select(r => r.Rejection!.Code).ShouldBe([RejectionCodes.SecondApology, RejectionCodes.DossierFinished]);
        run.State.Letters.Single(l => l.Form == "04").NewAppointmentAt.ShouldBe(At(2026, 4, 3, 16));
        run.State.Overdue.ShouldBeFalse();
        events.OfType<ResultReturned>().Single().OnTime.ShouldBeTrue();
    }

    [Fact]
    public void Incomplete_dossier_gets_guidance_listing_all_missing_papers_then_a_refusal_ends_it()
    {
        var run = Run("05-refused-at-receipt.yaml");
        var guidance = run.Events.Select(e => e.Event).OfType<ReceiptGuidanceIssued>().Single();

        guidance.Missing.Select(d => d.Id).ShouldBe(["giay-to-dat", "ban-ve-thiet-ke", "van-ban-tham-duyet-pccc"]);
        run.State.Status.ShouldBe(DossierStatus.Refused);
        run.State.Code.ShouldBeNull();
        run.State.Letters.Select(l => l.Form).ShouldBe(["02", "03"]);
        run.Rejected.Single().Rejection!.Code.ShouldBe(RejectionCodes.DossierFinished);
    }

    [Fact]
    public void Withdrawn_dossier_gets_the_stop_notice_and_accepts_no_further_step()
    {
        var run = Run("06-withdrawn.yaml");

        run.State.Status.ShouldBe(DossierStatus.Withdrawn);
        run.State.Letters.Select(l => (l.Form, l.Kind)).ShouldBe([("01", Rules.FormKind.Receipt), ("05", Rules.FormKind.StopNotice)]);
        run.Rejected.Single().Rejection!.Code.ShouldBe(RejectionCodes.DossierFinished);
    }

    [Fact]
    public void Dossier_received_in_2024_runs_under_nd61_and_its_clock_pauses_during_the_supplement()
    {
        var run = Run("07-nd61-pause-2024.yaml");
        var provided = run.Events.Select(e => e.Event).OfType<SupplementProvided>().Single();

        run.State.RuleSet.ShouldBe("nd61-2018");
        run.State.Code.ShouldBe("000.00.07.H13-240506-0001");
        run.State.OriginalAppointmentAt.ShouldBe(At(2024, 5, 27, 9));
        // 13 working days were left at the request (08/05 09:00); they resume on 13/05 09:00
        provided.AppointmentAt.ShouldBe(At(2024, 5, 30, 9));
        provided.StepDues.Single().ShouldBe(new StepDue("appraise", At(2024, 5, 21, 9)));
        run.Events.Select(e => e.Event).OfType<SupplementRequested>().Single().Mode.ShouldBe(SupplementMode.Pause);
        run.State.Letters.Select(l => l.Title).ShouldContain("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ");
        run.State.Status.ShouldBe(DossierStatus.Returned);
    }

    [Fact]
    public void Missing_the_reset_appointment_is_flagged_as_a_breach()
    {
        var run = Run("08-missed-twice.yaml");
        var overdue = run.Events.Select(e => e.Event).OfType<DossierOverdue>().ToList();

        overdue.Select(o => (o.AppointmentAt, o.Breach)).ShouldBe([(At(2026, 3, 23, 9), false), (At(2026, 3, 27, 16), true)]);
        run.State.Overdue.ShouldBeTrue();
        run.State.MissedAppointments.ShouldBe(2);
        run.Events.Select(e => e.Event).OfType<StepOverdue>().Single().StepId.ShouldBe("appraise");
    }

    [Fact]
    public void Dossier_is_closed_15_days_after_an_unanswered_supplement_request()
    {
        var run = Run("09-supplement-never-came.yaml");
        var closed = run.Events.Select(e => e.Event).OfType<DossierClosed>().Single();

        closed.At.ShouldBe(At(2026, 3, 19, 9));
        closed.ClosesAt.ShouldBe(At(2026, 3, 18, 17));
        run.State.Status.ShouldBe(DossierStatus.Closed);
        run.Rejected.Single().Rejection!.Code.ShouldBe(RejectionCodes.DossierFinished);
    }

    [Fact]
    public void Online_dossier_not_accepted_within_8_working_hours_is_flagged()
    {
        var run = Run("10-online-late-acceptance.yaml");
        var submitted = run.Events.Select(e => e.Event).OfType<DossierSubmitted>().Single();

        submitted.AcceptBy.ShouldBe(At(2026, 3, 9, 16, 30)); // Friday 16:00 + 1 h + 7 h on Monday
        run.Events.Select(e => e.Event).OfType<AcceptanceOverdue>().Single().At.ShouldBe(At(2026, 3, 9, 17));
        run.State.Channel.ShouldBe(Channel.Online);
        run.State.Code.ShouldBe("000.00.07.H13-260310-0001");
        run.State.AppointmentAt.ShouldBe(At(2026, 3, 31, 8));
    }

    [Fact]
    public void A_day_off_declared_mid_run_re_plans_the_open_step_and_the_appointment()
    {
        var run = Run("11-calendar-change.yaml");
        run.Rejected.ShouldBeEmpty();
        var replanned = run.Events.Select(e => e.Event).OfType<DossierReplanned>().Single();
        replanned.ChangedDays.ShouldBe([new DateOnly(2026, 11, 24)]);
        replanned.StepDues.ShouldBe([new StepDue("appraise", At(2026, 11, 27, 9))]);
        replanned.PreviousAppointmentAt.ShouldBe(At(2026, 12, 7, 9));
        replanned.AppointmentAt.ShouldBe(At(2026, 12, 8, 9));
        run.Events.Select(e => e.Event).OfType<StepOverdue>().ShouldBeEmpty();
        run.Events.Select(e => e.Event).OfType<StepCompleted>().Single(c => c.StepId == "appraise").DueAt.ShouldBe(At(2026, 11, 27, 9));
        run.State.Letters.Select(l => l.Kind).ShouldContain(Rules.FormKind.AppointmentNotice);
    }

    [Fact]
    public void Every_sample_replays_to_the_same_state()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(SamplesDir, "scenarios"), "*.yaml"))
        {
            var run = Run(Path.GetFileName(file));
            StateJson.Of(Decider.Fold(run.Events.Select(e => e.Event))).ShouldBe(StateJson.Of(run.State), file);
        }
    }
}
