using System.Text.RegularExpressions;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Model;
using ProcedureEngine.Letters.Rendering;
using QRCoder;

namespace ProcedureEngine.Letters.Tests;

public sealed class LetterRendererTests
{
    private static readonly LetterRenderer Renderer = LetterRenderer.Default;

    [Fact]
    public void Receipt_shows_dossier_code_every_document_with_copies_and_the_appointment_in_Vietnamese()
    {
        var text = Renderer.RenderText(SampleLetters.Receipt());

        text.ShouldContain("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", Case.Sensitive);
        text.ShouldContain("Mã hồ sơ: 000.00.07.H13-260424-0001", Case.Sensitive);
        text.ShouldContain("tiếp nhận hồ sơ của: Nguyễn Văn A", Case.Sensitive);
        text.ShouldContain("Số điện thoại: 0912 345 678", Case.Sensitive);
        text.ShouldContain("1 | Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01 Phụ lục II Nghị định 15/2021/NĐ-CP) | Bản chính | 1", Case.Sensitive);
        text.ShouldContain("2 | Bản vẽ thiết kế xây dựng | Bản sao | 2", Case.Sensitive);
        text.ShouldContain("3 | Văn bản thẩm duyệt thiết kế về PCCC | Bản sao | 1", Case.Sensitive);
        text.ShouldContain("3. Thời gian giải quyết hồ sơ theo quy định là: 15 ngày làm việc.", Case.Sensitive);
        text.ShouldContain("4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 24 tháng 4 năm 2026.", Case.Sensitive);
        text.ShouldContain("5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 19 tháng 5 năm 2026.", Case.Sensitive);
        text.ShouldContain("6. Đăng ký nhận kết quả tại: Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh.", Case.Sensitive);
        text.ShouldContain("NGƯỜI TIẾP NHẬN HỒ SƠ", Case.Sensitive);
        text.ShouldContain("Trần Thị B", Case.Sensitive);
    }

    [Fact]
    public void Every_letter_carries_the_national_heading_the_agency_and_the_place_and_date()
    {
        var text = Renderer.RenderText(SampleLetters.Receipt());
        var lines = text.Split('\n');

        lines.ShouldContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
        lines.ShouldContain("Độc lập - Tự do - Hạnh phúc");
        lines.ShouldContain("UBND TỈNH BẮC NINH");
        lines.ShouldContain("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH BẮC NINH");
        lines.ShouldContain("Bắc Ninh, ngày 24 tháng 4 năm 2026");
        lines.ShouldContain("Số: ……/……");
        lines.ShouldContain("Mẫu số 01 – Thông tư số 03/2025/TT-VPCP");
    }

    [Fact]
    public void Apology_names_the_agency_at_fault_the_reason_and_the_new_appointment()
    {
        var text = Renderer.RenderText(SampleLetters.Apology());

        text.ShouldContain("SỞ XÂY DỰNG", Case.Sensitive);
        text.ShouldContain("Số: ……/PXL", Case.Sensitive);
        text.ShouldContain("Kính gửi: Ông/Bà Nguyễn Văn A", Case.Sensitive);
        text.ShouldContain("Sở Xây dựng không thể hoàn thành việc giải quyết hồ sơ của Ông/Bà đúng thời hạn nêu trên.", Case.Sensitive);
        text.ShouldContain("Lý do: Hồ sơ phải lấy thêm ý kiến của Phòng Cảnh sát PCCC và CNCH.", Case.Sensitive);
        text.ShouldNotContain("CNCH..", Case.Sensitive);
        text.ShouldContain("09 giờ 00 phút, ngày 19 tháng 5 năm 2026", Case.Sensitive);
        text.ShouldContain("gia hạn thời gian giải quyết hồ sơ đến: 14 giờ 30 phút, ngày 26 tháng 5 năm 2026.", Case.Sensitive);
        text.ShouldContain("GIÁM ĐỐC", Case.Sensitive);
        text.ShouldContain("Lê Văn C", Case.Sensitive);
    }

    [Fact]
    public void Apology_title_and_wording_follow_the_rule_set_of_the_dossier()
    {
        var nd61 = Renderer.RenderText(SampleLetters.Apology(RuleSets.Nd61Id));
        var nd118 = Renderer.RenderText(SampleLetters.Apology(RuleSets.Nd118Id));

        nd61.ShouldContain("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", Case.Sensitive);
        nd61.ShouldContain("hẹn lại thời gian trả kết quả giải quyết hồ sơ vào: 14 giờ 30 phút, ngày 26 tháng 5 năm 2026.", Case.Sensitive);
        nd61.ShouldContain("Mẫu số 04 – Thông tư số 01/2018/TT-VPCP", Case.Sensitive);
        nd61.ShouldNotContain("GIA HẠN", Case.Sensitive);

        nd118.ShouldContain("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", Case.Sensitive);
        nd118.ShouldContain("Mẫu số 04 – Thông tư số 03/2025/TT-VPCP", Case.Sensitive);
        nd118.ShouldNotContain("PHIẾU XIN LỖI", Case.Sensitive);
    }

    [Fact]
    public void Control_slip_is_form_05_under_nd61_and_form_06_under_nd118_with_results_per_hand_over()
    {
        var nd61 = Renderer.RenderText(SampleLetters.ControlSlip(RuleSets.Nd61Id));
        var nd118 = Renderer.RenderText(SampleLetters.ControlSlip(RuleSets.Nd118Id));

        nd61.ShouldContain("Mẫu số 05 – Thông tư số 01/2018/TT-VPCP", Case.Sensitive);
        nd118.ShouldContain("Mẫu số 06 – Thông tư số 03/2025/TT-VPCP", Case.Sensitive);
        nd118.ShouldContain("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", Case.Sensitive);
        nd118.ShouldContain("Cơ quan (bộ phận) chủ trì giải quyết: Sở Xây dựng", Case.Sensitive);
        nd118.ShouldContain("Cơ quan phối hợp giải quyết: Phòng Cảnh sát PCCC và CNCH - Công an tỉnh", Case.Sensitive);
        nd118.ShouldContain("1. Giao: Trung tâm Phục vụ hành chính công (Trần Thị B); Nhận: Sở Xây dựng (Phạm Văn D); Thẩm định hồ sơ | 11:00 24/04/2026 | Trước hạn", Case.Sensitive);
        nd118.ShouldContain("2. Giao: Sở Xây dựng; Nhận: Trung tâm Phục vụ hành chính công; Trả kết quả | 15:00 20/05/2026 | Quá hạn | Đã có văn bản xin lỗi", Case.Sensitive);
    }

    [Fact]
    public void Supplement_request_lists_every_missing_document_and_states_how_the_clock_runs_under_each_rule_set()
    {
        var nd118 = Renderer.RenderText(SampleLetters.Supplement(RuleSets.Nd118Id));
        var nd61 = Renderer.RenderText(SampleLetters.Supplement(RuleSets.Nd61Id));

        nd118.ShouldContain("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", Case.Sensitive);
        nd118.ShouldContain("1. Bản vẽ thiết kế xây dựng: thiếu bản vẽ mặt cắt (Bản sao, số lượng: 2).", Case.Sensitive);
        nd118.ShouldContain("Lý do: Bản vẽ thiếu mặt cắt.", Case.Sensitive);
        nd118.ShouldContain("được tính lại từ đầu", Case.Sensitive);
        nd118.ShouldContain("Quá thời hạn ngày 19 tháng 5 năm 2026", Case.Sensitive);
        nd61.ShouldContain("không tính vào thời hạn giải quyết", Case.Sensitive);
        nd61.ShouldNotContain("tính lại từ đầu", Case.Sensitive);
    }

    [Fact]
    public void Refusal_before_a_dossier_code_exists_states_the_reason_without_a_code()
    {
        var text = Renderer.RenderText(SampleLetters.Refusal());

        text.ShouldContain("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", Case.Sensitive);
        text.ShouldContain("Công trình không thuộc thẩm quyền cấp phép của Sở Xây dựng", Case.Sensitive);
        text.ShouldNotContain("Mã hồ sơ", Case.Sensitive);
    }

    [Fact]
    public void Stop_notice_is_form_05_under_nd118_and_does_not_exist_under_nd61()
    {
        var text = Renderer.RenderText(SampleLetters.Withdrawal());
        text.ShouldContain("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", Case.Sensitive);
        text.ShouldContain("Mẫu số 05 – Thông tư số 03/2025/TT-VPCP", Case.Sensitive);
        text.ShouldContain("thông báo dừng giải quyết hồ sơ nêu trên kể từ 10 giờ 00 phút, ngày 06 tháng 5 năm 2026.", Case.Sensitive);

        var error = Should.Throw<ArgumentException>(() => Renderer.RenderText(SampleLetters.Withdrawal() with { RuleSetId = RuleSets.Nd61Id }));
        error.Message.ShouldContain("rule set 'nd61-2018' has no form for StopNotice");
    }

    [Fact]
    public void Unknown_rule_set_is_a_clear_error()
    {
        var error = Should.Throw<ArgumentException>(() => Renderer.RenderHtml(SampleLetters.Receipt("nd43-2011")));
        error.Message.ShouldContain("unknown rule set 'nd43-2011'; expected nd61-2018 or nd118-2025");
    }

    [Fact]
    public void Html_escapes_user_input_and_the_text_shows_it_literally()
    {
        var letter = SampleLetters.Receipt() with
        {
            Applicant = new LetterApplicant("<script>alert('x')</script> & Co", "\"0912\""),
        };

        var html = Renderer.RenderHtml(letter);
        var text = Renderer.RenderText(letter);

        html.ShouldNotContain("<script>", Case.Sensitive);
        html.ShouldContain("&lt;script&gt;", Case.Sensitive);
        text.ShouldContain("tiếp nhận hồ sơ của: <script>alert('x')</script> & Co", Case.Sensitive);
        text.ShouldContain("Số điện thoại: \"0912\"", Case.Sensitive);
    }

    [Fact]
    public void Control_characters_pasted_into_a_name_print_as_spaces_in_text_and_pdf()
    {
        var letter = SampleLetters.Receipt() with { Applicant = new LetterApplicant("Nguyễn\u0001Văn\tA\u0007") };

        Renderer.RenderText(letter).ShouldContain("tiếp nhận hồ sơ của: Nguyễn Văn A\n", Case.Sensitive);
        PdfText.Extract(Renderer.RenderPdf(letter)).ShouldContain("Nguyễn Văn A", Case.Sensitive);
    }

    [Fact]
    public void Html_is_a_complete_utf8_document_sized_for_the_form_paper()
    {
        var receipt = Renderer.RenderHtml(SampleLetters.Receipt());
        var book = Renderer.RenderHtml(SampleLetters.Book());

        receipt.ShouldStartWith("<!DOCTYPE html>");
        receipt.ShouldContain("<meta charset=\"utf-8\"/>", Case.Sensitive);
        receipt.ShouldContain("@page { size: A5 portrait;", Case.Sensitive);
        receipt.ShouldContain("<title>Giấy tiếp nhận hồ sơ và hẹn trả kết quả – 000.00.07.H13-260424-0001</title>", Case.Sensitive);
        book.ShouldContain("@page { size: A4 landscape;", Case.Sensitive);
    }

    [Fact]
    public void Qr_code_points_at_the_public_tracking_page_of_the_dossier()
    {
        var letter = SampleLetters.Receipt();
        var html = Renderer.RenderHtml(letter);

        letter.TrackingUrl.ShouldBe("https://dichvucong.bacninh.gov.vn/track/000.00.07.H13-260424-0001");
        var qr = Regex.Match(html, "<div class=\"qr\" data-payload=\"([^\"]+)\"[^>]*><img src=\"data:image/png;base64,([^\"]+)\"");
        qr.Success.ShouldBeTrue();
        System.Net.WebUtility.HtmlDecode(qr.Groups[1].Value).ShouldBe(letter.TrackingUrl);

        // QRCoder has no decoder: the embedded image must be exactly the QR code of the tracking URL.
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(letter.TrackingUrl!, QRCodeGenerator.ECCLevel.M);
        var expected = new PngByteQRCode(data).GetGraphic(4);
        Convert.FromBase64String(qr.Groups[2].Value).ShouldBe(expected);
    }

    [Fact]
    public void Text_and_pdf_draw_the_qr_from_its_payload_and_read_exactly_as_the_html_with_its_image_would_give()
    {
        foreach (var letter in new LetterData[] { SampleLetters.Receipt(), SampleLetters.Apology() })
        {
            letter.TrackingUrl.ShouldNotBeNull();
            var html = Renderer.RenderHtml(letter);
            html.ShouldContain("data:image/png;base64,", Case.Sensitive, "the browser's HTML shows the QR image");
            var layout = Layout.XhtmlLayoutReader.Read(html);

            // Text and PDF are laid out from an HTML without the PNG (never looked at by either): the same text, and
            // a PDF of the same size from the same layout.
            Renderer.RenderText(letter).ShouldBe(Layout.TextLayoutWriter.Write(layout));
            Renderer.RenderPdf(letter).Length.ShouldBe(Layout.PdfLayoutWriter.Write(layout, letter.IssuedAt).Length);
        }
    }

    [Fact]
    public void Tracking_url_escapes_the_dossier_code_and_ignores_a_trailing_slash()
    {
        LetterData.TrackingUrlFor("https://dvc.example.vn/", "A B/1").ShouldBe("https://dvc.example.vn/track/A%20B%2F1");
    }

    [Fact]
    public void Letter_without_tracking_url_has_no_qr_code()
    {
        var html = Renderer.RenderHtml(SampleLetters.Receipt() with { TrackingUrl = null });

        html.ShouldNotContain("class=\"qr\"", Case.Sensitive);
        html.ShouldContain("Mã hồ sơ: 000.00.07.H13-260424-0001", Case.Sensitive);
    }

    public static TheoryData<string, FormKind> EveryForm()
    {
        var data = new TheoryData<string, FormKind>();
        foreach (var ruleSet in RuleSets.BuiltIn)
        {
            foreach (var kind in ruleSet.Forms.Keys)
            {
                data.Add(ruleSet.Id, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryForm))]
    public void Every_form_of_every_rule_set_renders_its_official_title_in_html_text_and_pdf(string ruleSet, FormKind kind)
    {
        LetterData letter = kind switch
        {
            FormKind.Receipt => SampleLetters.Receipt(),
            FormKind.SupplementRequest => SampleLetters.Supplement(),
            FormKind.Refusal => SampleLetters.Refusal(),
            FormKind.Apology => SampleLetters.Apology(),
            FormKind.StopNotice => SampleLetters.Withdrawal(),
            FormKind.ControlSlip => SampleLetters.ControlSlip(),
            FormKind.AppointmentNotice => SampleLetters.AppointmentNotice(),
            _ => SampleLetters.Book(),
        };
        letter = letter with { RuleSetId = ruleSet };
        var form = RuleSets.Find(ruleSet)!.Form(kind)!;
        var title = form.Title.ToUpper(System.Globalization.CultureInfo.GetCultureInfo("vi-VN"));

        Renderer.RenderHtml(letter).ShouldContain($"<h1>{title}</h1>", Case.Sensitive);
        var text = Renderer.RenderText(letter);
        text.ShouldContain($"Mẫu số {form.Number} – ", Case.Sensitive);
        text.ShouldNotContain("ngày ngày", Case.Insensitive);
        text.ShouldNotContain("..", Case.Sensitive);
        PdfText.Extract(Renderer.RenderPdf(letter)).ShouldContain(title, Case.Sensitive);
    }

    [Fact]
    public void Nd61_has_six_forms_and_nd118_seven_besides_the_calendar_change_notice_and_every_letter_prints_its_rule_sets_number_and_paper()
    {
        RuleSets.Nd61.Forms.Values.Select(f => f.Number).Order(StringComparer.Ordinal).ShouldBe(["01", "02", "03", "04", "05", "06", "TB"]);
        RuleSets.Nd118.Forms.Values.Select(f => f.Number).Order(StringComparer.Ordinal).ShouldBe(["01", "02", "03", "04", "05", "06", "07", "TB"]);
        RuleSets.Nd118.FormNumbered("5")!.Kind.ShouldBe(FormKind.StopNotice);
        RuleSets.Nd61.FormNumbered("05")!.Kind.ShouldBe(FormKind.ControlSlip);

        // What the letters print comes from those tables: number and circular in the heading, paper in the print CSS.
        LetterRenderer.FormOf(SampleLetters.Book()).Paper.ShouldBe(PaperSize.A4);
        Renderer.RenderHtml(SampleLetters.Book()).ShouldContain("data-paper=\"A4\" data-orientation=\"landscape\" data-form=\"06\" data-rule-set=\"nd61-2018\"", Case.Sensitive);
        Renderer.RenderText(SampleLetters.ControlSlip(RuleSets.Nd61Id)).ShouldContain("Mẫu số 05 – Thông tư số 01/2018/TT-VPCP", Case.Sensitive);
    }
}
