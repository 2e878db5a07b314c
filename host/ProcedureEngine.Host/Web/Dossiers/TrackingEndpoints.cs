using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>/api/track and /track: the applicant's public lookup by dossier code (the QR code on every letter).</summary>
public static class TrackingEndpoints
{
    public static void MapTracking(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/track/{dossierCode}", async (string dossierCode, PublicTracking tracking, CancellationToken ct) =>
                await tracking.FindAsync(dossierCode, ct).ConfigureAwait(false) is { } track ? Results.Json(track) : Problems.DossierNotFound(dossierCode))
            .AllowAnonymous()
            .Produces<TrackInfo>()
            .WithTags("Public")
            .WithSummary("Public lookup for the applicant: procedure, receiving agency, current stage and the dates that fit the status (appointment, return, refusal and its reason, new appointment after an apology); no personal data");
    }

    /// <summary>
    /// /track/{code}: the tracking page (designer/src/pages/track, built into <paramref name="webRoot"/>) with the dossier's
    /// public data embedded, so a phone shows it in one request; 404 with the same page saying so for an unknown code.
    /// Without the built front end, a plain server-rendered page says the same.
    /// </summary>
    public static void MapTrackingPage(this IEndpointRouteBuilder app, string webRoot)
    {
        var template = Path.Combine(webRoot, "track", "index.html");
        app.MapGet("/track/{dossierCode}", async (string dossierCode, PublicTracking tracking, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
            {
                var track = await tracking.FindAsync(dossierCode, ct).ConfigureAwait(false);
                var status = track is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
                var html = File.Exists(template)
                    ? Embed(await File.ReadAllTextAsync(template, ct).ConfigureAwait(false), dossierCode, track, json.Value.SerializerOptions)
                    : PlainPage(dossierCode, track);
                return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    /// <summary>The page with <c>{"code": ..., "track": ...}</c> in a JSON script element (HTML-escaped: no markup can end it).</summary>
    private static string Embed(string page, string code, TrackInfo? track, JsonSerializerOptions options)
    {
        // Every script is readable Unicode, but <, >, & and quotes are escaped: no text in the data can end the element.
        var safe = new JsonSerializerOptions(options) { Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };
        var data = JsonSerializer.Serialize(new { code, track }, safe);
        var at = page.IndexOf("</head>", StringComparison.OrdinalIgnoreCase);
        var element = $"<script type=\"application/json\" id=\"track-data\">{data}</script>";
        return at < 0 ? page + element : page.Insert(at, element);
    }

    private static string PlainPage(string code, TrackInfo? track)
    {
        string E(string? s) => System.Net.WebUtility.HtmlEncode(s ?? "");
        string T(DateTimeOffset? t) => t?.ToString("HH 'giờ' mm 'phút', 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "—";
        var body = track is null
            ? $"<p>Không tìm thấy hồ sơ có mã <strong>{E(code)}</strong>.</p>"
            : $"<p>Mã hồ sơ: <strong>{E(code)}</strong></p><p>Thủ tục: {E(track.ProcedureName)}</p><p>Tình trạng: <strong>{E(track.StatusText)}</strong></p>" +
              (track.ReturnedAt is { } r ? $"<p>Đã trả kết quả lúc {T(r)}</p>"
                  : track.RefusedAt is { } f ? $"<p>Từ chối lúc {T(f)}: {E(track.RefusalReason)}</p>"
                  : $"<p>Ngày hẹn trả kết quả: <strong>{T(track.AppointmentAt)}</strong></p>");
        return $"<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Tra cứu hồ sơ {E(code)}</title></head><body><h1>Tra cứu tình trạng hồ sơ</h1>{body}</body></html>";
    }
}
