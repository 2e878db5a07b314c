using System.Globalization;
using System.Net;
using System.Text;

namespace ProcedureEngine.Notifications;

/// <summary>How messages are worded: the public site for tracking links, the SMS encoding, the language.</summary>
public sealed record TemplateOptions
{
    /// <summary>Base of the public tracking page (`{base}/track/{code}`); no link when null.</summary>
    public string? PublicBaseUrl { get; init; }

    public SmsEncoding SmsEncoding { get; init; } = SmsEncoding.Gsm7;

    /// <summary>"vi" (default) or "en".</summary>
    public string Language { get; init; } = "vi";

    /// <summary>Who signs the e-mails ("Bộ phận Một cửa ...").</summary>
    public string? Sender { get; init; }

    /// <summary>Offset the dates are printed in (Vietnam, UTC+7).</summary>
    public TimeSpan UtcOffset { get; init; } = TimeSpan.FromHours(7);
}

/// <summary>An e-mail's subject, plain text and HTML.</summary>
public sealed record EmailContent(string Subject, string Text, string Html);

/// <summary>
/// Renders the stored facts into the e-mail (Vietnamese, or English) and the SMS (one part: 160 GSM-7 characters
/// without diacritics, or 70 UCS-2 with them; always the dossier's code). Pure and deterministic: a retry sends the
/// same text.
/// </summary>
public static class MessageTemplates
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The public tracking page of a dossier, when a public site is configured and the dossier has a code.</summary>
    public static string? TrackingLink(NotificationFacts facts, TemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(options);
        return options.PublicBaseUrl is { Length: > 0 } site && facts.DossierCode is { } code
            ? $"{site.TrimEnd('/')}/track/{Uri.EscapeDataString(code)}"
            : null;
    }

    public static EmailContent Email(NotificationFacts facts, TemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(options);
        var en = options.Language == "en";
        var t = en ? English(facts, options) : Vietnamese(facts, options);
        var link = TrackingLink(facts, options);
        var text = new StringBuilder();
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"").Append(en ? "en" : "vi").Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(t.Subject)).Append("</title></head><body style=\"font-family:sans-serif\">");
        var greeting = en ? $"Dear {facts.ApplicantName ?? "applicant"}," : $"Kính gửi Ông/Bà {facts.ApplicantName ?? ""},".Replace(" ,", ",", StringComparison.Ordinal);
        text.Append(greeting).Append("\n\n");
        html.Append("<p>").Append(WebUtility.HtmlEncode(greeting)).Append("</p>");
        foreach (var paragraph in t.Paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
            html.Append("<p>").Append(WebUtility.HtmlEncode(paragraph)).Append("</p>");
        }

        if (t.List.Count > 0)
        {
            html.Append("<ol>");
            foreach (var item in t.List)
            {
                text.Append("  - ").Append(item).Append('\n');
                html.Append("<li>").Append(WebUtility.HtmlEncode(item)).Append("</li>");
            }

            text.Append('\n');
            html.Append("</ol>");
        }

        if (link is not null)
        {
            var label = en ? "Track the dossier:" : "Tra cứu tình trạng hồ sơ:";
            text.Append(label).Append(' ').Append(link).Append("\n\n");
            html.Append("<p>").Append(WebUtility.HtmlEncode(label)).Append(" <a href=\"").Append(WebUtility.HtmlEncode(link)).Append("\">")
                .Append(WebUtility.HtmlEncode(link)).Append("</a></p>");
        }

        if (NotificationKind.HasLetter(facts.Kind))
        {
            var attached = en ? "The letter is attached (PDF)." : "Văn bản kèm theo thư này (tệp PDF).";
            text.Append(attached).Append("\n\n");
            html.Append("<p>").Append(WebUtility.HtmlEncode(attached)).Append("</p>");
        }

        var signature = options.Sender ?? (en ? "The one-stop unit" : "Bộ phận Một cửa");
        var note = en ? "This message was sent automatically; please do not reply." : "Thư này được gửi tự động, xin đừng trả lời.";
        text.Append(signature).Append('\n').Append(note).Append('\n');
        html.Append("<p>").Append(WebUtility.HtmlEncode(signature)).Append("</p><p style=\"color:#666;font-size:small\">").Append(WebUtility.HtmlEncode(note)).Append("</p></body></html>");
        return new EmailContent(t.Subject, text.ToString(), html.ToString());
    }

    /// <summary>One SMS part in the configured encoding, with the dossier's code (and the tracking link when it fits).</summary>
    public static string Sms(NotificationFacts facts, TemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(options);
        var text = ShortText(facts, options);
        if (options.SmsEncoding == SmsEncoding.Ucs2)
        {
            return text;
        }

        text = SmsText.RemoveDiacritics(text);
        if (TrackingLink(facts, options) is { } link && SmsText.Length($"{text} Tra cuu: {link}", SmsEncoding.Gsm7) <= 160)
        {
            text = $"{text} Tra cuu: {link}";
        }

        return text;
    }

    private static string Date(DateTimeOffset? at, TemplateOptions o) => at is { } t ? t.ToOffset(o.UtcOffset).ToString("dd/MM/yyyy", Invariant) : "";

    private static string DateTime(DateTimeOffset? at, TemplateOptions o) => at is { } t ? t.ToOffset(o.UtcOffset).ToString("HH:mm dd/MM/yyyy", Invariant) : "";

    // Vietnamese, within 70 characters for a 25-character code (the UCS-2 limit); see the tests.
    private static string ShortText(NotificationFacts f, TemplateOptions o) => f.Kind switch
    {
        NotificationKind.Received => $"Hồ sơ {f.Reference} đã tiếp nhận. Hẹn trả {Date(f.AppointmentAt, o)}.",
        NotificationKind.OnlineAccepted => $"Hồ sơ trực tuyến {f.Reference} đã nhận, hẹn trả {Date(f.AppointmentAt, o)}",
        NotificationKind.OnlineRefused => $"Hồ sơ trực tuyến {f.ProcedureCode} nộp {Date(f.At, o)} không được tiếp nhận.",
        NotificationKind.Supplement => $"Hồ sơ {f.Reference} cần bổ sung giấy tờ trước {Date(f.ClosesAt, o)}.",
        NotificationKind.Apology => $"Xin lỗi: hồ sơ {f.Reference} trễ hẹn, hẹn mới {Date(f.AppointmentAt, o)}.",
        NotificationKind.ResultReady => $"Hồ sơ {f.Reference} đã có kết quả, mời Ông/Bà đến nhận.",
        NotificationKind.AppointmentMoved => $"Hồ sơ {f.Reference} đổi ngày hẹn trả: {Date(f.AppointmentAt, o)}.",
        NotificationKind.Refused => f.DossierCode is null
            ? $"Hồ sơ {f.ProcedureCode} ngày {Date(f.At, o)} không được tiếp nhận."
            : $"Hồ sơ {f.Reference} không được giải quyết, xem thư báo.",
        NotificationKind.Closed => $"Hồ sơ {f.Reference} đã dừng do không bổ sung đúng hạn.",
        _ => $"Hồ sơ {f.Reference}: {f.Status}",
    };

    private sealed record Wording(string Subject, IReadOnlyList<string> Paragraphs, IReadOnlyList<string> List);

    private static Wording Vietnamese(NotificationFacts f, TemplateOptions o)
    {
        var procedure = f.ProcedureName is { } name ? $"“{name}”" : $"thủ tục {f.ProcedureCode}";
        return f.Kind switch
        {
            NotificationKind.Received => new($"Hồ sơ {f.Reference} đã được tiếp nhận",
                [$"Hồ sơ {procedure} của Ông/Bà đã được tiếp nhận với mã số {f.Reference}.", $"Ngày hẹn trả kết quả: {DateTime(f.AppointmentAt, o)}."], []),
            NotificationKind.OnlineAccepted => new($"Hồ sơ trực tuyến đã được tiếp nhận: {f.Reference}",
                [$"Hồ sơ {procedure} Ông/Bà nộp trực tuyến đã được tiếp nhận với mã số {f.Reference}.", $"Ngày hẹn trả kết quả: {DateTime(f.AppointmentAt, o)}."], []),
            NotificationKind.OnlineRefused => new("Hồ sơ trực tuyến không được tiếp nhận",
                [$"Hồ sơ {procedure} Ông/Bà nộp trực tuyến ngày {Date(f.At, o)} không được tiếp nhận.", $"Lý do: {f.Reason}."], []),
            NotificationKind.Supplement => new($"Hồ sơ {f.Reference} cần bổ sung, hoàn thiện",
                [$"Hồ sơ {procedure}, mã số {f.Reference}, cần được bổ sung, hoàn thiện các giấy tờ dưới đây. Lý do: {f.Reason}.",
                 $"Thời hạn bổ sung: trước {DateTime(f.ClosesAt, o)}; quá thời hạn này hồ sơ sẽ bị dừng xử lý."], [.. f.Documents ?? []]),
            NotificationKind.Apology => new($"Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {f.Reference}",
                [$"{f.Agency ?? "Cơ quan giải quyết"} thành thật xin lỗi Ông/Bà vì hồ sơ {f.Reference} không trả kết quả đúng hẹn.", $"Lý do: {f.Reason}.", $"Ngày hẹn trả kết quả mới: {DateTime(f.AppointmentAt, o)}."], []),
            NotificationKind.AppointmentMoved => new($"Điều chỉnh ngày hẹn trả kết quả hồ sơ {f.Reference}",
                [$"Do thay đổi lịch làm việc ({f.Reason}), ngày hẹn trả kết quả hồ sơ {procedure}, mã số {f.Reference}, được điều chỉnh.",
                 $"Ngày hẹn trước đây: {DateTime(f.PreviousAppointmentAt, o)}.", $"Ngày hẹn trả kết quả mới: {DateTime(f.AppointmentAt, o)}."], []),
            NotificationKind.ResultReady => new($"Hồ sơ {f.Reference} đã có kết quả",
                [$"Hồ sơ {procedure}, mã số {f.Reference}, đã có kết quả giải quyết.", "Mời Ông/Bà đến Bộ phận Một cửa để nhận kết quả (mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)."], []),
            NotificationKind.Refused => new($"Hồ sơ {f.Reference} không được giải quyết",
                [$"Hồ sơ {procedure}, mã số {f.Reference}, không được giải quyết.", $"Lý do: {f.Reason}."], []),
            NotificationKind.Closed => new($"Hồ sơ {f.Reference} đã dừng xử lý",
                [$"Hồ sơ {procedure}, mã số {f.Reference}, đã dừng xử lý vì giấy tờ yêu cầu bổ sung không được nộp trước {DateTime(f.ClosesAt, o)}.", $"Lý do: {f.Reason}."], []),
            _ => new($"Hồ sơ {f.Reference}: {f.Status}", [$"Tình trạng hồ sơ: {f.Status}."], []),
        };
    }

    private static Wording English(NotificationFacts f, TemplateOptions o)
    {
        var procedure = f.ProcedureName is { } name ? $"“{name}”" : $"procedure {f.ProcedureCode}";
        return f.Kind switch
        {
            NotificationKind.Received => new($"Dossier {f.Reference} received",
                [$"Your dossier for {procedure} was received under number {f.Reference}.", $"Appointment for the result: {DateTime(f.AppointmentAt, o)}."], []),
            NotificationKind.OnlineAccepted => new($"Online dossier accepted: {f.Reference}",
                [$"Your online dossier for {procedure} was accepted under number {f.Reference}.", $"Appointment for the result: {DateTime(f.AppointmentAt, o)}."], []),
            NotificationKind.OnlineRefused => new("Online dossier not accepted",
                [$"Your online dossier for {procedure} lodged on {Date(f.At, o)} was not accepted.", $"Reason: {f.Reason}."], []),
            NotificationKind.Supplement => new($"Dossier {f.Reference}: documents needed",
                [$"Your dossier {f.Reference} for {procedure} needs the documents below. Reason: {f.Reason}.",
                 $"Deadline: {DateTime(f.ClosesAt, o)}; after it the dossier is stopped."], [.. f.Documents ?? []]),
            NotificationKind.Apology => new($"Apology and new appointment for dossier {f.Reference}",
                [$"{f.Agency ?? "The agency"} apologises: dossier {f.Reference} is late.", $"Reason: {f.Reason}.", $"New appointment: {DateTime(f.AppointmentAt, o)}."], []),
            NotificationKind.AppointmentMoved => new($"Dossier {f.Reference}: new appointment",
                [$"The working calendar changed ({f.Reason}): the appointment for your dossier {f.Reference} for {procedure} is moved.",
                 $"Previous appointment: {DateTime(f.PreviousAppointmentAt, o)}.", $"New appointment: {DateTime(f.AppointmentAt, o)}."], []),
            NotificationKind.ResultReady => new($"Dossier {f.Reference}: result ready",
                [$"The result of your dossier {f.Reference} for {procedure} is ready.", "Please collect it at the one-stop unit (bring the receipt)."], []),
            NotificationKind.Refused => new($"Dossier {f.Reference} refused",
                [$"Your dossier {f.Reference} for {procedure} was refused.", $"Reason: {f.Reason}."], []),
            NotificationKind.Closed => new($"Dossier {f.Reference} closed",
                [$"Your dossier {f.Reference} for {procedure} was closed: the requested documents did not come before {DateTime(f.ClosesAt, o)}.", $"Reason: {f.Reason}."], []),
            _ => new($"Dossier {f.Reference}: {f.Status}", [$"Status: {f.Status}."], []),
        };
    }
}
