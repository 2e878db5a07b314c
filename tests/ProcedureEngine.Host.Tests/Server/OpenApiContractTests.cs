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
