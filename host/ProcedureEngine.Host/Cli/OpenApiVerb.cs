using System.CommandLine;
using ProcedureEngine.Host.Web;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine openapi --out FILE`: writes the server's OpenAPI document (what `/openapi/v1.json`
/// serves) without listening anywhere. The front end's committed copy (designer/src/api/openapi.json) is
/// regenerated with it whenever an endpoint changes; a test fails while the copy differs.
/// </summary>
internal static class OpenApiVerb
{
    public const string CommittedCopy = "designer/src/api/openapi.json";

    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = $"Where to write the document (default: standard output); the front end's copy is {CommittedCopy}" };
        var command = new Command("openapi", "Write the HTTP API's OpenAPI document (as /openapi/v1.json serves it) without starting a server") { output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = await WebHost.OpenApiDocumentAsync(cancellationToken).ConfigureAwait(false);
            var path = parse.GetValue(output);
            if (path is null)
            {
                Console.Out.Write(json);
                Console.Out.WriteLine();
                return 0;
            }

            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, json + "\n", cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }
}
