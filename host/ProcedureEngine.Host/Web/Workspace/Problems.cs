namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>The workspace endpoints' errors, in the API's one problem shape (<see cref="Errors.Problems"/>): Vietnamese detail, English detailEn.</summary>
internal static class Problems
{
    public static IResult BadParameter(string parameter, string detail, string reason) =>
        Errors.Problems.InvalidParameter($"{reason} (tham số '{parameter}')", ProblemHandling.Clean(detail));

    public static IResult Forbidden(string detail, string reason) =>
        Errors.Problems.Of(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, reason, detail);

    public static IResult NotFound(string detail, string reason) => Errors.Problems.NotFound(reason, detail);

}
