using System.Text.Json.Nodes;

namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>
/// The auditor's view of a dossier: every stored event with its hash and whether it verifies, the state at any
/// instant folded by the decider from the trusted events (as <c>replay --at</c> does), and, when the chain is broken,
/// the intact events before the first bad version, that version named, and the last state they give.
/// </summary>
public sealed class AuditTimeline(IEventStore store, CatalogNames names, ReadModelSql sql)
{
    public const int HashPrefix = 12;

    private readonly DossierEventStore dossiers = new(store);

    /// <summary>The stream id of a dossier named by its stream id or its code; null when neither is known.</summary>
    public async Task<string?> ResolveAsync(string idOrCode, CancellationToken ct)
    {
        if (await store.GetStreamVersionAsync(idOrCode, ct).ConfigureAwait(false) > 0)
        {
            return idOrCode;
        }

        var ids = await sql.QueryAsync($"SELECT dossier_id FROM {DossierSummaryProjection.Table.Name} WHERE dossier_code = @code",
            [("@code", idOrCode)], r => r.GetString(0), ct).ConfigureAwait(false);
        return ids.Count == 1 ? ids[0] : null;
    }

    /// <summary>The timeline, with the state at <paramref name="at"/> (default: after the last trusted event).</summary>
    public async Task<JsonObject> TimelineAsync(string id, DateTimeOffset? at, CancellationToken ct)
    {
        var verification = await store.VerifyStreamAsync(id, ct).ConfigureAwait(false);
        var stored = await store.ReadStreamAsync(id, null, ct).ConfigureAwait(false);
        var firstBad = verification.IsValid ? (long?)null : verification.BadVersion ?? 1;
        var calendar = WorkingCalendar.Vietnam();
        var events = new JsonArray();
        var trusted = new List<(StoredEvent Stored, DossierEvent Event)>();
        foreach (var e in stored)
        {
            var verified = firstBad is null || e.Version < firstBad;
            DossierEvent? decoded = null;
            if (verified)
            {
                try
                {
                    decoded = dossiers.Deserialize(e);
                    trusted.Add((e, decoded));
                }
                catch (CorruptEventException)
                {
                    verified = false;
                    firstBad ??= e.Version;
                }
            }

            events.Add(new JsonObject
            {
                ["version"] = e.Version,
                ["type"] = e.Type,
                ["typeName"] = EventNames.Vietnamese(e.Type),
                ["summary"] = decoded is null ? null : EventNames.Summary(decoded, names),
                ["user"] = e.Metadata.Actor.User,
                ["agency"] = e.Metadata.Actor.Agency,
                ["agencyName"] = names.Agency(e.Metadata.Actor.Agency),
                ["at"] = SimulationOutput.Time(e.Metadata.Time, calendar),
                ["hash"] = Convert.ToHexStringLower(e.Hash.Span)[..HashPrefix],
                ["verified"] = verified,
            });
        }

        // The same fold as `replay --at`: the events recorded at or before the instant, through the decider's Evolve.
        var upTo = trusted.Where(t => at is null || t.Stored.Metadata.Time <= at).ToList();
        var state = Decider.Fold(upTo.Select(t => t.Event));
        var lastTrusted = Decider.Fold(trusted.Select(t => t.Event));
        return new JsonObject
        {
            ["dossierId"] = id,
            ["code"] = lastTrusted.Code,
            ["procedureName"] = lastTrusted.ProcedureName,
            ["chainIntact"] = firstBad is null,
            ["firstBadVersion"] = firstBad,
            ["problem"] = verification.IsValid ? null : verification.Reason,
            ["events"] = events,
            ["from"] = stored.Count == 0 ? null : SimulationOutput.Time(stored[0].Metadata.Time, calendar),
            ["to"] = stored.Count == 0 ? null : SimulationOutput.Time(stored[^1].Metadata.Time, calendar),
            ["at"] = SimulationOutput.TimeOrNull(at, calendar),
            ["eventsUpToAt"] = upTo.Count,
            ["state"] = StateJson(id, state, calendar),
            ["lastTrustedVersion"] = trusted.Count == 0 ? 0 : trusted[^1].Stored.Version,
            ["lastTrustedState"] = StateJson(id, lastTrusted, calendar),
        };
    }

    private static JsonObject StateJson(string id, DossierState state, IWorkingCalendar calendar)
    {
        var json = SimulationOutput.DossierObject(id, state, calendar);
        json["statusText"] = EventNames.Status(state.Status);
        return json;
    }
}

/// <summary>Vietnamese names of event types and statuses, and one line saying what an event did.</summary>
public static class EventNames
{
    public static string Vietnamese(string type) => type switch
    {
        nameof(DossierSubmitted) => "Nộp hồ sơ trực tuyến",
        nameof(ReceiptGuidanceIssued) => "Hướng dẫn bổ sung khi tiếp nhận",
        nameof(DossierReceived) => "Tiếp nhận hồ sơ",
        nameof(DossierRefused) => "Từ chối hồ sơ",
        nameof(SupplementRequested) => "Yêu cầu bổ sung hồ sơ",
        nameof(SupplementProvided) => "Công dân bổ sung hồ sơ",
        nameof(StepStarted) => "Bắt đầu bước xử lý",
        nameof(StepCompleted) => "Hoàn thành bước xử lý",
        nameof(StepSkipped) => "Bỏ qua bước xử lý",
        nameof(DeadlineWarning) => "Cảnh báo sắp đến hạn",
        nameof(StepOverdue) => "Bước xử lý quá hạn",
        nameof(DossierOverdue) => "Hồ sơ quá hạn",
        nameof(ApologyIssued) => "Thư xin lỗi và hẹn lại",
        nameof(ResultReady) => "Có kết quả, chờ trả",
        nameof(ResultReturned) => "Trả kết quả",
        nameof(DossierWithdrawn) => "Rút hồ sơ",
        nameof(DossierClosed) => "Dừng giải quyết",
        nameof(DossierEvaluated) => "Đánh giá mức độ hài lòng",
        nameof(AcceptanceOverdue) => "Quá hạn tiếp nhận trực tuyến",
        _ => type,
    };

    public static string Status(DossierStatus status) => status switch
    {
        DossierStatus.New => "Mới",
        DossierStatus.Submitted => "Chờ tiếp nhận",
        DossierStatus.Received => "Đã tiếp nhận",
        DossierStatus.InProgress => "Đang giải quyết",
        DossierStatus.AwaitingSupplement => "Chờ bổ sung",
        DossierStatus.ResultReady => "Đã có kết quả, chờ trả",
        DossierStatus.Returned => "Đã trả kết quả",
        DossierStatus.Refused => "Từ chối",
        DossierStatus.Withdrawn => "Đã rút hồ sơ",
        DossierStatus.Closed => "Dừng giải quyết",
        _ => status.ToString(),
    };

    public static string? Summary(DossierEvent e, CatalogNames names) => e switch
    {
        DossierReceived r => $"{r.DossierCode} — {r.ProcedureName}",
        StepStarted s => $"{s.StepId} tại {names.Agency(s.Agency)}",
        StepCompleted c => $"{c.StepId}: {c.Outcome}",
        SupplementRequested q => q.Reason,
        DossierRefused f => f.Reason,
        ApologyIssued a => $"{names.Agency(a.AgencyAtFault)}: {a.Reason}",
        DossierEvaluated v => $"{v.Score.ToString(CultureInfo.InvariantCulture)}/5",
        _ => null,
    };
}

/// <summary>/api/audit: the timeline of a dossier and the store-wide verification with the seal comparison.</summary>
public static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit")
            .RequireAuthorization(p => p.RequireRole(nameof(UserRole.Auditor), nameof(UserRole.Admin)));

        group.MapGet("/dossiers/{idOrCode}/timeline", async (string idOrCode, string? at, AuditTimeline audit, CancellationToken ct) =>
            {
                DateTimeOffset? when = null;
                if (at is not null)
                {
                    if (!SimulationOutput.TryParseInstant(at, out var parsed))
                    {
                        return Problems.BadParameter("at", $"at='{at}' is not an ISO 8601 time", "Thời điểm không đúng định dạng ISO 8601.");
                    }

                    when = parsed;
                }

                return await audit.ResolveAsync(idOrCode, ct).ConfigureAwait(false) is { } id
                    ? Results.Json(await audit.TimelineAsync(id, when, ct).ConfigureAwait(false))
                    : Problems.NotFound($"no dossier '{idOrCode}'", "Không tìm thấy hồ sơ.");
            })
            .WithSummary("A dossier's events (Vietnamese type, actor, agency, instant, hash prefix, verified) and its state at an instant; a broken chain names the first bad version and keeps the last trusted state");

        group.MapPost("/verify", async (HttpRequest request, IEventStore store, TimeProvider clock, CancellationToken ct) =>
            {
                StoreSeal? against = null;
                if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
                {
                    using var reader = new StreamReader(request.Body);
                    var text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        try
                        {
                            against = StoreSeal.Parse(text, "the request body");
                        }
                        catch (FormatException e)
                        {
                            return Problems.BadParameter("body", e.Message, "Tệp niêm phong không hợp lệ.");
                        }
                    }
                }

                var report = await StoreAudit.RunAsync(store, against, clock.GetUtcNow(), cancellationToken: ct).ConfigureAwait(false);
                return Results.Json(new JsonObject
                {
                    ["intact"] = report.IsIntact,
                    ["streams"] = report.Streams,
                    ["events"] = report.Events,
                    ["digest"] = report.Current.Digest,
                    ["comparedWith"] = report.ComparedWith is { } s ? new JsonObject
                    {
                        ["sealedAt"] = s.SealedAt.ToString("O", CultureInfo.InvariantCulture),
                        ["streams"] = s.Streams,
                        ["events"] = s.Events,
                        ["digest"] = s.Digest,
                    } : null,
                    ["findings"] = new JsonArray([.. report.Findings.Select(f => (JsonNode)new JsonObject
                    {
                        ["stream"] = f.Stream,
                        ["version"] = f.Version,
                        ["kind"] = JsonNamingPolicy.CamelCase.ConvertName(f.Kind.ToString()),
                        ["kindText"] = KindText(f.Kind),
                        ["message"] = f.Message,
                    })]),
                    ["seal"] = JsonNode.Parse(report.Current.ToJson()),
                });
            })
            .WithSummary("Verify the whole store (every hash, link and head); with a seal file as the body, also that every sealed head is still there. The answer carries the current seal to keep");
    }

    private static string KindText(AuditFindingKind kind) => kind switch
    {
        AuditFindingKind.Altered => "Nội dung bị sửa",
        AuditFindingKind.ChainLink => "Mắt xích bị thay",
        AuditFindingKind.Missing => "Sự kiện bị xóa",
        AuditFindingKind.Head => "Đầu chuỗi không khớp",
        AuditFindingKind.Rewritten => "Lịch sử đã niêm phong bị viết lại",
        AuditFindingKind.Truncated => "Chuỗi ngắn hơn khi niêm phong",
        _ => kind.ToString(),
    };
}
