using System.Collections.Frozen;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ProcedureEngine.Host.Web.Errors;

/// <summary>Codes of the problems the HTTP layer itself reports (the decider's refusals use <see cref="RejectionCodes"/>).</summary>
public static class ProblemCodes
{
    public const string InvalidBody = "invalid-body";
    public const string InvalidParameter = "invalid-parameter";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";
    public const string DossierNotFound = "dossier-not-found";
    public const string MethodNotAllowed = "method-not-allowed";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string VersionConflict = "version-conflict";
    public const string DossierFrozen = "dossier-frozen";
    public const string UnknownProcedure = "unknown-procedure";
    public const string DefinitionRejected = "definition-rejected";
    public const string DefinitionExists = "definition-exists";
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    public const string CsrfHeaderMissing = "csrf-header-missing";
    public const string InternalError = "internal-error";
    public const string StoreUnavailable = "store-unavailable";
}

/// <summary>
/// The one way an endpoint reports an error: return one of these (or throw one of the exceptions the
/// server's handler maps, see <see cref="ProblemHandling"/>). Every error body is then the same
/// <see cref="ApiProblem"/>, whatever the endpoint.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public const string TypePrefix = "urn:procedure-engine:problem:";

    /// <summary>Vietnamese and English title of each code. A code missing here (a new rejection) gets the generic refusal title.</summary>
    private static readonly FrozenDictionary<string, (string Vi, string En)> Titles = new Dictionary<string, (string, string)>
    {
        [ProblemCodes.InvalidBody] = ("Nội dung yêu cầu không hợp lệ", "The request body is not valid"),
        [ProblemCodes.InvalidParameter] = ("Tham số không hợp lệ", "A request parameter is not valid"),
        [ProblemCodes.Unauthenticated] = ("Chưa xác thực", "Authentication required"),
        [ProblemCodes.Forbidden] = ("Không có quyền thực hiện", "Not allowed for this role"),
        [ProblemCodes.NotFound] = ("Không tìm thấy", "Not found"),
        [ProblemCodes.DossierNotFound] = ("Không tìm thấy hồ sơ", "No such dossier"),
        [ProblemCodes.MethodNotAllowed] = ("Phương thức không được hỗ trợ", "Method not allowed"),
        [ProblemCodes.UnsupportedMediaType] = ("Kiểu nội dung không được hỗ trợ", "Unsupported media type"),
        [ProblemCodes.VersionConflict] = ("Hồ sơ đã thay đổi", "The dossier has changed"),
        [ProblemCodes.DossierFrozen] = ("Hồ sơ bị khóa do sai lệch chuỗi băm", "The dossier is frozen: its hash chain is broken"),
        [ProblemCodes.UnknownProcedure] = ("Không có thủ tục áp dụng", "No applicable procedure"),
        [ProblemCodes.DefinitionRejected] = ("Định nghĩa thủ tục bị từ chối", "The definition was refused"),
        [ProblemCodes.DefinitionExists] = ("Định nghĩa thủ tục đã tồn tại", "The definition already exists"),
        [ProblemCodes.IdempotencyKeyReused] = ("Khóa Idempotency-Key đã dùng cho yêu cầu khác", "Idempotency-Key already used for another request"),
        [ProblemCodes.CsrfHeaderMissing] = ("Thiếu tiêu đề chống giả mạo yêu cầu", "The anti-forgery header is missing"),
        [ProblemCodes.InternalError] = ("Lỗi máy chủ", "Internal server error"),
        [ProblemCodes.StoreUnavailable] = ("Tạm thời không kết nối được cơ sở dữ liệu", "The database is temporarily unavailable"),
        ["too-many-requests"] = ("Quá nhiều yêu cầu", "Too many requests"),
        ["calendar-invalid"] = ("Tệp lịch không hợp lệ", "The calendar file is not valid"),
        ["notification-not-dead"] = ("Tin nhắn không ở trạng thái hỏng", "The message is not dead"),
        [RejectionCodes.AppointmentBeyondBound] = ("Ngày hẹn mới vượt quá giới hạn", "The new appointment is beyond the bound"),
        [RejectionCodes.WrongAgency] = ("Không đúng cơ quan giải quyết", "Wrong agency"),
        [RejectionCodes.StepNotActive] = ("Bước xử lý chưa đến lượt hoặc đã xong", "The step is not active"),
        [RejectionCodes.UnknownStep] = ("Không có bước xử lý này", "Unknown step"),
        [RejectionCodes.UndeclaredDocument] = ("Giấy tờ không có trong thành phần hồ sơ", "Document not declared by the procedure"),
        [RejectionCodes.SecondApology] = ("Đã xin lỗi một lần", "An apology was already issued"),
        [RejectionCodes.DossierFinished] = ("Hồ sơ đã kết thúc", "The dossier is finished"),
        [RejectionCodes.NotReceived] = ("Hồ sơ chưa được tiếp nhận", "The dossier has not been received"),
        [RejectionCodes.AlreadyReceived] = ("Hồ sơ đã được tiếp nhận", "The dossier was already received"),
        [RejectionCodes.NotOneStop] = ("Chỉ bộ phận một cửa được thực hiện", "Only the one-stop unit may do this"),
        [RejectionCodes.VersionNotInEffect] = ("Phiên bản thủ tục không có hiệu lực", "The procedure version is not in effect"),
        [RejectionCodes.InvalidInput] = ("Thông tin kê khai không hợp lệ", "An input is not valid"),
        [RejectionCodes.OutcomeNotAllowed] = ("Kết quả xử lý không được phép", "Outcome not allowed"),
        [RejectionCodes.SupplementNotAllowed] = ("Không được yêu cầu bổ sung", "A supplement request is not allowed"),
        [RejectionCodes.SupplementPending] = ("Đang chờ bổ sung hồ sơ", "A supplement request is pending"),
        [RejectionCodes.NoSupplementRequested] = ("Không có yêu cầu bổ sung", "No supplement was requested"),
        [RejectionCodes.SupplementIncomplete] = ("Bổ sung chưa đủ giấy tờ", "The supplement is incomplete"),
        [RejectionCodes.ResultNotReady] = ("Chưa có kết quả giải quyết", "The result is not ready"),
        [RejectionCodes.DecisionIssued] = ("Đã có kết quả giải quyết", "A decision was already issued"),
        [RejectionCodes.NotReturned] = ("Chưa trả kết quả", "The result has not been returned"),
        [RejectionCodes.AlreadyEvaluated] = ("Đã đánh giá", "Already evaluated"),
        [RejectionCodes.InvalidScore] = ("Điểm đánh giá không hợp lệ", "Invalid score"),
        [RejectionCodes.UnknownAgency] = ("Không có cơ quan này trong quy trình", "Unknown agency"),
        [RejectionCodes.AppointmentNotLater] = ("Ngày hẹn mới phải sau ngày hẹn cũ", "The new appointment must be later"),
        [RejectionCodes.ReasonRequired] = ("Phải nêu lý do", "A reason is required"),
        [RejectionCodes.TimeGoesBackwards] = ("Thời điểm trước sự kiện gần nhất", "Time goes backwards"),
        [RejectionCodes.DefinitionMismatch] = ("Không đúng phiên bản thủ tục của hồ sơ", "Definition mismatch"),
        [RejectionCodes.DefinitionInvalid] = ("Quy trình không hợp lệ", "The procedure definition is invalid"),
        [RejectionCodes.NothingRequested] = ("Không có giấy tờ nào được yêu cầu", "Nothing requested"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The Vietnamese and English title of a code.</summary>
    public static (string Vi, string En) TitleOf(string code) =>
        Titles.TryGetValue(code, out var t) ? t : ("Thao tác bị từ chối", "The action was refused");

    /// <summary>Every code with a title of its own (for docs/http-api.md and the tests).</summary>
    public static IEnumerable<string> KnownCodes => Titles.Keys;

    /// <summary>A problem of any code and status: the building block of the helpers below.</summary>
    public static ProblemResult Of(int status, string code, string detail, string detailEn) => new(status, code, detail, detailEn);

    /// <summary>422: the decider refused the command (its rule code, Vietnamese reason, English reason).</summary>
    public static ProblemResult Rejected(Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return Of(StatusCodes.Status422UnprocessableEntity, rejection.Code, rejection.Message, rejection.MessageEn);
    }

    /// <summary>400: a query, route or header value that is not what the endpoint takes.</summary>
    public static ProblemResult InvalidParameter(string detail, string detailEn) =>
        Of(StatusCodes.Status400BadRequest, ProblemCodes.InvalidParameter, detail, detailEn);

    /// <summary>400: the body is not what the endpoint takes.</summary>
    public static ProblemResult InvalidBody(string detail, string detailEn) =>
        Of(StatusCodes.Status400BadRequest, ProblemCodes.InvalidBody, detail, detailEn);

    public static ProblemResult DossierNotFound(string id) =>
        Of(StatusCodes.Status404NotFound, ProblemCodes.DossierNotFound, $"Không có hồ sơ '{id}'.", $"no dossier '{id}'");

    /// <summary>404 for anything else that is not there (a letter, a definition, a draft).</summary>
    public static ProblemResult NotFound(string detail, string detailEn) =>
        Of(StatusCodes.Status404NotFound, ProblemCodes.NotFound, detail, detailEn);

    /// <summary>409: the If-Match version is not the dossier's version.</summary>
    public static ProblemResult VersionConflict(string id, long? expected, long current) =>
        Of(StatusCodes.Status409Conflict, ProblemCodes.VersionConflict,
            $"Hồ sơ {id} đã thay đổi (phiên bản hiện tại {current}{(expected is { } e ? $", yêu cầu gửi theo phiên bản {e}" : "")}); hãy tải lại hồ sơ rồi thực hiện lại.",
            $"dossier {id} is at version {current}{(expected is { } x ? $", not {x}" : "")}; re-read it and retry")
            with { CurrentVersion = current };

    /// <summary>423: the dossier's events fail their hash check; nothing is written to it.</summary>
    public static ProblemResult DossierFrozen(string id, long? badVersion, string detailEn) =>
        Of(StatusCodes.Status423Locked, ProblemCodes.DossierFrozen,
            $"Hồ sơ {id} bị khóa: lịch sử sự kiện không khớp chuỗi băm{(badVersion is { } v ? $" từ phiên bản {v}" : "")}; không ghi thêm gì. Cán bộ kiểm soát cần kiểm tra (replay, verify).",
            detailEn) with { BadVersion = badVersion };

    /// <summary>A refused definition (422, or 409 when that code and version exist), with every validation problem.</summary>
    public static ProblemResult DefinitionRejected(DefinitionRejectedException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Of(e.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity,
                e.Conflict ? ProblemCodes.DefinitionExists : ProblemCodes.DefinitionRejected, e.Reason, e.Message)
            with { Problems = [.. e.Problems.Select(ProblemJson.From)] };
    }

    internal static ApiProblem Build(ProblemResult r, HttpContext context)
    {
        var (vi, en) = TitleOf(r.Code);
        return new ApiProblem
        {
            Type = TypePrefix + r.Code,
            Title = vi,
            Status = r.StatusCode,
            Detail = r.Detail,
            Instance = context.Request.PathBase + context.Request.Path,
            Code = r.Code,
            TitleEn = en,
            DetailEn = r.DetailEn,
            CurrentVersion = r.CurrentVersion,
            BadVersion = r.BadVersion,
            IdempotencyKey = r.IdempotencyKey,
            Problems = r.Problems,
        };
    }

    /// <summary>Writes the problem as the answer (for middleware; endpoints return a <see cref="ProblemResult"/>).</summary>
    public static Task WriteAsync(HttpContext context, ProblemResult problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        return problem.ExecuteAsync(context);
    }

    internal static JsonSerializerOptions JsonOptions(HttpContext context) =>
        context.RequestServices.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions ?? JsonSerializerOptions.Web;
}

/// <summary>An error answer: <c>application/problem+json</c> with an <see cref="ApiProblem"/> body.</summary>
public sealed record ProblemResult(int StatusCode, string Code, string Detail, string DetailEn)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public long? CurrentVersion { get; init; }

    public long? BadVersion { get; init; }

    public string? IdempotencyKey { get; init; }

    public IReadOnlyList<ProblemJson>? Problems { get; init; }

    /// <summary>503: when to try again (the Retry-After header, seconds).</summary>
    public int? RetryAfterSeconds { get; init; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    string IContentTypeHttpResult.ContentType => Errors.Problems.ContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var body = Errors.Problems.Build(this, httpContext);
        httpContext.Response.StatusCode = StatusCode;
        if (RetryAfterSeconds is { } seconds)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await httpContext.Response.WriteAsJsonAsync(body, Errors.Problems.JsonOptions(httpContext), Errors.Problems.ContentType, httpContext.RequestAborted)
            .ConfigureAwait(false);
    }
}

/// <summary>Declares the problem answers an endpoint gives, so the OpenAPI document lists each status with its schema.</summary>
public static class ProblemMetadata
{
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ApiProblem), [Problems.ContentType]));
        }

        return builder;
    }
}
