using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace ProcedureEngine.Host.Web.Errors;

/// <summary>
/// Turns what escapes an endpoint (exceptions, empty 4xx answers from routing and authorization) into the
/// same problem details an endpoint returns. Never writes a .NET type name or a stack trace into an answer:
/// messages of the JSON reader are re-worded from their path and property names only.
/// </summary>
public static partial class ProblemHandling
{
    public static WebApplication UseProblemDetailsForErrors(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // The handler logs server faults itself (below); a client's bad request (4xx) is no error and gets no stack
            // trace in the log, only the request log's line.
            SuppressDiagnosticsCallback = _ => true,
            ExceptionHandler = async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var problem = FromException(exception);
            var log = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ProcedureEngine.Http");
            if (problem.StatusCode == StatusCodes.Status503ServiceUnavailable)
            {
                // The database is away (a failover, a restart): one line, no stack; the readiness probe says the rest.
                log.LogWarning("{Method} {Path} answered 503: the database did not answer ({Reason})", context.Request.Method, context.Request.Path, exception?.GetBaseException().Message);
            }
            else if (problem.StatusCode >= 500)
            {
                log.LogError(exception, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            }

            await Problems.WriteAsync(context, problem).ConfigureAwait(false);
        },
        });

        // Routing (404, 405), a body of the wrong media type (415) and the like answer without a body: give them one.
        app.UseStatusCodePages(async pages =>
        {
            var context = pages.HttpContext;
            var status = context.Response.StatusCode;
            var problem = status switch
            {
                StatusCodes.Status404NotFound => Problems.NotFound($"Không có địa chỉ {context.Request.Path}.", $"no resource at {context.Request.Path}"),
                StatusCodes.Status405MethodNotAllowed => Problems.Of(status, ProblemCodes.MethodNotAllowed,
                    $"Địa chỉ {context.Request.Path} không nhận phương thức {context.Request.Method}.", $"{context.Request.Method} is not allowed on {context.Request.Path}"),
                StatusCodes.Status401Unauthorized => Unauthenticated(null),
                StatusCodes.Status403Forbidden => Forbidden(),
                StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType(context.Request.ContentType),
                _ => Problems.Of(status, status >= 500 ? ProblemCodes.InternalError : ProblemCodes.InvalidParameter,
                    $"Yêu cầu không thực hiện được (mã {status}).", $"the request failed with status {status}"),
            };
            await Problems.WriteAsync(context, problem).ConfigureAwait(false);
        });
        return app;
    }

    public static ProblemResult Unauthenticated(string? why) =>
        Problems.Of(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated,
            why is null ? "Cần gửi mã truy cập: Authorization: Bearer <mã>." : $"Mã truy cập không hợp lệ ({why}).",
            why is null ? "send 'Authorization: Bearer <token>'" : why);

    public static ProblemResult Forbidden() =>
        Problems.Of(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden,
            "Vai trò của người dùng không được thực hiện thao tác này.", "this user's role may not do this");

    internal static ProblemResult UnsupportedMediaType(string? contentType) =>
        Problems.Of(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType,
            $"Kiểu nội dung '{contentType}' không được hỗ trợ; hãy gửi application/json.", $"content type '{contentType}' is not supported; send application/json");

    /// <summary>The problem for an exception that escaped an endpoint.</summary>
    public static ProblemResult FromException(Exception? exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } bad => UnsupportedMediaType(null) with
        {
            Detail = "Kiểu nội dung không được hỗ trợ; hãy gửi application/json.",
            DetailEn = Clean(bad.Message),
        },
        BadHttpRequestException bad => BadBinding(bad),
        DossierNotFoundException e => Problems.DossierNotFound(e.Id),
        DossierChainBrokenException e => Problems.DossierFrozen(e.Id, e.BadVersion, e.Message),
        ConcurrencyException e => Problems.VersionConflict(e.StreamId, e.ExpectedVersion, e.ActualVersion),
        DefinitionRejectedException e => Problems.DefinitionRejected(e),
        IdempotencyKeyReusedException e => Problems.Of(StatusCodes.Status422UnprocessableEntity, ProblemCodes.IdempotencyKeyReused,
            $"Khóa Idempotency-Key \"{e.Key}\" đã được dùng cho một yêu cầu khác; hãy dùng khóa mới.", e.Message) with { IdempotencyKey = e.Key },
        _ when IsTransientStoreFailure(exception) => Problems.Of(StatusCodes.Status503ServiceUnavailable, ProblemCodes.StoreUnavailable,
            "Tạm thời không kết nối được cơ sở dữ liệu; không có gì được ghi. Hãy gửi lại yêu cầu (cùng Idempotency-Key) sau ít giây.",
            "the database is unreachable for now; nothing was written; retry (with the same Idempotency-Key) in a few seconds") with { RetryAfterSeconds = 2 },
        _ => Problems.Of(StatusCodes.Status500InternalServerError, ProblemCodes.InternalError,
            "Lỗi máy chủ; chi tiết được ghi trong nhật ký máy chủ.", "internal error; see the server log"),
    };

    /// <summary>
    /// A database that does not answer (a failover, a restart, a network cut, a busy embedded file): the request wrote
    /// nothing, and the same request later can succeed, so it is a 503 with Retry-After, not a 500.
    /// </summary>
    public static bool IsTransientStoreFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case System.Data.Common.DbException { IsTransient: true }:
                case Npgsql.NpgsqlException { InnerException: System.Net.Sockets.SocketException or System.IO.IOException or TimeoutException }:
                case Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "08006" or "08001" or "08000" or "08003" or "08004" }:
                case Npgsql.PostgresException { SqlState: "55000" } p when p.MessageText.Contains("not currently accepting connections", StringComparison.Ordinal):
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>A body the JSON reader refused: what and where, in the caller's terms (JSON paths and keys).</summary>
    public static ProblemResult InvalidJson(JsonException json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var path = json.Path ?? "$";
        var message = json.Message;
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups[1].Value;
            return Problems.InvalidBody($"Trường '{name}' (tại {path}) không thuộc nội dung của thao tác này.", $"unknown property '{name}' at {path}");
        }

        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = missing.Groups[1].Value.TrimEnd('.');
            return Problems.InvalidBody($"Thiếu trường bắt buộc {names} (tại {path}).", $"missing required property {names} at {path}");
        }

        if (NullNotAllowed().Match(message) is { Success: true } isNull)
        {
            var name = isNull.Groups[1].Value;
            return Problems.InvalidBody($"Trường '{name}' (tại {path}) không được để trống (null).", $"'{name}' at {path} must not be null");
        }

        if (NotConvertible().Match(message) is { Success: true } type)
        {
            return JsonKind(type.Groups[1].Value) is { } kind
                ? Problems.InvalidBody($"Giá trị tại {path} không đúng kiểu: cần {kind}.", $"the value at {path} is not a valid {kind}")
                : Problems.InvalidBody($"Giá trị tại {path} không đúng kiểu.", $"the value at {path} does not have the expected type");
        }

        var where = Position(json);
        return Problems.InvalidBody($"Nội dung không phải JSON hợp lệ (tại {path}{where}).", $"the body is not valid JSON at {path}{where}: {Clean(message)}");
    }

    private static string Position(JsonException json) =>
        json.LineNumber is { } line ? $", dòng {line + 1}, byte {json.BytePositionInLine}" : "";

    private static ProblemResult BadBinding(BadHttpRequestException bad)
    {
        var message = bad.InnerException?.Message ?? bad.Message;
        if (ParameterBinding().Match(message) is { Success: true } p)
        {
            var name = p.Groups["name"].Value;
            var value = p.Groups["value"].Value;
            return Problems.InvalidParameter($"Tham số '{name}' không nhận giá trị '{value}'.", $"parameter '{name}': '{value}' is not valid");
        }

        if (RequiredParameter().Match(message) is { Success: true } r)
        {
            var name = r.Groups["name"].Value;
            return r.Groups["source"].Value == "body"
                ? Problems.InvalidBody("Thiếu nội dung yêu cầu (JSON).", "the request body is required")
                : Problems.InvalidParameter($"Thiếu tham số '{name}'.", $"parameter '{name}' is required");
        }

        if (message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.InvalidBody("Thiếu nội dung yêu cầu (JSON).", "the request body is required");
        }

        return Problems.Of(bad.StatusCode, bad.StatusCode == StatusCodes.Status400BadRequest ? ProblemCodes.InvalidBody : ProblemCodes.InvalidParameter,
            "Yêu cầu không hợp lệ.", Clean(message));
    }

    private static string? JsonKind(string dotnetType)
    {
        var t = dotnetType.TrimEnd('.').Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']');
        return t switch
        {
            "System.String" => "string",
            "System.Boolean" => "boolean",
            "System.Int32" or "System.Int64" or "System.Int16" => "integer",
            "System.Decimal" or "System.Double" or "System.Single" => "number",
            "System.DateTimeOffset" or "System.DateTime" => "date-time (ISO 8601)",
            "System.DateOnly" => "date (yyyy-MM-dd)",
            _ when t.Contains("List`1", StringComparison.Ordinal) || t.EndsWith("[]", StringComparison.Ordinal) => "array",
            _ when t.Contains("Dictionary`2", StringComparison.Ordinal) => "object",
            _ => null,
        };
    }

    /// <summary>Drops anything that looks like a .NET type name from a message.</summary>
    internal static string Clean(string message) => DotnetTypeName().Replace(message, "value").Trim();

    [GeneratedRegex(@"The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex(@"missing required properties including: (.+)$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"(?:property or field|constructor parameter) '([^']*)' on type '[^']*' doesn't allow")]
    private static partial Regex NullNotAllowed();

    [GeneratedRegex(@"could not be converted to ([^\s]+)")]
    private static partial Regex NotConvertible();

    [GeneratedRegex("Failed to bind parameter \"(?:[^\"]* )?(?<name>[^\" ]+)\" from \"(?<value>[^\"]*)\"")]
    private static partial Regex ParameterBinding();

    [GeneratedRegex("Required parameter \"(?:[^\"]* )?(?<name>[^\" ]+)\" was not provided from (?<source>[a-z ]+)")]
    private static partial Regex RequiredParameter();

    [GeneratedRegex(@"'?\b(?:System|Microsoft|ProcedureEngine)(?:\.[A-Za-z0-9_`\[\],]+)+'?")]
    private static partial Regex DotnetTypeName();
}
