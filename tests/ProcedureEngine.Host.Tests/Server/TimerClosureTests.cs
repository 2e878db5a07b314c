using System.Net;
using System.Text.Json.Nodes;
using ProcedureEngine.Dossiers.Persistence;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>
/// A dossier the timers close (the requested documents never came), seen through the HTTP API as an officer and an
/// auditor meet it, on a server of its own (its clock jumps months ahead).
/// </summary>
public sealed class TimerClosureTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task A_dossier_the_timers_close_for_want_of_documents_leaves_every_queue_and_the_read_models_stay_true_to_its_events()
    {
        server.Clock.Now = ServerFixture.Start;
        const string applicant = "Hoàng Thị Thu";
        var (received, dossier) = await server.Client("cb-motcua-01").PostJsonAsync("/api/dossiers", Bodies.PermitExtension(applicant));
        received.StatusCode.ShouldBe(HttpStatusCode.Created, dossier?.ToJsonString());
        var id = dossier!["id"]!.GetValue<string>();
        var code = dossier["code"]!.GetValue<string>();

        server.Clock.Now = ServerFixture.Start.AddHours(2);
        var (asked, answer) = await server.Client("cb-sxd-01").PostJsonAsync($"/api/dossiers/{id}/request-supplement",
            new { step = "appraise", documents = new[] { "don-de-nghi-gia-han-giay" }, reason = "Đơn thiếu chữ ký của chủ đầu tư" });
        asked.StatusCode.ShouldBe(HttpStatusCode.OK, answer?.ToJsonString());
        answer!["status"]!.GetValue<string>().ShouldBe("awaitingSupplement");
        var search = Uri.EscapeDataString(WorklistProjection.Fold(applicant));
        (await server.Client("cb-sxd-01").GetJsonAsync($"/api/worklist?q={search}&badge=awaitingSupplement"))["items"]!.AsArray().Count.ShouldBe(1);

        // Months later nothing has come: the timers close it.
        server.Clock.Now = ServerFixture.Start.AddDays(120);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonNode now;
        do
        {
            await Task.Delay(200);
            now = await server.Client("kiem-soat-01").GetJsonAsync($"/api/dossiers/{id}");
        }
        while (now["status"]!.GetValue<string>() != "closed" && DateTime.UtcNow < deadline);
        now["status"]!.GetValue<string>().ShouldBe("closed", "the timers close a dossier whose documents never came");

        // No agency holds it: neither the summary's agency filter nor any worklist lists it.
        var listed = (await server.Client("kiem-soat-01").GetJsonAsync("/api/dossiers?agency=so-xay-dung&limit=1000")).AsArray();
        listed.Select(d => d!["id"]!.GetValue<string>()).ShouldNotContain(id);
        (await server.Client("kiem-soat-01").GetJsonAsync("/api/dossiers?status=closed&limit=1000")).AsArray()
            .Single(d => d!["id"]!.GetValue<string>() == id)!["currentAgency"].ShouldBeNull();
        (await server.Client("cb-sxd-01").GetJsonAsync($"/api/worklist?q={search}"))["items"]!.AsArray().ShouldBeEmpty();
        (await server.Client("cb-motcua-01").GetJsonAsync($"/api/worklist?q={search}"))["items"]!.AsArray().ShouldBeEmpty();

        // The citizen's page says it was closed; the auditor's check finds every read model true to the events.
        (await server.Client(null).GetJsonAsync($"/api/track/{code}"))["status"]!.GetValue<string>().ShouldBe("closed");
        var (exit, output, error) = Cli.Run(server.Root, ["verify", "--read-models", "--store", "sqlite", "--connection", Path.Combine(server.Root, "data", "procedure-engine.db")]);
        exit.ShouldBe(0, output + error);
        output.ShouldContain("match their events");
    }
}
