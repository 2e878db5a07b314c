using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ProcedureEngine.Host.Web;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// The front end builds its typed client from designer/src/api/openapi.json. That copy must be exactly what
/// the server serves: regenerate it with `procedure-engine openapi --out designer/src/api/openapi.json`
/// whenever an endpoint or a body changes.
/// </summary>
public sealed class OpenApiContractTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    public const string CommittedCopy = "designer/src/api/openapi.json";

    private const string Regenerate = "regenerate it: dotnet run --project host/ProcedureEngine.Host -- openapi --out " + CommittedCopy;

    [Fact]
    public async Task The_committed_document_is_what_the_server_serves_and_what_the_openapi_verb_writes()
    {
        var path = Path.Combine(Repository.Root, CommittedCopy);
        File.Exists(path).ShouldBeTrue($"{CommittedCopy} is missing; {Regenerate}");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(path));

        var served = await server.Client(null).GetJsonAsync("/openapi/v1.json");
        JsonNode.DeepEquals(committed, served).ShouldBeTrue($"{CommittedCopy} differs from /openapi/v1.json; {Regenerate}");

        var written = JsonNode.Parse(await WebHost.OpenApiDocumentAsync());
        JsonNode.DeepEquals(written, served).ShouldBeTrue("the openapi verb's document differs from the served one");
    }

    /// <summary>Redocly's recommended rules on the served document report no error (warnings are printed, not failed).</summary>
    [Fact]
    public async Task The_served_document_passes_redocly_lint_with_the_recommended_rules()
    {
        var tools = Path.Combine(Repository.Root, "tests", "openapi-check");
        var redocly = Path.Combine(tools, "node_modules", "@redocly", "cli", "bin", "cli.js");
        File.Exists(redocly).ShouldBeTrue("Redocly CLI is not installed: run ./test.sh (npm ci in tests/openapi-check)");
        var file = Path.Combine(Path.GetTempPath(), $"pe-openapi-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(file, await server.Client(null).GetStringAsync("/openapi/v1.json"));
            var info = new ProcessStartInfo("node")
            {
                WorkingDirectory = tools,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (var a in new[] { redocly, "lint", "--config", Path.Combine(tools, "redocly.yaml"), "--format", "summary", file })
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["REDOCLY_TELEMETRY"] = "off";
            info.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit(TimeSpan.FromMinutes(2)).ShouldBeTrue("redocly lint did not finish within 2 minutes");
            var report = await output + await error;
            process.ExitCode.ShouldBe(0, report);
            report.ShouldNotContain("error ", Case.Sensitive, report);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A client generated from the document knows every error it can be given, and in which shape.</summary>
    [Fact]
    public async Task Every_operation_lists_its_error_answers_as_problem_details_and_each_command_its_own_body()
    {
        var document = await server.Client(null).GetJsonAsync("/openapi/v1.json");
        var unlisted = new List<string>();
        foreach (var (path, item) in document!["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var errors = operation!["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5').ToList();
                if (errors.Count == 0 || errors.Any(r => r.Value!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/ApiProblem"))
                {
                    unlisted.Add($"{method.ToUpperInvariant()} {path}");
                }
            }
        }

        unlisted.ShouldBeEmpty("every error answer is an ApiProblem (application/problem+json)");

        // The commands: one operation each, with its own request body and the conflicts a command can meet.
        foreach (var (command, body) in new[] { ("complete", "CompleteStepBody"), ("request-supplement", "RequestSupplementBody"), ("apologize", "ApologizeBody"), ("withdraw", "WithdrawBody") })
        {
            var operation = document["paths"]![$"/api/dossiers/{{id}}/{command}"]!["post"]!;
            operation["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldBe($"#/components/schemas/{body}");
            operation["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/DossierView");
            new[] { "400", "401", "403", "404", "409", "422", "423" }.ShouldBeSubsetOf(operation["responses"]!.AsObject().Select(r => r.Key));
        }

        document["components"]!["schemas"]!["CompleteStepBody"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["step"]);
    }

    [Fact]
    public void The_openapi_verb_writes_the_document_without_starting_a_server()
    {
        var dir = Directory.CreateTempSubdirectory("pe-openapi-verb-").FullName;
        try
        {
            var (exit, output, error) = Cli.Run(dir, ["openapi", "--out", "api/openapi.json"]);

            exit.ShouldBe(0, error);
            output.ShouldContain("wrote api/openapi.json");
            var document = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "api", "openapi.json")))!;
            document["openapi"]!.GetValue<string>().ShouldStartWith("3.1");
            document["paths"]!.AsObject().ShouldContain(p => p.Key == "/api/dossiers");
            Directory.Exists(Path.Combine(dir, "data")).ShouldBeFalse("the verb leaves no store or users file behind");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
