using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Dossiers.Scenarios;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.Dossiers.Tests.Support;
using static ProcedureEngine.Dossiers.Tests.Support.Samples;

namespace ProcedureEngine.Dossiers.Tests;

/// <summary>
/// A new calendar version while dossiers are open (scenario action calendar-change): what was left of each window
/// is counted again on the new calendar; the appointment is never earlier, and moves off a day off.
/// The sample permit (1.009792): 15 working days; appraise 8 working days, sign 2, return 4 hours.
/// </summary>
public sealed class CalendarChangeTests
{
    private const string Dossier = """
        definition: permit.yaml
        dossier:
          applicant: { name: Nguyễn Văn An, kind: individual, phone: "0912345678" }
          inputs: { works.grade: III, works.fireRisk: false, applicant.kind: individual }
          documents: [don-de-nghi, giay-to-dat, ban-ve-thiet-ke]
        actions:

        """;

    private static ScenarioRun Run(string actions, IReadOnlyDictionary<string, WorkingCalendar>? files = null)
    {
        var parsed = ScenarioParser.Parse(Dossier + actions, "calendar-change.yaml");
        parsed.HasErrors.ShouldBeFalse(string.Join(Environment.NewLine, parsed.Diagnostics));
        var scenario = parsed.Value!;
        var run = ScenarioRunner.Run(scenario, ScenarioRunner.CreateContext(scenario, Permit, Samples.Calendar), "d-1", files);
        run.Rejected.ShouldBeEmpty();
        return run;
    }

    private static DateTimeOffset? Due(DossierState s, string step) => s.FindStep(step)!.DueAt;

    [Fact]
    public void A_day_off_declared_while_the_dossier_is_open_moves_its_step_due_and_appointment_by_one_working_day()
    {
        var run = Run("""
              - { at: 2026-11-09T09:00, do: receive }
              - { at: 2026-11-12T10:00, do: calendar-change, daysOff: [2026-11-17], reason: "Nghỉ theo quyết định thử", decision: "Quyết định số 1/QĐ-TTg" }
              - { at: 2026-11-19T10:00, do: tick }
            """);

        var replanned = run.Events.Select(e => e.Event).OfType<DossierReplanned>().Single();
        replanned.CalendarId.ShouldBe("vn");
        replanned.Decision.ShouldBe("Quyết định số 1/QĐ-TTg");
        replanned.ChangedDays.ShouldBe([new DateOnly(2026, 11, 17)]);
        replanned.PreviousAppointmentAt.ShouldBe(At(2026, 11, 30, 9));
        replanned.AppointmentAt.ShouldBe(At(2026, 12, 1, 9));
        replanned.PreviousStepDues.ShouldBe([new StepDue("appraise", At(2026, 11, 19, 9))]);
        replanned.StepDues.ShouldBe([new StepDue("appraise", At(2026, 11, 20, 9))]);
        replanned.Reason.ShouldContain("17/11/2026");
        replanned.Reason.ShouldContain(RuleSets.Nd118.CalendarChange.LegalReasoning);

        run.State.AppointmentAt.ShouldBe(At(2026, 12, 1, 9));
        Due(run.State, "appraise").ShouldBe(At(2026, 11, 20, 9));

        // The applicant is told: a notice among the dossier's letters, with the new appointment.
        var notice = run.State.Letters.Single(l => l.Kind == FormKind.AppointmentNotice);
        notice.NewAppointmentAt.ShouldBe(At(2026, 12, 1, 9));

        // The timers use the new due at once: on 19/11 10:00 (past the old due) the step is not overdue.
        run.Events.Select(e => e.Event).OfType<StepOverdue>().ShouldBeEmpty();

        // A replay shows the dossier before and after the change.
        var before = Decider.Fold(run.Events.TakeWhile(e => e.Event is not DossierReplanned).Select(e => e.Event));
        before.AppointmentAt.ShouldBe(At(2026, 11, 30, 9));
        Due(before, "appraise").ShouldBe(At(2026, 11, 19, 9));
    }

    [Fact]
    public void A_swap_moves_a_step_due_earlier_onto_the_worked_Saturday_and_the_appointment_later_off_the_new_day_off()
    {
        // Received Friday 6/11: appointment Friday 27/11 09:00. Appraise done 19/11 10:00: sign due Monday 23/11 10:00.
        // The swap: Saturday 21/11 worked for Friday 27/11 off, published on 19/11 at 17:30.
        var run = Run("""
              - { at: 2026-11-06T09:00, do: receive }
              - { at: 2026-11-19T10:00, do: complete, step: appraise, outcome: approved }
              - { at: 2026-11-19T17:30, do: calendar-change, daysOff: [2026-11-27], workingDays: [2026-11-21], reason: "Nghỉ hoán đổi (làm bù thứ Bảy 21/11)" }
            """);

        var replanned = run.Events.Select(e => e.Event).OfType<DossierReplanned>().Single();
        replanned.ChangedDays.ShouldBe([new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 27)]);

        // The step keeps what was left (a full day and 2.5 hours): it now ends on the worked Saturday.
        replanned.StepDues.ShouldBe([new StepDue("sign", At(2026, 11, 21, 10))]);

        // Counting alone would give Thursday 26/11 09:00 for the appointment: never earlier, so 27/11 09:00 stays; but 27/11
        // is now a day off, so it moves to the next working instant, Monday 30/11 07:30.
        replanned.PreviousAppointmentAt.ShouldBe(At(2026, 11, 27, 9));
        replanned.AppointmentAt.ShouldBe(At(2026, 11, 30, 7, 30));
        run.State.AppointmentAt.ShouldBe(At(2026, 11, 30, 7, 30));
    }

    [Fact]
    public void A_change_that_touches_no_open_window_appends_nothing()
    {
        var run = Run("""
              - { at: 2026-11-09T09:00, do: receive }
              - { at: 2026-11-12T10:00, do: calendar-change, daysOff: [2026-12-24, 2026-11-10] }
            """);
        run.Events.Select(e => e.Event).OfType<DossierReplanned>().ShouldBeEmpty();
        run.Actions[1].Events.ShouldBeEmpty();
        run.State.AppointmentAt.ShouldBe(At(2026, 11, 30, 9));
    }

    [Fact]
    public void A_finished_dossier_is_never_re_planned()
    {
        var run = Run("""
              - { at: 2026-11-09T09:00, do: receive }
              - { at: 2026-11-10T09:00, do: withdraw, reason: "Không có nhu cầu" }
              - { at: 2026-11-12T10:00, do: calendar-change, daysOff: [2026-11-17] }
            """);
        run.Actions[2].Events.ShouldBeEmpty();
        run.State.Status.ShouldBe(DossierStatus.Withdrawn);
    }

    [Fact]
    public void A_new_statutory_rule_from_a_date_re_plans_only_the_windows_from_that_date()
    {
        var text = File.ReadAllText(Path.Combine(Root, "samples", "calendars", "vn-pinned.yaml"));
        var withRule = WorkingCalendar.Load(text + """

            holidays:
              - { id: tet-duong-lich, name: "Tết Dương lịch", solar: 01-01, label: "Tết Dương lịch", law: "BLLĐ 2019 Điều 112" }
              - { id: tet-nguyen-dan, name: "Tết Nguyên đán", lunar: 01-01, before: 1, days: 4, law: "BLLĐ 2019 Điều 112" }
              - { id: gio-to-hung-vuong, name: "Giỗ Tổ Hùng Vương", lunar: 03-10, law: "BLLĐ 2019 Điều 112" }
              - { id: giai-phong-mien-nam, name: "Ngày Giải phóng miền Nam, thống nhất đất nước", solar: 04-30, law: "BLLĐ 2019 Điều 112" }
              - { id: quoc-te-lao-dong, name: "Ngày Quốc tế Lao động", solar: 05-01, law: "BLLĐ 2019 Điều 112" }
              - { id: quoc-khanh, name: "Quốc khánh", solar: 09-02, adjacentDay: true, law: "BLLĐ 2019 Điều 112" }
              - { id: van-hoa-viet-nam, name: "Ngày Văn hóa Việt Nam", solar: 11-24, from: 2027-01-01, law: "BLLĐ (sửa đổi) Điều 112" }
            """, "vn-24-11.yaml");
        var files = new Dictionary<string, WorkingCalendar> { ["vn-24-11.yaml"] = withRule };

        // 24/11/2026 is before the rule's from date: nothing to re-plan.
        var in2026 = Run("""
              - { at: 2026-11-09T09:00, do: receive }
              - { at: 2026-11-12T10:00, do: calendar-change, calendar: vn-24-11.yaml }
            """, files);
        in2026.Events.Select(e => e.Event).OfType<DossierReplanned>().ShouldBeEmpty();

        // 24/11/2027 (a Wednesday) is a holiday: the appointment of a dossier open across it moves by a day.
        var in2027 = Run("""
              - { at: 2027-11-15T09:00, do: receive }
              - { at: 2027-11-16T10:00, do: calendar-change, calendar: vn-24-11.yaml }
            """, files);
        var replanned = in2027.Events.Select(e => e.Event).OfType<DossierReplanned>().Single();
        replanned.ChangedDays.ShouldBe([new DateOnly(2027, 11, 24)]);
        (replanned.AppointmentAt - replanned.PreviousAppointmentAt).ShouldBe(TimeSpan.FromDays(1));
    }

    [Fact]
    public void A_dossier_waiting_for_a_supplement_is_re_planned_from_the_stop_so_the_resumed_clock_keeps_what_was_left()
    {
        var run = Run("""
              - { at: 2026-11-09T09:00, do: receive }
              - { at: 2026-11-10T09:00, do: request-supplement, step: appraise, documents: [giay-to-dat], reason: "Bản sao chưa chứng thực" }
              - { at: 2026-11-12T10:00, do: calendar-change, daysOff: [2026-11-17] }
            """);
        var replanned = run.Events.Select(e => e.Event).OfType<DossierReplanned>().Single();
        replanned.StepDues.ShouldBe([new StepDue("appraise", At(2026, 11, 20, 9))]);
        replanned.AppointmentAt.ShouldBe(At(2026, 12, 1, 9));
    }

    [Fact]
    public void The_re_plan_event_round_trips_through_the_store_serializer()
    {
        var run = Run("""
              - { at: 2026-11-09T09:00, do: receive }
              - { at: 2026-11-12T10:00, do: calendar-change, daysOff: [2026-11-17] }
            """);
        var replanned = run.Events.Select(e => e.Event).OfType<DossierReplanned>().Single();
        var (type, json) = Serialization.DossierEventSerializer.Default.Serialize(replanned);
        type.ShouldBe("DossierReplanned");
        var back = (DossierReplanned)Serialization.DossierEventSerializer.Default.Deserialize(type, json);
        back.ChangedDays.ShouldBe(replanned.ChangedDays);
        back.StepDues.ShouldBe(replanned.StepDues);
        back.AppointmentAt.ShouldBe(replanned.AppointmentAt);
    }
}
