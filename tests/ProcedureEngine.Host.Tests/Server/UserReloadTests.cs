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

    [Fact]
    public async Task A_removed_users_token_is_refused_as_soon_as_users_remove_returns()
    {
        var path = Path.Combine(server.Root, "users.yaml");

        // An officer working while the administrator runs the command: no request after it returns may still pass.
        var (added, output, error) = Cli.Run(server.Root, ["users", "add", "cb-sxd-11", "--role", "officer", "--agency", "so-xay-dung", "--users", path,
            "--definitions", Path.Combine(Repository.Root, "definitions")]);
        added.ShouldBe(0, error);
        var token = output.Trim().Split(' ')[^1];
        using var officer = WithToken(token);
        (await officer.GetAsync("/api/dossiers")).StatusCode.ShouldBe(HttpStatusCode.OK, "a new officer's token works as soon as `users add` returns");

        using var stop = new CancellationTokenSource();
        var working = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var _ = await officer.GetAsync("/api/dossiers", CancellationToken.None);
                await Task.Delay(20, CancellationToken.None);
            }
        });
        var removed = Cli.Run(server.Root, ["users", "remove", "cb-sxd-11", "--users", path]);
        var after = (await officer.GetAsync("/api/dossiers")).StatusCode;
        await stop.CancelAsync();
        await working;
        removed.Exit.ShouldBe(0, removed.Error);
        after.ShouldBe(HttpStatusCode.Unauthorized, "the token of a removed user stops working before `users remove` returns");

        // The same for a new token: the old one is refused at once, the new one works at once (same file length: only
        // the hash changes, and both writes may fall in one tick of the file system's clock).
        var again = UserFile.Add(path, "cb-sxd-12", null, UserRole.Officer, "so-xay-dung");
        using var second = WithToken(again);
        (await second.GetAsync("/api/dossiers")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var fresh = UserFile.ResetToken(path, "cb-sxd-12");
        (await second.GetAsync("/api/dossiers")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var renewed = WithToken(fresh);
        (await renewed.GetAsync("/api/dossiers")).StatusCode.ShouldBe(HttpStatusCode.OK);
        UserFile.Remove(path, "cb-sxd-12");
    }
}
