using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.Dossiers.Tests.Support;
using ProcedureEngine.Letters.Composition;
using ProcedureEngine.Letters.Model;
using ProcedureEngine.Letters.Rendering;
using static ProcedureEngine.Dossiers.Tests.Support.Samples;

namespace ProcedureEngine.Dossiers.Tests;

/// <summary>
/// A third, made-up decree defined here in test code only: registered, it governs dossiers received from its own date,
/// closes an unanswered supplement request after 10 working days, and its letters print its own form numbers, titles,
/// circular and (where it brings one) template. No engine file knows it.
/// </summary>
public sealed class RegisteredRuleSetTests
{
    private const string Id = "nd-thu-nghiem-2031";
    private static readonly Actor OneStop = new("cb-motcua-01", "one-stop");
    private static readonly Actor Sxd = new("sxd-01", "so-xay-dung");
    private static readonly ImmutableArray<string> AllDocs = ["don-de-nghi", "giay-to-dat", "ban-ve-thiet-ke"];
    private static readonly ImmutableDictionary<string, string> Inputs =
        ImmutableDictionary<string, string>.Empty.Add("works.grade", "III").Add("works.fireRisk", "false");

    /// <summary>The made-up decree: in force for dossiers received from 1/1/2031, its forms numbered "TN-..".</summary>
    private static RuleSet MadeUp() => new()
    {
        Id = Id,
        Title = "Nghị định thử nghiệm 2031 (giả định, chỉ dùng trong kiểm thử)",
        LegalBasis = ["Nghị định thử nghiệm số 999/2030/NĐ-CP (giả định)"],
        Circular = "Thông tư thử nghiệm số 99/2030/TT-VPCP",
        InForceFrom = new DateOnly(2031, 1, 1),
        Forms = RuleSet.FormTable(
            new(FormKind.Receipt, "TN-01", "Giấy biên nhận hồ sơ thử nghiệm"),
            new(FormKind.SupplementRequest, "TN-02", "Phiếu đề nghị bổ sung hồ sơ thử nghiệm"),
            new(FormKind.StopNotice, "TN-05", "Thông báo kết thúc xử lý hồ sơ thử nghiệm"),
            new(FormKind.ControlSlip, "TN-06", "Phiếu theo dõi hồ sơ thử nghiệm")),
        SupplementMode = new(SupplementMode.Pause, "Điều 9 khoản 2 Nghị định thử nghiệm (giả định)"),
        SupplementClosingAfter = new(Duration.WorkingDays(10), "Điều 9 khoản 3 Nghị định thử nghiệm (giả định): 10 ngày làm việc"),
        ApologyLeadTime = new(Duration.WorkingDays(2), "Điều 12 Nghị định thử nghiệm (giả định)"),
        OnlineAcceptanceLimit = new(Duration.WorkingHours(4), "Điều 7 Nghị định thử nghiệm (giả định)"),
        ApologyBoundBasis = "Điều 12 Nghị định thử nghiệm (giả định)",

        // Its own wording of the stop notice; every other form uses the built-in template.
        LetterTemplates = ImmutableDictionary<string, string>.Empty.Add(
            "withdrawal-notice",
            "{{> head}}{{> heading}}{{> code}}<p>Theo Nghị định thử nghiệm, hồ sơ của {{Applicant.Name}} kết thúc xử lý từ {{StoppedAt}}.</p><p>Lý do: {{Reason}}.</p>{{> foot}}"),
    };

    private static DossierContext Context() => new(Permit, Samples.Calendar);

    private static DossierState Apply(DossierState state, DossierCommand command, List<DossierEvent> events)
    {
        var d = Decider.Decide(command, state, Context());
        d.Rejection.ShouldBeNull(d.Rejection?.MessageEn);
        events.AddRange(d.Events);
        return d.State;
    }

    [Fact]
    public void A_registered_third_rule_set_governs_its_dossiers_closes_the_supplement_after_10_working_days_and_prints_its_own_forms()
    {
        using var registration = RuleSets.Register(MadeUp());
        var events = new List<DossierEvent>();

        // Receipt on Monday 3 March 2031: the registry picks the made-up rule set by date (no rule set forced).
        var state = Apply(DossierState.Initial, new ReceiveDossier(At(2031, 3, 3, 9), OneStop, "d-2031", new Applicant("Nguyễn Văn A"), Inputs, AllDocs), events);
        state.RuleSet.ShouldBe(Id);

        // Supplement request on Tuesday 4 March: closes 10 working days later (18 March), not 15 calendar days (19 March).
        var requestedAt = At(2031, 3, 4, 9);
        state = Apply(state, new RequestSupplement(requestedAt, Sxd, "appraise", ["ban-ve-thiet-ke"], "Bản vẽ thiếu mặt cắt"), events);
        var request = events.OfType<SupplementRequested>().Single();
        request.Mode.ShouldBe(SupplementMode.Pause);
        request.ClosesAt.ShouldBe(Samples.Calendar.Add(requestedAt, Duration.WorkingDays(10)));
        request.ClosesAt.ShouldBe(At(2031, 3, 18, 9));

        // No supplement comes: still open the instant before, closed at the deadline.
        Decider.Tick(state, request.ClosesAt.AddMinutes(-1), Context()).Events.ShouldBeEmpty();
        var tick = Decider.Tick(state, request.ClosesAt, Context());
        var closed = tick.Events.OfType<DossierClosed>().Single();
        closed.Reason.ShouldContain("Quá thời hạn 10 ngày làm việc kể từ khi yêu cầu bổ sung", Case.Sensitive);
        events.AddRange(tick.Events);
        state = tick.State;
        state.Status.ShouldBe(DossierStatus.Closed);

        // The dossier's letter list carries the made-up numbers and titles.
        state.Letters.Select(l => (l.Form, l.Kind, l.Title)).ShouldBe(
        [
            ("TN-01", FormKind.Receipt, "Giấy biên nhận hồ sơ thử nghiệm"),
            ("TN-02", FormKind.SupplementRequest, "Phiếu đề nghị bổ sung hồ sơ thử nghiệm"),
            ("TN-05", FormKind.StopNotice, "Thông báo kết thúc xử lý hồ sơ thử nghiệm"),
        ]);

        // The printed letters (HTML, text, PDF) show the same, composed from the events alone.
        var letters = DossierLetters.All(events, new LetterOptions { Place = "Bắc Ninh", Calendar = Samples.Calendar });
        letters.Select(l => l.Letter.Kind).ShouldBe([FormKind.Receipt, FormKind.SupplementRequest, FormKind.StopNotice]);
        var receipt = LetterRenderer.Default.RenderText(letters[0].Letter);
        receipt.ShouldContain("Mẫu số TN-01 – Thông tư thử nghiệm số 99/2030/TT-VPCP", Case.Sensitive);
        receipt.ShouldContain("GIẤY BIÊN NHẬN HỒ SƠ THỬ NGHIỆM", Case.Sensitive);
        LetterRenderer.Default.RenderHtml(letters[0].Letter).ShouldContain("data-form=\"TN-01\" data-rule-set=\"nd-thu-nghiem-2031\"", Case.Sensitive);

        // The built-in supplement template, worded by the rule set's rule (the clock pauses), with its title and number.
        var supplement = LetterRenderer.Default.RenderText(letters[1].Letter);
        supplement.ShouldContain("PHIẾU ĐỀ NGHỊ BỔ SUNG HỒ SƠ THỬ NGHIỆM", Case.Sensitive);
        supplement.ShouldContain("Mẫu số TN-02 – Thông tư thử nghiệm số 99/2030/TT-VPCP", Case.Sensitive);
        supplement.ShouldContain("không tính vào thời hạn giải quyết", Case.Sensitive);
        supplement.ShouldContain("Quá thời hạn ngày 18 tháng 3 năm 2031", Case.Sensitive);

        // The stop notice in the rule set's own template.
        var stop = LetterRenderer.Default.RenderText(letters[2].Letter);
        stop.ShouldContain("THÔNG BÁO KẾT THÚC XỬ LÝ HỒ SƠ THỬ NGHIỆM", Case.Sensitive);
        stop.ShouldContain("Theo Nghị định thử nghiệm, hồ sơ của Nguyễn Văn A kết thúc xử lý từ 09 giờ 00 phút, ngày 18 tháng 3 năm 2031.", Case.Sensitive);
        PdfTitle(LetterRenderer.Default.RenderPdf(letters[2].Letter)).ShouldBe("Thông báo kết thúc xử lý hồ sơ thử nghiệm – 000.00.07.H13-310303-0001");

        var slip = DossierLetters.ControlSlip(events, new LetterOptions { Calendar = Samples.Calendar })!;
        LetterRenderer.Default.RenderText(slip).ShouldContain("Mẫu số TN-06 – Thông tư thử nghiệm số 99/2030/TT-VPCP", Case.Sensitive);
    }

    [Fact]
    public void Without_the_registration_the_same_dossier_runs_under_nd118_and_its_letters_cannot_name_the_unknown_rule_set()
    {
        var events = new List<DossierEvent>();
        LetterData receipt;
        using (RuleSets.Register(MadeUp()))
        {
            RuleSets.Find(Id).ShouldNotBeNull();
            RuleSets.ForReceipt(new DateOnly(2031, 3, 3)).Id.ShouldBe(Id);
            Apply(DossierState.Initial, new ReceiveDossier(At(2031, 3, 3, 9), OneStop, "d-2031", new Applicant("Nguyễn Văn A"), Inputs, AllDocs), events);
            receipt = DossierLetters.ForEvent(events, 1)!;
            LetterRenderer.Default.RenderText(receipt).ShouldContain("Mẫu số TN-01", Case.Sensitive);
        }

        // Gone once disposed: the built-in rule sets are untouched.
        RuleSets.Find(Id).ShouldBeNull();
        RuleSets.All.Select(r => r.Id).ShouldBe([RuleSets.Nd61Id, RuleSets.Nd118Id]);
        RuleSets.ForReceipt(new DateOnly(2031, 3, 3)).ShouldBeSameAs(RuleSets.Nd118);
        var again = Decider.Decide(new ReceiveDossier(At(2031, 3, 3, 9), OneStop, "d-2031", new Applicant("Nguyễn Văn A"), Inputs, AllDocs), DossierState.Initial, Context());
        again.State.RuleSet.ShouldBe(RuleSets.Nd118Id);
        again.State.Letters.Single().Form.ShouldBe("01");

        // The dossier received under the made-up rule set can't be printed once its rule set is unknown: a clear error, not a wrong form.
        Should.Throw<ArgumentException>(() => LetterRenderer.Default.RenderText(receipt))
            .Message.ShouldContain($"unknown rule set '{Id}'; expected nd61-2018 or nd118-2025");
    }

    [Fact]
    public async Task A_registration_is_seen_only_by_the_flow_that_made_it()
    {
        using var registration = RuleSets.Register(MadeUp());

        RuleSets.Find(Id).ShouldNotBeNull();
        (await Task.Run(() => RuleSets.Find(Id))).ShouldNotBeNull(); // work started from this flow inherits it
        Task<RuleSet?> elsewhere;
        using (ExecutionContext.SuppressFlow())
        {
            elsewhere = Task.Run(() => RuleSets.Find(Id)); // as another test's or request's flow would: without it
        }

        (await elsewhere).ShouldBeNull();
    }

    [Fact]
    public void A_rule_set_with_a_taken_or_malformed_id_or_reversed_dates_is_refused()
    {
        Should.Throw<ArgumentException>(() => RuleSets.Register(MadeUp() with { Id = RuleSets.Nd118Id })).Message.ShouldContain("already known");
        Should.Throw<ArgumentException>(() => RuleSets.Register(MadeUp() with { Id = "Nd 2031" })).Message.ShouldContain("lower-case letters, digits and dashes");
        Should.Throw<ArgumentException>(() => RuleSets.Register(MadeUp() with { InForceUntil = new DateOnly(2030, 12, 31) })).Message.ShouldContain("ends (2030-12-31) before it starts (2031-01-01)");
        RuleSets.Find(Id).ShouldBeNull();
    }

    private static string PdfTitle(byte[] pdf)
    {
        using var stream = new MemoryStream(pdf);
        using var document = PdfSharp.Pdf.IO.PdfReader.Open(stream, PdfSharp.Pdf.IO.PdfDocumentOpenMode.Import);
        return document.Info.Title;
    }
}
