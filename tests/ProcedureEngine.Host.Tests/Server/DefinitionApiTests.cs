using System.Net;
using System.Text;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>Administrators validate, draft and publish definitions through the API.</summary>
public sealed class DefinitionApiTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    internal static string NewVersionOf(string path, int version, string from, string? until = null)
    {
        var text = File.ReadAllText(path);
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^version: \d+", $"version: {version}");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^effective:\n  from: [0-9-]+(\n  until: [0-9-]+)?", $"effective:\n  from: {from}" + (until is null ? "" : $"\n  until: {until}"));
        return text;
    }

    [Fact]
    public async Task Validating_a_broken_definition_reports_each_problem_with_line_and_column()
    {
        var response = await server.Client("cb-motcua-01").PostAsync("/api/definitions/validate", Yaml("code: \"1.1\"\nversion: 1\nnmae: typo\n"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        json["valid"]!.GetValue<bool>().ShouldBeFalse();
        var problems = json["problems"]!.AsArray();
        problems.ShouldContain(p => p!["line"]!.GetValue<int>() == 3 && p["message"]!.GetValue<string>().Contains("nmae"));
    }

    [Fact]
    public async Task A_draft_with_errors_is_not_saved_and_a_good_one_is_published_next_to_its_versions()
    {
        var admin = server.Client("admin");
        var bad = await admin.PostAsync("/api/definitions", Yaml("code: \"1.013233\"\nversion: 9\n"));
        bad.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await admin.GetStringAsync("/api/definitions/drafts")).ShouldBe("[]");

        // Version 1 of 1.013233 is in effect from 2025-07-01: a version 2 for 2025 overlaps its first half year
        // (a later start would end version 1 instead, see ProcedureRevisionTests).
        var source = Path.Combine(server.DefinitionsRoot, "construction", "1.013233.yaml");
        var draftText = NewVersionOf(source, 2, "2025-01-01", "2025-12-31");
        var overlapping = await admin.PostAsync("/api/definitions", Yaml(draftText));
        overlapping.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.GetStringAsync(overlapping.Headers.Location!.ToString())).ShouldBe(draftText, "the draft reads back from where the answer points");
        (await admin.GetAsync("/api/definitions/drafts/1.013233/7")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var rejected = await admin.PostAsync("/api/definitions/1.013233/versions/2/publish", null);
        rejected.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var refusal = System.Text.Json.Nodes.JsonNode.Parse(await rejected.Content.ReadAsStringAsync())!;
        refusal.ToJsonString().ShouldContain("overlap", Case.Insensitive);
        refusal.ShouldBeProblem(422, "definition-rejected");
        refusal["detail"]!.GetValue<string>().ShouldBe("Thủ tục 1.013233 phiên bản 2 không khớp với danh mục đã công bố (xem các lỗi bên dưới) nên chưa được công bố.");
        refusal["problems"]!.AsArray().ShouldContain(p => p!["code"]!.GetValue<string>() == "PE051" && p["title"]!.GetValue<string>() == "Thời gian hiệu lực của hai phiên bản chồng lên nhau");
        File.Exists(Path.Combine(server.DefinitionsRoot, "construction", "1.013233.v2.yaml")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_refused_with_PE004_at_the_line_the_CLI_names_and_nothing_is_saved()
    {
        // A version 8 of a real procedure whose 12th line carries a Latin-1 "ạ" (0xE1 0x20: not UTF-8), as an
        // editor saving in Windows-1258 would leave it.
        var text = NewVersionOf(Path.Combine(server.DefinitionsRoot, "construction", "1.013233.yaml"), 8, "2031-01-01");
        var lines = text.Split('\n');
        lines[11].ShouldStartWith("  Gia h");
        var before = Encoding.UTF8.GetBytes(string.Join('\n', lines[..11]) + "\n  Gia h");
        var bytes = before.Concat(new byte[] { 0xE1, 0x20 }).Concat(Encoding.UTF8.GetBytes(string.Join('\n', lines[11..])["  Gia h".Length..])).ToArray();

        var file = Path.Combine(Directory.CreateTempSubdirectory("pe-latin1-").FullName, "1.013233.v8.yaml");
        await File.WriteAllBytesAsync(file, bytes);
        var cli = Cli.Run(Path.GetDirectoryName(file)!, ["validate", file]);
        cli.Exit.ShouldBe(1, cli.Output + cli.Error);
        cli.Output.ShouldContain(":12:8: error PE004:");

        static ByteArrayContent Body(byte[] bytes) => new(bytes) { Headers = { ContentType = new("application/yaml") { CharSet = "utf-8" } } };
        var admin = server.Client("admin");
        var validated = System.Text.Json.Nodes.JsonNode.Parse(await (await admin.PostAsync("/api/definitions/validate", Body(bytes))).Content.ReadAsStringAsync())!;
        validated["valid"]!.GetValue<bool>().ShouldBeFalse();
        var problem = validated["problems"]!.AsArray().ShouldHaveSingleItem()!;
        (problem["code"]!.GetValue<string>(), problem["line"]!.GetValue<int>(), problem["column"]!.GetValue<int>()).ShouldBe(("PE004", 12, 8));
        problem["message"]!.GetValue<string>().ShouldContain("not valid UTF-8");

        var saved = await admin.PostAsync("/api/definitions", Body(bytes));
        var refusal = System.Text.Json.Nodes.JsonNode.Parse(await saved.Content.ReadAsStringAsync())!;
        refusal.ShouldBeProblem(422, "definition-rejected");
        refusal["problems"]!.AsArray().ShouldContain(p => p!["code"]!.GetValue<string>() == "PE004" && p["line"]!.GetValue<int>() == 12);
        (await admin.GetAsync("/api/definitions/drafts/1.013233/8")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetStringAsync("/api/definitions/drafts")).ShouldNotContain("\uFFFD");
    }

    [Fact]
    public async Task Only_administrators_author_definitions()
    {
        (await server.Client("cb-motcua-01").PostAsync("/api/definitions", Yaml("code: x\n"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await server.Client("kiem-soat-01").PostAsync("/api/definitions/1.013233/versions/1/publish", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_catalogue_and_a_published_version_are_readable_and_the_OpenAPI_document_is_served()
    {
        var officer = server.Client("kiem-soat-01");
        (await officer.GetStringAsync("/api/definitions")).ShouldContain("1.013233");
        (await officer.GetStringAsync("/api/definitions/1.013233/versions/1")).ShouldContain("Gia hạn giấy phép xây dựng");
        var openApi = await server.Client(null).GetStringAsync("/openapi/v1.json");
        // One route per command, each with its own body; no catch-all action route in the document.
        openApi.ShouldContain("/api/dossiers/{id}/complete");
        openApi.ShouldContain("/api/dossiers/{id}/request-supplement");
        openApi.ShouldNotContain("/api/dossiers/{id}/{action}");
        openApi.ShouldContain("/api/track/{dossierCode}");
    }
}
