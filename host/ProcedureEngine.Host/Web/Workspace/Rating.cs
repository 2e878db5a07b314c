using System.Security.Cryptography;

namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>
/// The applicant's one-time rating link: <c>/track/?code=CODE&amp;rate=TOKEN</c>, printed as a QR code on the result
/// slip. The token is an HMAC of the dossier id under a key kept in the data folder (created at first use), so
/// only the slip's holder can rate; the decider accepts one evaluation per dossier, which makes the link one-time.
/// </summary>
public sealed class RatingLinks
{
    private readonly byte[] key;

    public RatingLinks(string dataRoot)
    {
        var path = Path.Combine(dataRoot, "rating-key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataRoot);
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                file.Write(RandomNumberGenerator.GetBytes(32));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another node created it first: use theirs.
            }
        }

        key = File.ReadAllBytes(path);
    }

    public string Token(string dossierId) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("rate:" + dossierId)), 0, 16)
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public bool Verify(string dossierId, string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Token(dossierId)), Encoding.ASCII.GetBytes(token));

    public static string Url(string baseUrl, string code, string token) =>
        $"{baseUrl.TrimEnd('/')}/track/?code={Uri.EscapeDataString(code)}&rate={Uri.EscapeDataString(token)}";
}

/// <summary>POST /api/track/{code}/rating: the four Decision 766 criteria, 1..5 each, and an optional comment.</summary>
public sealed record RatingBody(string? Token, int? TimeTaken, int? Contacts, int? Accuracy, int? Attitude, string? Comment);

public static class RatingEndpoints
{
    public static void MapRating(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/track/{code}/rating", async (string code, RatingBody body, RatingLinks links, AuditTimeline audit, DossierService service, CancellationToken ct) =>
            {
                if (await audit.ResolveAsync(code, ct).ConfigureAwait(false) is not { } id)
                {
                    return Problems.NotFound($"no dossier with code '{code}'", "Không tìm thấy hồ sơ.");
                }

                if (!links.Verify(id, body.Token))
                {
                    return Problems.Forbidden("the rating link is not this dossier's", "Đường dẫn đánh giá không đúng: hãy quét mã QR trên phiếu trả kết quả.");
                }

                var criteria = new Dictionary<string, int?>
                {
                    [EvaluationCriteria.TimeTaken] = body.TimeTaken,
                    [EvaluationCriteria.Contacts] = body.Contacts,
                    [EvaluationCriteria.Accuracy] = body.Accuracy,
                    [EvaluationCriteria.Attitude] = body.Attitude,
                };
                if (criteria.FirstOrDefault(c => c.Value is null or < 1 or > 5) is { Key: { } missing })
                {
                    return Problems.BadParameter(missing, $"{missing} must be 1..5", "Mỗi tiêu chí cần một mức từ 1 đến 5.");
                }

                if (body.Comment is { Length: > 1000 })
                {
                    return Problems.BadParameter("comment", "comment is at most 1000 characters", "Góp ý tối đa 1000 ký tự.");
                }

                var scores = criteria.ToImmutableDictionary(c => c.Key, c => c.Value!.Value, StringComparer.Ordinal);
                var overall = (int)Math.Round(scores.Values.Average(), MidpointRounding.AwayFromZero);
                var by = new Actor("applicant", Actor.ApplicantAgency);
                try
                {
                    var outcome = await service.ActAsync(id, (at, _) => new EvaluateDossier(at, by, overall, body.Comment) { Criteria = scores },
                        null, null, by, ct).ConfigureAwait(false);
                    if (outcome.Rejection is { } rejection)
                    {
                        return Errors.Problems.Rejected(rejection);
                    }

                    return Results.Json(new { code, score = overall, criteria = scores, status = outcome.Dossier!.State.Status == DossierStatus.Returned ? "returned" : "other" });
                }
                catch (DossierChainBrokenException e)
                {
                    return Errors.Problems.DossierFrozen(code, null, e.Message);
                }
            })
            .AllowAnonymous()
            .WithTags("Public")
            .WithSummary("The applicant's satisfaction rating from the one-time link on the result slip (Decision 766 criteria), recorded as the dossier's evaluation event");
    }
}
