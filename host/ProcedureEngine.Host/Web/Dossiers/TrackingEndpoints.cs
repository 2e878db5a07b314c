using System.Globalization;
using ProcedureEngine.Host.Web.Errors;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>/api/track and /track: the applicant's public lookup by dossier code (the QR code on every letter).</summary>
public static class TrackingEndpoints
{
    public static void MapTracking(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/track/{dossierCode}", async (string dossierCode, DossierQueries queries, CancellationToken ct) =>
                await queries.TrackAsync(dossierCode, ct).ConfigureAwait(false) is { } track ? Results.Json(track) : Problems.DossierNotFound(dossierCode))
            .AllowAnonymous()
            .WithTags("Public")
            .WithSummary("Public lookup for the applicant: status and appointment only, no personal data");

        app.MapGet("/track/{dossierCode}", async (string dossierCode, DossierQueries queries, CancellationToken ct) =>
                Results.Content(TrackPage(dossierCode, await queries.TrackAsync(dossierCode, ct).ConfigureAwait(false)), "text/html; charset=utf-8"))
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    /// <summary>The page the QR code on every letter opens: status and appointment, nothing personal.</summary>
    private static string TrackPage(string code, TrackInfo? track)
    {
        var e = System.Net.WebUtility.HtmlEncode(code);
        var body = track is null
            ? $"<p>Không tìm thấy hồ sơ có mã <strong>{e}</strong>.</p>"
            : $"<p>Mã hồ sơ: <strong>{e}</strong></p><p>Tình trạng: <strong>{System.Net.WebUtility.HtmlEncode(track.StatusText)}</strong></p>" +
              $"<p>Ngày hẹn trả kết quả: <strong>{track.AppointmentAt?.ToString("HH 'giờ' mm 'phút', 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "—"}</strong></p>" +
              (track.Overdue ? "<p><strong>Hồ sơ đã quá hạn giải quyết.</strong> Cơ quan giải quyết có trách nhiệm gửi văn bản xin lỗi và hẹn lại ngày trả kết quả.</p>" : "");
        return $"<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Tra cứu hồ sơ {e}</title></head><body><h1>Tra cứu tình trạng hồ sơ</h1>{body}</body></html>";
    }
}
