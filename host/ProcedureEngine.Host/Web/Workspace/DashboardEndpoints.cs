using System.Net;
using QRCoder;

namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>/api/dashboard (+ CSV/XLSX export) and the result slip with the rating QR code.</summary>
public static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard", async (DateOnly? from, DateOnly? to, DashboardQueries queries, TimeProvider clock, CancellationToken ct) =>
                Period(from, to, clock, out var f, out var t) is { } problem ? problem : Results.Json(await queries.BuildAsync(f, t, ct).ConfigureAwait(false)))
            .RequireAuthorization(Policies.Read)
            .WithTags("Reports")
            .Produces<DashboardData>()
            .WithSummary("The supervisors' dashboard over a period (default: the last 30 days): open work, overdue and at-risk lists, on-time rates with names, apologies, processing time against the legal limit, satisfaction, Decision 766 indicators with formulas");

        app.MapGet("/api/dashboard/export", async (DateOnly? from, DateOnly? to, string? format, DashboardQueries queries, TimeProvider clock, CancellationToken ct) =>
            {
                if (Period(from, to, clock, out var f, out var t) is { } problem)
                {
                    return problem;
                }

                if (format is not ("csv" or "xlsx"))
                {
                    return Problems.BadParameter("format", $"format '{format}' is not csv or xlsx", "Định dạng xuất là csv hoặc xlsx.");
                }

                var data = await queries.BuildAsync(f, t, ct).ConfigureAwait(false);
                var name = $"bao-cao-{f:yyyyMMdd}-{t:yyyyMMdd}";
                return format == "csv"
                    ? Results.File(DashboardExport.Csv(data), "text/csv; charset=utf-8", name + ".csv")
                    : Results.File(DashboardExport.Xlsx(data), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
            })
            .RequireAuthorization(Policies.Read)
            .WithTags("Reports")
            .WithSummary("The dashboard's tables as CSV (UTF-8) or XLSX (one sheet per table)");

        app.MapGet("/api/dossiers/{id}/result-slip", async (string id, DossierService service, RatingLinks links, PublicSite site, CatalogNames names, CancellationToken ct) =>
            {
                if (await service.LoadAsync(id, null, ct).ConfigureAwait(false) is not { State.Code: { } code } dossier)
                {
                    return Problems.NotFound($"no received dossier '{id}'", "Không tìm thấy hồ sơ đã tiếp nhận.");
                }

                var url = RatingLinks.Url(site.BaseUrl, code, links.Token(dossier.Id));
                return Results.Content(ResultSlip(code, dossier.State.ProcedureName ?? "", names.Agency(dossier.State.ReceivedBy?.Agency), dossier.State.ReturnedAt, url), "text/html; charset=utf-8");
            })
            .RequireAuthorization(Policies.Read)
            .WithTags("Dossiers")
            .WithSummary("The result slip handed over with the result (A5, to print): the QR code of the applicant's one-time rating link");
    }

    private static IResult? Period(DateOnly? from, DateOnly? to, TimeProvider clock, out DateOnly f, out DateOnly t)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ReadModelSql.VietnamOffset).DateTime);
        t = to ?? today;
        f = from ?? t.AddDays(-29);
        if (f.Year < 2000 || t.Year > 2100)
        {
            return Problems.BadParameter(from is { Year: < 2000 } ? "from" : "to", "dates are between 2000 and 2100", "Ngày phải trong khoảng 2000–2100.");
        }

        return t < f ? Problems.BadParameter("to", "to is before from", "Ngày kết thúc trước ngày bắt đầu.") : null;
    }

    private static string ResultSlip(string code, string procedure, string agency, DateTimeOffset? returnedAt, string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        string E(string s) => WebUtility.HtmlEncode(s);
        var returned = returnedAt?.ToOffset(ReadModelSql.VietnamOffset).ToString("HH 'giờ' mm 'phút', 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture);
        return $$"""
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Phiếu trả kết quả {{E(code)}}</title>
            <style>
              @page { size: A5; margin: 12mm; }
              body { font-family: "Times New Roman", serif; font-size: 13pt; max-width: 148mm; margin: 0 auto; color: #000; }
              h1 { font-size: 14pt; text-align: center; text-transform: uppercase; }
              .qr { text-align: center; } .qr svg { width: 45mm; height: 45mm; }
              .link { word-break: break-all; font-size: 9pt; }
            </style></head>
            <body>
              <h1>Phiếu trả kết quả</h1>
              <p>Mã hồ sơ: <strong>{{E(code)}}</strong></p>
              <p>Thủ tục: {{E(procedure)}}</p>
              <p>Nơi trả kết quả: {{E(agency)}}</p>
              <p>Thời điểm trả kết quả: {{E(returned ?? "chưa trả")}}</p>
              <h2>Đánh giá mức độ hài lòng</h2>
              <p>Quét mã QR để đánh giá việc giải quyết hồ sơ (thời gian, số lần liên hệ, thông tin công khai, thái độ cán bộ). Mỗi hồ sơ được đánh giá một lần.</p>
              <div class="qr" aria-label="Mã QR đánh giá">{{svg}}</div>
              <p class="link">{{E(url)}}</p>
            </body></html>
            """;
    }
}
