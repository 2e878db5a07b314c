using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Composition;
using ProcedureEngine.Letters.Model;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Tests;

/// <summary>Letters composed from a dossier's events: a construction permit with a fire-safety consultation (liên thông).</summary>
public sealed class DossierLettersTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly Actor Counter = new("cb-motcua-01", "one-stop");
    private static readonly Actor Appraiser = new("sxd-01", "so-xay-dung");
    private static readonly Actor Fire = new("pc07-01", "pc07");
    private static readonly LetterOptions Options = new()
    {
        PublicBaseUrl = "https://dichvucong.bacninh.gov.vn",
        Place = "Bắc Ninh",
        ParentAgencyName = "UBND tỉnh Bắc Ninh",
        Calendar = WorkingCalendar.Vietnam(),
        OfficerName = user => user == "cb-motcua-01" ? "Trần Thị B" : null,
    };

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Vn);

    private static DossierReceived Received(string ruleSet = "nd118-2025") => new(
        At(4, 24, 9),
        "d-1",
        "000.00.07.H13-260424-0001",
        "1.009792",
        3,
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        ruleSet,
        null,
        Channel.Counter,
        Counter,
        "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh",
        new Applicant("Nguyễn Văn A") { Phone = "0912 345 678", Address = "Số 12 đường Lý Thái Tổ" },
        ImmutableDictionary<string, string>.Empty,
        [
            new DocumentEntry("don-de-nghi", "Đơn đề nghị cấp giấy phép xây dựng", 1, true),
            new DocumentEntry("ban-ve", "Bản vẽ thiết kế xây dựng", 2, false),
        ],
        "15 working days",
        At(4, 24, 9),
        At(5, 15, 9),
        [
            new PlannedStep("receive", "Tiếp nhận, kiểm tra hồ sơ", "one-stop", "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh", []),
            new PlannedStep("appraise", "Thẩm định hồ sơ", "so-xay-dung", "Sở Xây dựng", ["receive"]),
            new PlannedStep("consult-fire", "Lấy ý kiến cơ quan PCCC", "pc07", "Phòng Cảnh sát PCCC và CNCH - Công an tỉnh", ["receive"]),
            new PlannedStep("return", "Trả kết quả", "one-stop", "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh", ["appraise", "consult-fire"]) { IsReturn = true },
        ]);

    private static List<DossierEvent> LateDossierWithApology(string ruleSet = "nd118-2025") =>
    [
        Received(ruleSet),
        new StepStarted(At(4, 24, 9), "receive", "one-stop", At(4, 24, 13, 30)),
        new StepCompleted(At(4, 24, 10), Counter, "receive", "done", At(4, 24, 13, 30), null),
        new StepStarted(At(4, 24, 10), "appraise", "so-xay-dung", At(5, 7, 10)),
        new StepStarted(At(4, 24, 10), "consult-fire", "pc07", At(5, 4, 10)),
        new StepCompleted(At(4, 28, 10), Fire, "consult-fire", "done", At(5, 4, 10), "Đủ điều kiện PCCC"),
        new StepOverdue(At(5, 7, 10), "appraise", "so-xay-dung", At(5, 7, 10)),
        new ApologyIssued(At(5, 14, 8), Appraiser, "so-xay-dung", "Sở Xây dựng", "appraise", "Hồ sơ phức tạp, cần kiểm tra thực địa", At(5, 15, 9), At(5, 22, 9), false),
        new StepCompleted(At(5, 20, 15), Appraiser, "appraise", "approved", At(5, 7, 10), null),
        new StepStarted(At(5, 20, 15), "return", "one-stop", At(5, 21, 8)),
        new ResultReady(At(5, 20, 15), "approved"),
        new ResultReturned(At(5, 21, 9), Counter, At(5, 22, 9), true),
    ];

    [Fact]
    public void Receipt_is_composed_from_the_received_event_with_its_code_documents_and_appointment()
    {
        var letter = DossierLetters.ForEvent(LateDossierWithApology(), 1, Options).ShouldBeOfType<ReceiptLetter>();

        letter.DossierCode.ShouldBe("000.00.07.H13-260424-0001");
        letter.TrackingUrl.ShouldBe("https://dichvucong.bacninh.gov.vn/track/000.00.07.H13-260424-0001");
        letter.TimeLimit.ShouldBe(Duration.WorkingDays(15));
        letter.ReceivingOfficer!.Name.ShouldBe("Trần Thị B");

        var text = LetterRenderer.Default.RenderText(letter);
        text.ShouldContain("1 | Đơn đề nghị cấp giấy phép xây dựng | Bản chính | 1", Case.Sensitive);
        text.ShouldContain("2 | Bản vẽ thiết kế xây dựng | Bản sao | 2", Case.Sensitive);
        text.ShouldContain("5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 15 tháng 5 năm 2026.", Case.Sensitive);
        text.ShouldContain("UBND TỈNH BẮC NINH", Case.Sensitive);
    }

    [Fact]
    public void Every_letter_and_the_control_slip_print_the_place_the_zone_and_the_tracking_code()
    {
        var events = LateDossierWithApology();
        events.Add(new DossierRefused(At(5, 21, 10), "d-1", Counter, "Hồ sơ giả mạo", null));
        var options = Options with { UtcOffset = TimeSpan.FromHours(7) };
        var letters = DossierLetters.All(events, options).Select(l => l.Letter).ToList();
        letters.Select(l => l.Kind).ShouldBe([FormKind.Receipt, FormKind.Apology, FormKind.Refusal]);
        var slip = DossierLetters.ControlSlip(events, options).ShouldNotBeNull();

        foreach (var letter in letters.Append(slip))
        {
            letter.Place.ShouldBe("Bắc Ninh", letter.Kind.ToString());
            letter.UtcOffset.ShouldBe(TimeSpan.FromHours(7));
            letter.TrackingUrl.ShouldBe("https://dichvucong.bacninh.gov.vn/track/000.00.07.H13-260424-0001", letter.Kind.ToString());
            LetterRenderer.Default.RenderText(letter).ShouldContain("Bắc Ninh, ngày", Case.Sensitive);
        }
    }

    [Fact]
    public void Apology_is_issued_by_the_agency_at_fault_with_the_previous_and_new_appointments()
    {
        var events = LateDossierWithApology();
        var letter = DossierLetters.ForEvent(events, 8, Options).ShouldBeOfType<ApologyLetter>();

        letter.Agency.Name.ShouldBe("Sở Xây dựng");
        var text = LetterRenderer.Default.RenderText(letter);
        text.ShouldContain("SỞ XÂY DỰNG", Case.Sensitive);
        text.ShouldContain("Lý do: Hồ sơ phức tạp, cần kiểm tra thực địa.", Case.Sensitive);
        text.ShouldContain("09 giờ 00 phút, ngày 15 tháng 5 năm 2026", Case.Sensitive);
        text.ShouldContain("gia hạn thời gian giải quyết hồ sơ đến: 09 giờ 00 phút, ngày 22 tháng 5 năm 2026.", Case.Sensitive);
    }

    [Fact]
    public void Every_letter_producing_event_yields_one_letter_in_issue_order()
    {
        var letters = DossierLetters.All(LateDossierWithApology(), Options);

        letters.Select(l => (l.Seq, l.Letter.Kind)).ShouldBe([(1L, FormKind.Receipt), (8L, FormKind.Apology)]);
        DossierLetters.ForEvent(LateDossierWithApology(), 2, Options).ShouldBeNull();
    }

    [Fact]
    public void Control_slip_has_one_row_per_hand_over_classed_early_on_time_or_late()
    {
        var slip = DossierLetters.ControlSlip(LateDossierWithApology(), Options).ShouldNotBeNull();

        slip.LeadAgency.ShouldBe("Sở Xây dựng");
        slip.CoordinatingAgencies.ShouldBe(["Phòng Cảnh sát PCCC và CNCH - Công an tỉnh"]);
        slip.DueAt.ShouldBe(At(5, 22, 9));
        slip.Rows.Select(r => (r.ToAgency, r.Result)).ShouldBe(
        [
            ("Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh", (HandoverResult?)HandoverResult.OnTime),
            ("Sở Xây dựng", HandoverResult.Late),
            ("Phòng Cảnh sát PCCC và CNCH - Công an tỉnh", HandoverResult.Early),
            ("Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh", null),
            ("Nguyễn Văn A", HandoverResult.Early),
        ]);
        slip.Rows[1].FromAgency.ShouldBe("Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh");
        slip.Rows[1].GivenBy.ShouldBe("Trần Thị B");
        slip.Rows[1].ReceivedBy.ShouldBe("sxd-01");
        slip.Rows[3].FromAgency.ShouldBe("Sở Xây dựng");

        var text = LetterRenderer.Default.RenderText(slip);
        text.ShouldContain("Giao: Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh (Trần Thị B); Nhận: Sở Xây dựng (sxd-01); Thẩm định hồ sơ | 10:00 24/04/2026 | Quá hạn | Đồng ý", Case.Sensitive);
        text.ShouldContain("Mẫu số 06 – Thông tư số 03/2025/TT-VPCP", Case.Sensitive);
    }

    [Fact]
    public void Step_finished_within_its_last_working_day_is_on_time_and_a_day_ahead_is_early()
    {
        var calendar = WorkingCalendar.Vietnam();
        var due = At(5, 7, 10);

        DossierLetters.Classify(At(5, 7, 9), due, calendar).ShouldBe(HandoverResult.OnTime);
        DossierLetters.Classify(At(5, 6, 11), due, calendar).ShouldBe(HandoverResult.OnTime);
        DossierLetters.Classify(At(5, 6, 9), due, calendar).ShouldBe(HandoverResult.Early);
        DossierLetters.Classify(At(5, 7, 10, 1), due, calendar).ShouldBe(HandoverResult.Late);
    }

    [Fact]
    public void Tracking_book_row_shows_transfer_result_return_and_the_re_set_appointment()
    {
        var row = DossierLetters.TrackingBookRow(LateDossierWithApology(), Options).ShouldNotBeNull();

        row.DossierCode.ShouldBe("000.00.07.H13-260424-0001");
        row.LeadAgency.ShouldBe("Sở Xây dựng");
        row.DueAt.ShouldBe(At(5, 22, 9));
        row.TransferredAt.ShouldBe(At(4, 24, 10));
        row.ResultReceivedAt.ShouldBe(At(5, 20, 15));
        row.ReturnedAt.ShouldBe(At(5, 21, 9));
        row.Note.ShouldBe("Xin lỗi, hẹn lại 22/05/2026");
    }

    [Fact]
    public void Supplement_request_during_appraisal_lists_the_requested_documents_and_the_closing_date()
    {
        List<DossierEvent> events =
        [
            Received(),
            new SupplementRequested(At(5, 4, 8), Appraiser, "appraise", [new DocumentEntry("ban-ve", "Bản vẽ thiết kế xây dựng", 2, false)], "Bản vẽ thiếu mặt cắt", SupplementMode.Restart, At(5, 19, 17)),
        ];

        var letter = DossierLetters.ForEvent(events, 2, Options).ShouldBeOfType<SupplementRequestLetter>();
        var text = LetterRenderer.Default.RenderText(letter);

        letter.Agency.Name.ShouldBe("Sở Xây dựng");
        text.ShouldContain("1. Bản vẽ thiết kế xây dựng (Bản sao, số lượng: 2).", Case.Sensitive);
        text.ShouldContain("Lý do: Bản vẽ thiếu mặt cắt.", Case.Sensitive);
        text.ShouldContain("Quá thời hạn ngày 19 tháng 5 năm 2026", Case.Sensitive);
        text.ShouldContain("Mã hồ sơ: 000.00.07.H13-260424-0001", Case.Sensitive);
    }

    [Fact]
    public void Incomplete_dossier_at_the_counter_gets_guidance_listing_everything_missing_without_a_code()
    {
        List<DossierEvent> events =
        [
            new ReceiptGuidanceIssued(
                At(4, 24, 9),
                "d-1",
                "1.009792",
                3,
                "nd118-2025",
                Counter,
                new Applicant("Nguyễn Văn A"),
                [new DocumentEntry("ban-ve", "Bản vẽ thiết kế xây dựng", 2, false), new DocumentEntry("pccc", "Văn bản thẩm duyệt thiết kế về PCCC", 1, false)],
                [new DocumentEntry("don-de-nghi", "Đơn đề nghị cấp giấy phép xây dựng", 1, true)]),
        ];

        var text = LetterRenderer.Default.RenderText(DossierLetters.ForEvent(events, 1, Options)!);

        text.ShouldContain("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", Case.Sensitive);
        text.ShouldContain("1. Bản vẽ thiết kế xây dựng: chưa có trong hồ sơ (Bản sao, số lượng: 2).", Case.Sensitive);
        text.ShouldContain("2. Văn bản thẩm duyệt thiết kế về PCCC: chưa có trong hồ sơ (Bản sao, số lượng: 1).", Case.Sensitive);
        text.ShouldNotContain("Mã hồ sơ", Case.Sensitive);
    }

    [Fact]
    public void Withdrawal_gives_a_stop_notice_under_nd118_and_no_letter_under_nd61()
    {
        List<DossierEvent> nd118 = [Received(), new DossierWithdrawn(At(5, 6, 10), Counter, "Không còn nhu cầu xây dựng")];
        List<DossierEvent> nd61 = [Received("nd61-2018"), new DossierWithdrawn(At(5, 6, 10), Counter, null)];

        var text = LetterRenderer.Default.RenderText(DossierLetters.ForEvent(nd118, 2, Options)!);
        text.ShouldContain("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", Case.Sensitive);
        text.ShouldContain("Lý do: Người nộp hồ sơ đề nghị dừng giải quyết hồ sơ (Không còn nhu cầu xây dựng).", Case.Sensitive);
        DossierLetters.ForEvent(nd61, 2, Options).ShouldBeNull();
    }

    [Fact]
    public void Dossier_closed_for_a_missing_supplement_states_the_deadline_that_passed()
    {
        List<DossierEvent> events = [Received(), new DossierClosed(At(5, 20, 8), At(5, 4, 8), At(5, 19, 17), "supplement not provided")];

        var text = LetterRenderer.Default.RenderText(DossierLetters.ForEvent(events, 2, Options)!);

        text.ShouldContain("Lý do: Đã quá thời hạn bổ sung, hoàn thiện hồ sơ (17 giờ 00 phút, ngày 19 tháng 5 năm 2026) theo Phiếu yêu cầu bổ sung ngày 04 tháng 5 năm 2026 mà hồ sơ chưa được bổ sung.", Case.Sensitive);
    }

    [Fact]
    public void Refusal_at_the_counter_uses_the_applicant_of_the_refused_event()
    {
        List<DossierEvent> events =
        [
            new DossierRefused(At(4, 24, 9), "d-1", Counter, "Công trình không thuộc thẩm quyền cấp phép của tỉnh", null)
            {
                Applicant = new Applicant("Công ty TNHH Hòa Bình"),
                ProcedureCode = "1.009792",
                ProcedureVersion = 3,
                RuleSet = "nd61-2018",
            },
        ];

        var letter = DossierLetters.ForEvent(events, 1, Options).ShouldBeOfType<RefusalLetter>();
        var text = LetterRenderer.Default.RenderText(letter);

        letter.RuleSetId.ShouldBe("nd61-2018");
        text.ShouldContain("tiếp nhận hồ sơ của: Công ty TNHH Hòa Bình", Case.Sensitive);
        text.ShouldContain("Công trình không thuộc thẩm quyền cấp phép của tỉnh", Case.Sensitive);
        text.ShouldContain("Thủ tục hành chính mã 1.009792", Case.Sensitive);
        text.ShouldContain("Mẫu số 03 – Thông tư số 01/2018/TT-VPCP", Case.Sensitive);
    }

    [Fact]
    public void Seq_outside_the_stream_is_a_clear_error()
    {
        var error = Should.Throw<ArgumentOutOfRangeException>(() => DossierLetters.ForEvent(LateDossierWithApology(), 13, Options));
        error.Message.ShouldContain("the dossier has 12 events; seq is 1-based");
    }
}
