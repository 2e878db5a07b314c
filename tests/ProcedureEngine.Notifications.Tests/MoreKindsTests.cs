using System.Collections.Immutable;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.EventStore;
using ProcedureEngine.Notifications.Outbox;

namespace ProcedureEngine.Notifications.Tests;

/// <summary>The kinds not covered by <see cref="DeliveryTests"/>: refused, closed, online accepted and online refused, through a real SMTP server.</summary>
public sealed class MoreKindsTests : IAsyncLifetime
{
    private readonly TestSmtp smtp = new();
    private IEventStore store = null!;

    public async Task InitializeAsync()
    {
        store = await Stores.OpenAsync("sqlite");
        smtp.Start();
    }

    public async Task DisposeAsync()
    {
        await smtp.DisposeAsync();
        await store.DisposeAsync();
    }

    [Fact]
    public async Task Refused_closed_online_accepted_and_online_refused_arrive_with_their_own_subject_and_reason()
    {
        var refused = Dossier.Code(11);
        await Dossier.AppendAsync(store, refused, 0, Dossier.Receipt(refused, Dossier.Applicant("email")),
            new DossierRefused(Dossier.ReceivedAt.AddDays(5), refused, Dossier.Appraiser, "Công trình nằm trong hành lang bảo vệ đê điều", "appraise"));
        var closed = Dossier.Code(12);
        await Dossier.AppendAsync(store, closed, 0, Dossier.Receipt(closed, Dossier.Applicant("email")), Dossier.Supplement(),
            new DossierClosed(Dossier.ReceivedAt.AddDays(34), Dossier.ReceivedAt.AddDays(3), Dossier.ReceivedAt.AddDays(33), "Quá hạn bổ sung hồ sơ"));
        var submitted = new DossierSubmitted(Dossier.ReceivedAt, "online-260424-a", "1.009792", 3, Dossier.Applicant("email"),
            ImmutableDictionary<string, string>.Empty, [], Dossier.ReceivedAt.AddHours(8));
        await Dossier.AppendAsync(store, "online-260424-a", 0, submitted, Dossier.Receipt(Dossier.Code(13), Dossier.Applicant("email"), Channel.Online) with { DossierId = "online-260424-a" });
        await Dossier.AppendAsync(store, "online-260424-b", 0, submitted with { DossierId = "online-260424-b" },
            new DossierRefused(Dossier.ReceivedAt.AddHours(2), "online-260424-b", Dossier.Counter, "Không thuộc thẩm quyền giải quyết", null));

        var dispatcher = new OutboxDispatcher(new OutboxStore(store),
            [new SmtpEmailSender(new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, Security = "none", From = "motcua@bacninh.gov.vn" }, new TemplateOptions(), new FakeLetters())]);
        while ((await dispatcher.RunOnceAsync()).Claimed > 0)
        {
        }

        var mails = (await smtp.WaitForAsync(7)).ToDictionary(m => m.MessageId!, m => m);
        mails.Count.ShouldBe(7);
        var refusal = mails[$"{refused}.v2.email@bacninh.gov.vn"];
        refusal.Subject.ShouldBe($"Hồ sơ {refused} không được giải quyết");
        refusal.TextBody!.ShouldContain("Lý do: Công trình nằm trong hành lang bảo vệ đê điều.");
        refusal.Attachments.ShouldBeEmpty();
        var closure = mails[$"{closed}.v3.email@bacninh.gov.vn"];
        closure.Subject.ShouldBe($"Hồ sơ {closed} đã dừng xử lý");
        closure.TextBody!.ShouldContain("không được nộp trước 09:00 27/05/2026");
        var accepted = mails["online-260424-a.v2.email@bacninh.gov.vn"];
        accepted.Subject.ShouldBe($"Hồ sơ trực tuyến đã được tiếp nhận: {Dossier.Code(13)}");
        accepted.Attachments.Count().ShouldBe(1, "the receipt");
        var notAccepted = mails["online-260424-b.v2.email@bacninh.gov.vn"];
        notAccepted.Subject.ShouldBe("Hồ sơ trực tuyến không được tiếp nhận");
        notAccepted.TextBody!.ShouldContain("Lý do: Không thuộc thẩm quyền giải quyết.");
        mails.Keys.ShouldNotContain("online-260424-a.v1.email@bacninh.gov.vn", "a submission itself is only pushed to the portal");
    }

    [Fact]
    public async Task A_calendar_change_that_moves_the_appointment_tells_the_applicant_the_old_and_new_date_and_one_that_does_not_tells_nothing()
    {
        var moved = Dossier.Code(21);
        var newAppointment = Dossier.Appointment.AddDays(1);
        static DossierReplanned Replan(DateTimeOffset to) => new(Dossier.ReceivedAt.AddDays(10), "vn", 2, "Quyết định 1234/QĐ-TTg", [new DateOnly(2026, 5, 19)],
            Dossier.Appointment, to, [], [], "Ngày 19/05/2026 được nghỉ");
        await Dossier.AppendAsync(store, moved, 0, Dossier.Receipt(moved, Dossier.Applicant("email", "sms")), Replan(newAppointment));
        var kept = Dossier.Code(22);
        await Dossier.AppendAsync(store, kept, 0, Dossier.Receipt(kept, Dossier.Applicant("email", "sms")), Replan(Dossier.Appointment));

        var outbox = new OutboxStore(store);
        (await outbox.ListAsync(new OutboxQuery(null, kept, null, 100, 0))).Select(m => m.Facts.EventVersion).ShouldAllBe(v => v == 1, "a re-plan that keeps the appointment is the agencies' business");
        var about = (await outbox.ListAsync(new OutboxQuery(null, moved, null, 100, 0))).Where(m => m.Facts.EventVersion == 2).ToList();
        about.Select(m => m.Channel).Order().ShouldBe(["email", "portal", "sms"]);
        about.ShouldAllBe(m => m.Kind == NotificationKind.AppointmentMoved);

        var dispatcher = new OutboxDispatcher(outbox,
            [new SmtpEmailSender(new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, Security = "none", From = "motcua@bacninh.gov.vn" }, new TemplateOptions(), new FakeLetters())]);
        while ((await dispatcher.RunOnceAsync()).Claimed > 0)
        {
        }

        var mails = (await smtp.WaitForAsync(3)).ToDictionary(m => m.MessageId!, m => m);
        var mail = mails[$"{moved}.v2.email@bacninh.gov.vn"];
        mail.Subject.ShouldBe($"Điều chỉnh ngày hẹn trả kết quả hồ sơ {moved}");
        mail.TextBody!.ShouldContain("Do thay đổi lịch làm việc (Quyết định 1234/QĐ-TTg)");
        mail.TextBody!.ShouldContain("Ngày hẹn trước đây: 09:00 19/05/2026.");
        mail.TextBody!.ShouldContain("Ngày hẹn trả kết quả mới: 09:00 20/05/2026.");
        mail.Attachments.Count().ShouldBe(1, "the notice TB");
        MessageTemplates.Sms(about.Single(m => m.Channel == "sms").Facts, new TemplateOptions()).ShouldStartWith($"Ho so {moved} doi ngay hen tra: 20/05/2026.");
    }
}
