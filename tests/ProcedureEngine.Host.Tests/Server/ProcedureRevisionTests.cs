using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ProcedureEngine.Host.Web.Definitions;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// A province revises a procedure: the administrator publishes version 2 from a later date, version 1
/// ends the day before, and every dossier runs to its end on the version in effect when it was received.
/// </summary>
public sealed class ProcedureRevisionTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    private static readonly object PermitExtension = new
    {
        procedure = new { code = "1.013233" },
        applicant = new { name = "Nguyễn Văn An" },
        documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
    };

    private async Task<JsonNode> ReceiveAtAsync(DateTimeOffset at)
    {
        server.Clock.Now = at;
        var (response, json) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", PermitExtension);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, json?.ToJsonString());
        return await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{json!["id"]!.GetValue<string>()}");
    }

    /// <summary>Version 2 of 1.013233 from 2026-05-04: 3 working days instead of 5.</summary>
    private string Version2()
    {
        var text = DefinitionApiTests.NewVersionOf(Path.Combine(server.DefinitionsRoot, "construction", "1.013233.yaml"), 2, "2026-05-04");
        return text
            .Replace("timeLimit: 5 working days", "timeLimit: 3 working days", StringComparison.Ordinal)
            .Replace("duration: 3 working days", "duration: 1.5 working days", StringComparison.Ordinal)
            .Replace("duration: 1 working days", "duration: 0.5 working days", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_version_ends_the_open_ended_one_and_each_dossier_keeps_the_version_it_was_received_under()
    {
        var early = await ReceiveAtAsync(new DateTimeOffset(2026, 4, 24, 9, 0, 0, Vn));
        early["procedure"]!["version"]!.GetValue<int>().ShouldBe(1);
        early["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-06T09:00:00+07:00");

        var admin = server.Client("admin");
        (await admin.PostAsync("/api/definitions", new StringContent(Version2(), Encoding.UTF8, "application/yaml"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var published = await admin.PostAsync("/api/definitions/1.013233/versions/2/publish", null);
        var result = JsonNode.Parse(await published.Content.ReadAsStringAsync())!;
        published.StatusCode.ShouldBe(HttpStatusCode.OK, result.ToJsonString());
        result["version"]!.GetValue<int>().ShouldBe(2);
        result["closes"]!["version"]!.GetValue<int>().ShouldBe(1);
        result["closes"]!["effectiveUntil"]!.GetValue<string>().ShouldBe("2026-05-03");

        // Version 1's file got its end date and kept everything else, comments included.
        var auditor = server.Client("kiem-soat-01");
        var v1 = await auditor.GetStringAsync("/api/definitions/1.013233/versions/1");
        v1.ShouldContain("# Source: CSDL quốc gia về TTHC, record 1.013233");
        v1.ShouldContain("effective:\n  from: 2025-07-01\n  until: 2026-05-03\n");
        var versions = (await auditor.GetJsonAsync("/api/definitions/1.013233/versions")).AsArray();
        versions.Select(v => v!["effectiveUntil"]?.GetValue<string>()).ShouldBe(["2026-05-03", null]);

        // Received before 4/5: still version 1 and its 5 working days. From 4/5: version 2, 3 working days.
        var beforeRevision = await ReceiveAtAsync(new DateTimeOffset(2026, 4, 29, 10, 0, 0, Vn));
        beforeRevision["procedure"]!["version"]!.GetValue<int>().ShouldBe(1);
        var afterRevision = await ReceiveAtAsync(new DateTimeOffset(2026, 5, 4, 9, 0, 0, Vn));
        afterRevision["procedure"]!["version"]!.GetValue<int>().ShouldBe(2);
        afterRevision["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-07T09:00:00+07:00");

        // The early dossier finishes on version 1 after version 2 took effect: same steps, same appointment.
        var id = early["id"]!.GetValue<string>();
        var department = server.Client("cb-sxd-01");
        server.Clock.Now = new DateTimeOffset(2026, 5, 4, 14, 0, 0, Vn);
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "appraise", outcome = "approved" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await department.PostJsonAsync($"/api/dossiers/{id}/complete", new { step = "sign" })).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        server.Clock.Now = new DateTimeOffset(2026, 5, 5, 9, 0, 0, Vn);
        var (returned, state) = await server.Client("cb-motcua-01").PostJsonAsync($"/api/dossiers/{id}/return", new { });
        returned.StatusCode.ShouldBe(HttpStatusCode.OK, state?.ToJsonString());
        state!["procedure"]!["version"]!.GetValue<int>().ShouldBe(1);
        state["appointmentAt"]!.GetValue<string>().ShouldBe("2026-05-06T09:00:00+07:00");
        state["status"]!.GetValue<string>().ShouldBe("returned");
    }

    [Fact]
    public void The_end_date_goes_into_block_and_flow_effective_and_nowhere_else()
    {
        EffectiveEnd.Close("code: x\neffective:\n  from: 2025-07-01 # decision date\nversion: 1\n", new DateOnly(2026, 5, 3))
            .ShouldBe("code: x\neffective:\n  from: 2025-07-01 # decision date\n  until: 2026-05-03\nversion: 1\n");
        EffectiveEnd.Close("code: x\r\neffective:\r\n    from: 2025-07-01\r\n", new DateOnly(2026, 5, 3))
            .ShouldBe("code: x\r\neffective:\r\n    from: 2025-07-01\r\n    until: 2026-05-03\r\n");
        EffectiveEnd.Close("code: x\neffective: { from: 2025-07-01 }\n", new DateOnly(2026, 5, 3))
            .ShouldBe("code: x\neffective: { from: 2025-07-01, until: 2026-05-03 }\n");
        Should.Throw<FormatException>(() => EffectiveEnd.Close("code: x\neffective: { from: 2025-07-01, until: 2025-12-31 }\n", new DateOnly(2026, 5, 3)));
        Should.Throw<FormatException>(() => EffectiveEnd.Close("code: x\n", new DateOnly(2026, 5, 3)));
    }

    [Fact]
    public void A_new_version_raises_the_number_moves_the_start_and_drops_the_end_keeping_the_rest()
    {
        NextVersion.Draft("# source: 864/QĐ-BXD\ncode: \"1.1\"\nversion: 3 # third text\neffective:\n  from: 2025-07-01\n  until: 2025-12-31 # replaced\nname: Cấp phép\n", 4, new DateOnly(2026, 6, 1))
            .ShouldBe("# source: 864/QĐ-BXD\ncode: \"1.1\"\nversion: 4 # third text\neffective:\n  from: 2026-06-01\nname: Cấp phép\n");
        NextVersion.Draft("code: x\r\nversion: 1\r\neffective:\r\n  from: 2025-07-01\r\n", 2, new DateOnly(2026, 6, 1))
            .ShouldBe("code: x\r\nversion: 2\r\neffective:\r\n  from: 2026-06-01\r\n");
        NextVersion.Draft("version: 1\neffective: { from: 2025-07-01, until: 2025-12-31 }\n", 2, new DateOnly(2026, 6, 1))
            .ShouldBe("version: 2\neffective: { from: 2026-06-01 }\n");
        NextVersion.Draft("version: 1\neffective: { until: 2025-12-31, from: 2025-07-01 }\n", 2, new DateOnly(2026, 6, 1))
            .ShouldBe("version: 2\neffective: { from: 2026-06-01 }\n");
        Should.Throw<FormatException>(() => NextVersion.Draft("code: x\nversion: 1\n", 2, new DateOnly(2026, 6, 1))).Message.ShouldContain("effective.from");
    }

    [Fact]
    public async Task The_administrator_starts_a_new_version_from_a_published_one_and_it_validates_as_it_is()
    {
        server.Clock.Now = new DateTimeOffset(2026, 5, 20, 10, 0, 0, Vn);
        var admin = server.Client("admin");

        var response = await admin.GetAsync("/api/definitions/1.013216/versions/1/next?from=2026-06-01");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldContain("\nversion: 2\n");
        text.ShouldContain("effective:\n  from: 2026-06-01\n");
        text.ShouldContain("# Source: CSDL quốc gia về TTHC, record 1.013216", Case.Sensitive);
        var validation = JsonNode.Parse(await (await admin.PostAsync("/api/definitions/validate", new StringContent(text, Encoding.UTF8, "application/yaml"))).Content.ReadAsStringAsync())!;
        validation["valid"]!.GetValue<bool>().ShouldBeTrue(validation.ToJsonString());

        // Without a date the new version starts tomorrow; a date not after version 1's start, or not a date, is refused.
        (await admin.GetStringAsync("/api/definitions/1.013216/versions/1/next")).ShouldContain("from: 2026-05-21\n");
        (await admin.GetAsync("/api/definitions/1.013216/versions/1/next?from=2025-07-01")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await admin.GetAsync("/api/definitions/1.013216/versions/1/next?from=01/06/2026")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.GetAsync("/api/definitions/1.013216/versions/9/next")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await server.Client("cb-motcua-01").GetAsync("/api/definitions/1.013216/versions/1/next")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
