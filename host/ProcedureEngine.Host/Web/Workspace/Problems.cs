namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>RFC 9457 problem details for the workspace endpoints: English detail, Vietnamese <c>reason</c>, and where.</summary>
internal static class Problems
{
    public static IResult BadParameter(string parameter, string detail, string reason) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter, ["reason"] = reason });

    public static IResult Forbidden(string detail, string reason) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            extensions: new Dictionary<string, object?> { ["reason"] = reason });

    public static IResult NotFound(string detail, string reason) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found",
            extensions: new Dictionary<string, object?> { ["reason"] = reason });

    public static IResult Unprocessable(string detail, string reason, IDictionary<string, object?>? more = null)
    {
        var extensions = new Dictionary<string, object?>(more ?? new Dictionary<string, object?>()) { ["reason"] = reason };
        return Results.Problem(detail: detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unprocessable", extensions: extensions);
    }
}
