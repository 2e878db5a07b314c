using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ProcedureEngine.Dossiers;
using ProcedureEngine.Host.Web.Errors;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// Every error answer of the API has one shape: RFC 9457 problem details (application/problem+json) with a
/// stable type per code, Vietnamese title and detail, English in titleEn/detailEn, no .NET type names or
/// stack traces. The walk takes the endpoints from the running server, so a new endpoint is walked too.
/// </summary>
public sealed partial class ErrorShapeTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    private static readonly HashSet<string> Codes =
        [.. Problems.KnownCodes, .. typeof(RejectionCodes).GetFields().Select(f => (string)f.GetValue(null)!)];

    /// <summary>A user whose role the policy does not admit, and one it does.</summary>
    private static (string Outsider, string Insider) UsersFor(string? policy) => policy switch
    {
        "read" => ("cong-dvc", "kiem-soat-01"),
        "submit-online" => ("cb-motcua-01", "cong-dvc"),
        "act-on-dossiers" => ("kiem-soat-01", "cb-motcua-01"),
        "author" => ("cb-motcua-01", "admin"),
        _ => throw new InvalidOperationException($"policy '{policy}' has no users in this test: add them"),
    };

    [Fact]
    public async Task Every_endpoint_answers_every_error_as_problem_details_of_one_shape()
    {
        var endpoints = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .ToList();
        endpoints.Count.ShouldBeGreaterThan(15);
        var walked = new List<string>();

        foreach (var endpoint in endpoints)
        {
            var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Single();
            var path = Placeholder().Replace(endpoint.RoutePattern.RawText!, m => m.Groups[2].Value == "int" ? "999" : "nope");
            var policy = endpoint.Metadata.GetMetadata<IAuthorizeData>()?.Policy;
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var errors = 0;

            if (!anonymous)
            {
                var (outsider, insider) = UsersFor(policy);
                errors += await ExpectProblemAsync(null, method, path, null, 401, "unauthenticated");
                errors += await ExpectProblemAsync("not-a-token", method, path, null, 401, "unauthenticated");
                errors += await ExpectProblemAsync(outsider, method, path, null, 403, "forbidden");
                errors += await ProbeAsync(insider, method, path);
            }
            else
            {
                errors += await ProbeAsync(null, method, path);
            }

            errors.ShouldBeGreaterThan(0, $"{method} {path}: no error path was reached");
            walked.Add($"{method} {endpoint.RoutePattern.RawText}");
        }

        walked.Count.ShouldBe(endpoints.Count);

        // Outside any endpoint: an unknown address and a method an address does not take.
        await ExpectProblemAsync("kiem-soat-01", "GET", "/api/nothing-here", null, 404, "not-found");
        await ExpectProblemAsync("kiem-soat-01", "DELETE", "/api/dossiers", null, 405, "method-not-allowed");
    }

    /// <summary>Unknown ids, a malformed body, an unknown key, nonsense query values: whatever the answer, an error is a problem.</summary>
    private async Task<int> ProbeAsync(string? user, string method, string path)
    {
        var errors = 0;
        var bodies = method == "POST" ? new string?[] { "{", """{"unknownKey":1}""", "[]" } : [null];
        foreach (var body in bodies)
        {
            errors += await AnyProblemAsync(user, method, path, body);
            errors += await AnyProblemAsync(user, method, path + "?at=yesterday&limit=abc&offset=-1&format=doc&groupBy=colour&from=tomorrow&overdue=maybe", body);
        }

        return errors;
    }

    private async Task<int> AnyProblemAsync(string? user, string method, string path, string? body)
    {
        var (status, json) = await SendAsync(user, method, path, body);
        if (status < 400)
        {
            return 0;
        }

        json.ShouldBeProblem(status, json?["code"]?.GetValue<string>() ?? "?");
        Codes.ShouldContain(json!["code"]!.GetValue<string>(), $"{method} {path}");
        return 1;
    }

    private async Task<int> ExpectProblemAsync(string? user, string method, string path, string? body, int status, string code)
    {
        var (actual, json) = await SendAsync(user, method, path, body);
        actual.ShouldBe(status, $"{method} {path} as {user ?? "nobody"}: {json?.ToJsonString()}");
        json.ShouldBeProblem(status, code);
        return 1;
    }

    private async Task<(int Status, JsonNode? Json)> SendAsync(string? user, string method, string path, string? body)
    {
        using var client = user == "not-a-token" ? server.Client(null) : server.Client(user);
        if (user == "not-a-token")
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (status >= 400)
        {
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{method} {path} -> {status}: {text}");
            DotnetName().IsMatch(text).ShouldBeFalse($"{method} {path} -> {status} names a .NET type: {text}");
            text.ShouldNotContain("   at ", Case.Sensitive, $"{method} {path} -> {status} shows a stack trace");
        }

        return (status, status >= 400 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task A_refusal_of_the_decider_is_a_problem_with_its_rule_as_type_and_both_languages()
    {
        var (response, json) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers",
            new { procedure = new { code = "1.013233" }, applicant = new { name = "Lý Thị E" }, documents = new[] { "so-ho-khau" } });

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        json.ShouldBeProblem(422, "undeclared-document");
        json!["title"]!.GetValue<string>().ShouldBe("Giấy tờ không có trong thành phần hồ sơ");
        json["titleEn"]!.GetValue<string>().ShouldBe("Document not declared by the procedure");
        json["detail"]!.GetValue<string>().ShouldContain("so-ho-khau");
        json["instance"]!.GetValue<string>().ShouldBe("/api/dossiers");
    }

    [GeneratedRegex(@"\{([A-Za-z]+)(?::([a-z]+))?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\b(System|Microsoft|ProcedureEngine)\.[A-Z]")]
    private static partial Regex DotnetName();
}
