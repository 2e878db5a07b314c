using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// /api/calendars over HTTP, as an administrator uses it when the government declares a day off while dossiers are
/// open: the dry run shows the days and the dossiers it would re-plan and writes nothing; a bad file or a caller who
/// may not publish changes nothing; publishing re-plans the dossier (new appointment, notice TB printed) and the
/// applicant's message is put in the outbox.
/// </summary>
public sealed class CalendarApiTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    /// <summary>Monday 04/05/2026, a working day inside the window of a dossier received on Friday 24/04/2026.</summary>
    private const string DayOff = "2026-05-04";

    private static readonly object Receipt = new
    {
        procedure = new { code = "1.013233" },
        applicant = new { name = "Nguyễn Văn An", phone = "0912345678", notify = new[] { "sms" } },
        documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
    };

    private string NextVersion()
    {
        var text = File.ReadAllText(Path.Combine(server.DefinitionsRoot, "calendars", "vn.yaml"));
        const string Anchor = "      - { date: 2026-02-20,";
        text.ShouldContain(Anchor);
        return text
            .Replace("version: 1", "version: 2", StringComparison.Ordinal)
            .Replace("decision: \"", "decision: \"Quyết định 999/QĐ-TTg cho nghỉ ngày 04/5/2026; ", StringComparison.Ordinal)
            .Replace(Anchor, $"      - {{ date: {DayOff}, reason: \"Nghỉ theo Quyết định 999/QĐ-TTg\" }}\n" + Anchor, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Json)> PostYamlAsync(HttpClient client, string url, string yaml)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        var response = await client.PostAsync(url, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task A_day_off_declared_while_a_dossier_is_open_is_previewed_then_published_and_moves_its_appointment_with_a_notice_and_a_message()
    {
        var (created, receipt) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", Receipt, idempotencyKey: "cal-" + Guid.NewGuid());
        created.StatusCode.ShouldBe(HttpStatusCode.Created, receipt?.ToJsonString());
        var id = receipt!["id"]!.GetValue<string>();
        var code = receipt["code"]!.GetValue<string>();
        var before = await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{code}");
        var appointment = before["appointmentAt"]!.GetValue<string>();
        string.CompareOrdinal(appointment, DayOff).ShouldBeGreaterThan(0, "the dossier's window crosses the new day off");
        var admin = server.Client("admin");
        var yaml = NextVersion();

        // The dry run: the day and the dossier, nothing written.
        var (status, diff) = await PostYamlAsync(admin, "/api/calendars/diff", yaml);
        status.ShouldBe(HttpStatusCode.OK, diff?.ToJsonString());
        diff!["published"]!.GetValue<bool>().ShouldBeFalse();
        diff["previousVersion"]!.GetValue<int>().ShouldBe(1);
        diff["version"]!.GetValue<int>().ShouldBe(2);
        diff["days"]!.AsArray().Select(d => (d!["date"]!.GetValue<string>(), d["working"]!.GetValue<bool>())).ShouldBe([(DayOff, false)]);
        var planned = diff["dossiers"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == id)!;
        planned["previousAppointmentAt"]!.GetValue<string>().ShouldBe(appointment);
        var moved = planned["appointmentAt"]!.GetValue<string>();
        string.CompareOrdinal(moved, appointment).ShouldBeGreaterThan(0, "one working day less: the appointment moves later, never earlier");
        (await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{code}"))["version"]!.GetValue<long>().ShouldBe(before["version"]!.GetValue<long>(), "a dry run writes nothing");

        // Refused: an officer may not publish; a broken file is answered with its line; neither changes anything.
        var (forbidden, problem) = await PostYamlAsync(server.Client("cb-motcua-01"), "/api/calendars/publish", yaml);
        forbidden.ShouldBe(HttpStatusCode.Forbidden);
        problem.ShouldBeProblem(403, "forbidden");
        var (invalid, bad) = await PostYamlAsync(admin, "/api/calendars/publish", yaml.Replace($"date: {DayOff}", "date: 2026-13-04", StringComparison.Ordinal));
        invalid.ShouldBe(HttpStatusCode.UnprocessableEntity, bad?.ToJsonString());
        bad.ShouldBeProblem(422, "calendar-invalid");
        var located = bad!["problems"]!.AsArray().ShouldHaveSingleItem()!;
        located["line"]!.GetValue<int>().ShouldBeGreaterThan(80);
        located["column"]!.GetValue<int>().ShouldBeGreaterThan(0);
        (await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{code}"))["appointmentAt"]!.GetValue<string>().ShouldBe(appointment);

        // Published: the dossier is re-planned with a legal record, a notice and the applicant's message.
        var (ok, published) = await PostYamlAsync(admin, "/api/calendars/publish", yaml);
        ok.ShouldBe(HttpStatusCode.OK, published?.ToJsonString());
        published!["published"]!.GetValue<bool>().ShouldBeTrue();
        published["dossiers"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()).ShouldContain(id);
        var after = await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{code}");
        after["appointmentAt"]!.GetValue<string>().ShouldBe(moved);
        after["letters"]!.AsArray().Select(l => l!["form"]!.GetValue<string>()).ShouldContain("TB");
        var events = await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{code}/events");
        var replanned = events["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "DossierReplanned")!["data"]!;
        replanned["calendarVersion"]!.GetValue<int>().ShouldBe(2);
        replanned["changedDays"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe([DayOff]);
        var notice = after["letters"]!.AsArray().Last()!["url"]!.GetValue<string>();
        var letter = await server.Client("kiem-soat-01").GetStringAsync(notice + "?format=text");
        letter.ShouldContain("Quyết định 999/QĐ-TTg");

        var messages = (await server.Client("kiem-soat-01").GetJsonAsync($"/api/notifications?dossier={Uri.EscapeDataString(code)}")).AsArray();
        var sms = messages.Single(m => m!["kind"]!.GetValue<string>() == "appointment-moved" && m["channel"]!.GetValue<string>() == "sms")!;
        sms["recipient"]!.GetValue<string>().ShouldBe("0912345678");
        messages.ShouldContain(m => m!["kind"]!.GetValue<string>() == "appointment-moved" && m["channel"]!.GetValue<string>() == "portal");

        // The same version again is not a new publication.
        var (again, twice) = await PostYamlAsync(admin, "/api/calendars/publish", yaml);
        again.ShouldBe(HttpStatusCode.UnprocessableEntity, twice?.ToJsonString());
        twice.ShouldBeProblem(422, "calendar-invalid");
        (await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{code}"))["version"]!.GetValue<long>().ShouldBe(after["version"]!.GetValue<long>());
    }
}
