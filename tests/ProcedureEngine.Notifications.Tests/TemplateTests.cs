using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Notifications.Tests;

public sealed class TemplateTests
{
    private static readonly string[] Kinds =
    [
        NotificationKind.Received, NotificationKind.OnlineAccepted, NotificationKind.OnlineRefused, NotificationKind.Supplement,
        NotificationKind.Apology, NotificationKind.ResultReady, NotificationKind.Refused, NotificationKind.Closed,
        NotificationKind.AppointmentMoved,
    ];

    private static NotificationFacts Facts(string kind, string? code = "000.00.07.H13-260424-0001") => new()
    {
        Kind = kind,
        DossierId = code ?? "online-260424-019a1b2c3d4e5f60718293a4b5c6d7e8",
        DossierCode = kind == NotificationKind.OnlineRefused ? null : code,
        EventType = "X",
        EventVersion = 3,
        At = Dossier.ReceivedAt,
        Status = "received",
        ApplicantName = "Nguyễn Thị Hồng Nhung",
        ProcedureCode = "1.009792",
        ProcedureName = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        AppointmentAt = Dossier.Appointment,
        PreviousAppointmentAt = kind == NotificationKind.AppointmentMoved ? Dossier.Appointment.AddDays(-1) : null,
        ClosesAt = Dossier.ReceivedAt.AddDays(33),
        Documents = ["Bản vẽ thiết kế xây dựng", "Giấy chứng nhận quyền sử dụng đất"],
        Reason = "Thiếu bản vẽ mặt bằng",
        Agency = "Sở Xây dựng",
    };

    public static TheoryData<string> AllKinds() => [.. Kinds];

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void An_sms_without_diacritics_is_one_gsm7_part_with_the_code_and_the_tracking_link_when_it_fits(string kind)
    {
        var options = new TemplateOptions { PublicBaseUrl = "https://dichvucong.bacninh.gov.vn", SmsEncoding = SmsEncoding.Gsm7 };
        var text = MessageTemplates.Sms(Facts(kind), options);

        SmsText.IsGsm7(text).ShouldBeTrue(text);
        SmsText.Length(text, SmsEncoding.Gsm7).ShouldBeLessThanOrEqualTo(160, text);
        if (kind != NotificationKind.OnlineRefused)
        {
            text.ShouldContain("000.00.07.H13-260424-0001");
            text.ShouldContain("https://dichvucong.bacninh.gov.vn/track/000.00.07.H13-260424-0001");
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void An_sms_with_diacritics_is_one_ucs2_part_of_at_most_70_characters_with_the_code(string kind)
    {
        var text = MessageTemplates.Sms(Facts(kind), new TemplateOptions { PublicBaseUrl = "https://dichvucong.bacninh.gov.vn", SmsEncoding = SmsEncoding.Ucs2 });

        SmsText.EncodingOf(text).ShouldBe(SmsEncoding.Ucs2);
        text.Length.ShouldBeLessThanOrEqualTo(70, text);
        text.ShouldContain(kind == NotificationKind.OnlineRefused ? "1.009792" : "000.00.07.H13-260424-0001");
        text.ShouldContain("hồ sơ", Case.Insensitive);
    }

    [Fact]
    public void A_tracking_link_that_would_overflow_the_sms_is_left_out_but_the_code_stays()
    {
        var text = MessageTemplates.Sms(Facts(NotificationKind.Supplement), new TemplateOptions { PublicBaseUrl = "https://" + new string('x', 120) + ".gov.vn" });

        text.ShouldContain("000.00.07.H13-260424-0001");
        text.ShouldNotContain("Tra cuu");
        SmsText.Length(text, SmsEncoding.Gsm7).ShouldBeLessThanOrEqualTo(160);
    }

    [Fact]
    public void Gsm7_length_counts_extension_characters_twice_and_diacritics_are_removed_correctly()
    {
        SmsText.Length("a[b]", SmsEncoding.Gsm7).ShouldBe(6);
        SmsText.RemoveDiacritics("Hồ sơ đã được tiếp nhận, Đơn đề nghị").ShouldBe("Ho so da duoc tiep nhan, Don de nghi");
        SmsText.IsGsm7("Hồ sơ").ShouldBeFalse();
    }

    [Fact]
    public void The_receipt_email_is_in_vietnamese_with_the_code_the_appointment_and_the_tracking_link_in_text_and_html()
    {
        var mail = MessageTemplates.Email(Facts(NotificationKind.Received), new TemplateOptions { PublicBaseUrl = "https://dvc.example.gov.vn/" });

        mail.Subject.ShouldBe("Hồ sơ 000.00.07.H13-260424-0001 đã được tiếp nhận");
        mail.Text.ShouldContain("Kính gửi Ông/Bà Nguyễn Thị Hồng Nhung,");
        mail.Text.ShouldContain("Ngày hẹn trả kết quả: 09:00 19/05/2026.");
        mail.Text.ShouldContain("Tra cứu tình trạng hồ sơ: https://dvc.example.gov.vn/track/000.00.07.H13-260424-0001");
        mail.Html.ShouldContain("<a href=\"https://dvc.example.gov.vn/track/000.00.07.H13-260424-0001\">");
        mail.Html.ShouldContain("lang=\"vi\"");
        mail.Text.ShouldContain("(tệp PDF)");
    }

    [Fact]
    public void The_supplement_email_lists_every_missing_document_and_the_deadline()
    {
        var mail = MessageTemplates.Email(Facts(NotificationKind.Supplement), new TemplateOptions());

        mail.Text.ShouldContain("  - Bản vẽ thiết kế xây dựng");
        mail.Html.ShouldContain("<li>Giấy chứng nhận quyền sử dụng đất</li>");
        mail.Text.ShouldContain("Lý do: Thiếu bản vẽ mặt bằng.");
        mail.Text.ShouldContain("trước 09:00 27/05/2026");
    }

    [Fact]
    public void English_is_switchable()
    {
        var mail = MessageTemplates.Email(Facts(NotificationKind.Apology) with { AppointmentAt = Dossier.Appointment.AddDays(5) }, new TemplateOptions { Language = "en" });

        mail.Subject.ShouldBe("Apology and new appointment for dossier 000.00.07.H13-260424-0001");
        mail.Text.ShouldContain("Sở Xây dựng apologises");
        mail.Text.ShouldContain("New appointment: 09:00 24/05/2026.");
    }

    [Fact]
    public void Html_escapes_what_the_applicant_typed()
    {
        var mail = MessageTemplates.Email(Facts(NotificationKind.Received) with { ApplicantName = "<script>x</script>" }, new TemplateOptions());

        mail.Html.ShouldNotContain("<script>");
        mail.Html.ShouldContain("&lt;script&gt;");
    }
}

public sealed class PlannerTests
{
    private static IReadOnlyList<PlannedMessage> Plan(DossierContact contact, DossierEvent e, long version = 1) => NotificationPlanner.Apply(contact, e, version).Messages;

    [Fact]
    public void A_receipt_with_consent_to_sms_and_email_gives_both_and_the_portal_message_with_stable_ids()
    {
        var code = Dossier.Code(1);
        var messages = Plan(new DossierContact(code), Dossier.Receipt(code, Dossier.Applicant("sms", "email")));

        messages.Select(m => (m.Channel, m.Recipient, m.Id)).ShouldBe(
        [
            ("sms", "0912345678", $"{code}.v1.sms"),
            ("email", "nhung@example.vn", $"{code}.v1.email"),
            ("portal", null, $"{code}.v1.portal"),
        ]);
        messages[0].Facts.Kind.ShouldBe(NotificationKind.Received);
        messages[0].Facts.AppointmentAt.ShouldBe(Dossier.Appointment);
    }

    [Fact]
    public void Without_consent_only_the_portal_hears_and_a_channel_without_an_address_is_skipped()
    {
        var code = Dossier.Code(2);
        Plan(new DossierContact(code), Dossier.Receipt(code, Dossier.Applicant())).Select(m => m.Channel).ShouldBe(["portal"]);
        Plan(new DossierContact(code), Dossier.Receipt(code, new Applicant("A") { Phone = "0912" })).Select(m => m.Channel).ShouldBe(["portal"]);
        Plan(new DossierContact(code), Dossier.Receipt(code, new Applicant("A") { Phone = "0912", Notify = ["sms", "email"] })).Select(m => m.Channel).ShouldBe(["sms", "portal"]);
    }

    [Fact]
    public void Later_events_reuse_the_contact_and_facts_of_the_receipt()
    {
        var code = Dossier.Code(3);
        var (contact, _) = NotificationPlanner.Apply(new DossierContact(code), Dossier.Receipt(code, Dossier.Applicant("email")), 1);
        var (_, supplement) = NotificationPlanner.Apply(contact, Dossier.Supplement(), 4);

        supplement.Select(m => m.Channel).ShouldBe(["email", "portal"]);
        supplement[0].Facts.Kind.ShouldBe(NotificationKind.Supplement);
        supplement[0].Facts.DossierCode.ShouldBe(code);
        supplement[0].Facts.Documents.ShouldBe(["Bản vẽ thiết kế xây dựng", "Giấy chứng nhận quyền sử dụng đất"]);
        supplement[0].Facts.Status.ShouldBe("awaitingSupplement");
    }

    [Fact]
    public void An_online_submission_is_told_when_accepted_or_refused()
    {
        var submitted = new DossierSubmitted(Dossier.ReceivedAt, "online-1", "1.009792", 3, Dossier.Applicant("sms"),
            System.Collections.Immutable.ImmutableDictionary<string, string>.Empty, [], Dossier.ReceivedAt.AddHours(8));
        var (contact, atSubmission) = NotificationPlanner.Apply(new DossierContact("online-1"), submitted, 1);
        atSubmission.Select(m => m.Channel).ShouldBe(["portal"]);

        var (_, accepted) = NotificationPlanner.Apply(contact, Dossier.Receipt(Dossier.Code(4), Dossier.Applicant("sms"), Channel.Online), 2);
        accepted[0].Facts.Kind.ShouldBe(NotificationKind.OnlineAccepted);

        var (_, refused) = NotificationPlanner.Apply(contact, new DossierRefused(Dossier.ReceivedAt.AddHours(2), "online-1", Dossier.Counter, "Hồ sơ không đúng thẩm quyền", null), 2);
        refused[0].Facts.Kind.ShouldBe(NotificationKind.OnlineRefused);
        refused[0].Facts.Reason.ShouldBe("Hồ sơ không đúng thẩm quyền");
    }

    [Fact]
    public void A_corrected_contact_is_not_overridden_by_the_events_applicant()
    {
        var contact = new DossierContact("online-2") { Phone = "0988000111", Notify = ["sms"], Corrected = true };
        var (after, messages) = NotificationPlanner.Apply(contact, Dossier.Receipt(Dossier.Code(5), Dossier.Applicant("email")), 2);

        after.Phone.ShouldBe("0988000111");
        messages.Select(m => (m.Channel, m.Recipient)).ShouldBe([("sms", "0988000111"), ("portal", null)]);
    }
}
