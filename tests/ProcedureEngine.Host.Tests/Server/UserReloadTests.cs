using System.Net;
using ProcedureEngine.Host.Web.Security;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>The running server follows users.yaml: new officers and new tokens work without a restart; a broken edit changes nothing.</summary>
public sealed class UserReloadTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    private static async Task<HttpStatusCode> StatusWithin(Func<Task<HttpStatusCode>> call, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            status = await call();
            if (status == expected)
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return status;
    }

    private HttpClient WithToken(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task An_officer_added_while_the_server_runs_can_act_and_a_reset_token_stops_the_old_one()
    {
        var path = Path.Combine(server.Root, "users.yaml");
        var token = UserFile.Add(path, "cb-sxd-09", "Đỗ Thị Hoa", UserRole.Officer, "so-xay-dung");
        using var officer = WithToken(token);
        (await StatusWithin(async () => (await officer.GetAsync("/api/dossiers")).StatusCode, HttpStatusCode.OK)).ShouldBe(HttpStatusCode.OK);

        var fresh = UserFile.ResetToken(path, "cb-sxd-09");
        (await StatusWithin(async () => (await officer.GetAsync("/api/dossiers")).StatusCode, HttpStatusCode.Unauthorized)).ShouldBe(HttpStatusCode.Unauthorized);
        using var again = WithToken(fresh);
        (await again.GetAsync("/api/dossiers")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // An officer who leaves is removed: the token stops working without a restart.
        var leaving = UserFile.Add(path, "cb-sxd-10", null, UserRole.Officer, "so-xay-dung");
        using var leaver = WithToken(leaving);
        (await StatusWithin(async () => (await leaver.GetAsync("/api/dossiers")).StatusCode, HttpStatusCode.OK)).ShouldBe(HttpStatusCode.OK);
        UserFile.Remove(path, "cb-sxd-10");
        (await StatusWithin(async () => (await leaver.GetAsync("/api/dossiers")).StatusCode, HttpStatusCode.Unauthorized)).ShouldBe(HttpStatusCode.Unauthorized);

        // A hand edit that breaks the file is reported and ignored: everyone keeps working with the last good list.
        var good = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, good + "  - { id: broken, role: officer }\n");
        await Task.Delay(1500);
        (await again.GetAsync("/api/dossiers")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.Client("cb-motcua-01").GetAsync("/api/dossiers")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await File.WriteAllTextAsync(path, good);
    }
}
