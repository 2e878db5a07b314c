using System.Text.RegularExpressions;
using ProcedureEngine.Host.Web.Security;

namespace ProcedureEngine.Host.Tests;

/// <summary>`procedure-engine users`: a province's administrator gives officers their access without hashing tokens by hand.</summary>
public sealed partial class UsersVerbTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("pe-users-");

    public void Dispose() => work.Delete(recursive: true);

    private (int Exit, string Output, string Error) Run(params string[] args) =>
        Cli.Run(work.FullName, [.. args, "--definitions", Path.Combine(Repository.Root, "definitions")], 90);

    [GeneratedRegex(@"token \(shown once; only its hash is stored\): (\S+)")]
    private static partial Regex Token();

    [Fact]
    public void An_added_officer_gets_a_token_once_and_only_its_hash_is_written()
    {
        var (exit, output, error) = Run("users", "add", "cb-sxd-01", "--role", "officer", "--agency", "so-xay-dung", "--name", "Lê Văn Cường");
        exit.ShouldBe(0, error);
        var token = Token().Match(output).Groups[1].Value;
        token.Length.ShouldBeGreaterThan(20);

        var path = Path.Combine(work.FullName, "data", "users.yaml");
        var text = File.ReadAllText(path);
        text.ShouldNotContain(token);
        var user = UserDirectory.Parse(text, path).FindByToken(token).ShouldNotBeNull();
        user.ShouldBe(new ApiUser("cb-sxd-01", "Lê Văn Cường", UserRole.Officer, "so-xay-dung", UserDirectory.Hash(token)));

        Run("users", "add", "kiem-soat-02", "--role", "auditor").Exit.ShouldBe(0);
        var list = Run("users", "list");
        list.Exit.ShouldBe(0);
        list.Output.ShouldContain("cb-sxd-01        officer  so-xay-dung      Lê Văn Cường");
        list.Output.ShouldContain("kiem-soat-02");
        list.Output.ShouldNotContain(token);
    }

    [Fact]
    public void A_taken_id_an_unknown_agency_or_an_officer_without_agency_is_refused_and_the_file_is_unchanged()
    {
        Run("users", "add", "cb-sxd-01", "--role", "officer", "--agency", "so-xay-dung").Exit.ShouldBe(0);
        var path = Path.Combine(work.FullName, "data", "users.yaml");
        var before = File.ReadAllText(path);

        var taken = Run("users", "add", "cb-sxd-01", "--role", "officer", "--agency", "so-xay-dung");
        taken.Exit.ShouldBe(2);
        taken.Error.ShouldContain("user 'cb-sxd-01' already exists");

        var typo = Run("users", "add", "cb-sxd-02", "--role", "officer", "--agency", "xay-dung");
        typo.Exit.ShouldBe(2);
        typo.Error.ShouldContain("--agency 'xay-dung' is not an agency");
        typo.Error.ShouldContain("did you mean so-xay-dung");

        Run("users", "add", "cb-sxd-03", "--role", "officer").Error.ShouldContain("officer 'cb-sxd-03' needs --agency");
        Run("users", "add", "Cán bộ", "--role", "admin").Error.ShouldContain("use lower-case letters");
        Run("users", "add", "x1", "--role", "boss").Error.ShouldContain("expected officer, auditor, admin or portal");
        File.ReadAllText(path).ShouldBe(before);
    }

    [Fact]
    public void A_new_token_replaces_the_old_one_and_keeps_the_rest_of_the_file()
    {
        var path = Path.Combine(work.FullName, "data", "users.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "# Sơn Hà one-stop centre\nusers:\n  - { id: admin, name: \"Quản trị\", role: admin, tokenSha256: " + UserDirectory.Hash("old") + " } # IT dept\n");

        var (exit, output, error) = Run("users", "reset-token", "admin");
        exit.ShouldBe(0, error);
        var token = output.Trim().Split(' ')[^1];

        var text = File.ReadAllText(path);
        text.ShouldStartWith("# Sơn Hà one-stop centre\nusers:\n  - { id: admin, name: \"Quản trị\", role: admin, tokenSha256: ");
        text.ShouldEndWith(" } # IT dept\n");
        var users = UserDirectory.Parse(text, path);
        users.FindByToken("old").ShouldBeNull();
        users.FindByToken(token)!.Id.ShouldBe("admin");
        Run("users", "reset-token", "nobody").Error.ShouldContain("no user 'nobody'");
    }

    [Fact]
    public void Removing_a_user_deletes_their_entry_in_either_style_and_never_the_last_administrator()
    {
        var path = Path.Combine(work.FullName, "data", "users.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = "users:\n" +
                   "  - { id: admin, role: admin, tokenSha256: " + UserDirectory.Hash("a") + " }\n" +
                   "  # the construction department\n" +
                   "  - id: cb-sxd-01\n    name: Lê Văn Cường\n    role: officer\n    agency: so-xay-dung # until 2026\n    tokenSha256: " + UserDirectory.Hash("b") + "\n" +
                   "  - { id: cb-sxd-02, role: officer, agency: so-xay-dung, tokenSha256: " + UserDirectory.Hash("c") + " } # moved\n" +
                   "  - { id: kiem-soat-01, role: auditor, tokenSha256: " + UserDirectory.Hash("d") + " }\n";
        File.WriteAllText(path, text);

        Run("users", "remove", "cb-sxd-01").Exit.ShouldBe(0);
        Run("users", "remove", "cb-sxd-02").Exit.ShouldBe(0);

        File.ReadAllText(path).ShouldBe("users:\n" +
            "  - { id: admin, role: admin, tokenSha256: " + UserDirectory.Hash("a") + " }\n" +
            "  # the construction department\n" +
            "  - { id: kiem-soat-01, role: auditor, tokenSha256: " + UserDirectory.Hash("d") + " }\n");
        var last = Run("users", "remove", "admin");
        last.Exit.ShouldBe(2);
        last.Error.ShouldContain("last administrator");
        Run("users", "remove", "nobody").Error.ShouldContain("no user 'nobody'");
        UserDirectory.Parse(File.ReadAllText(path), path).Users.Select(u => u.Id).ShouldBe(["admin", "kiem-soat-01"]);
    }

    [Fact]
    public async Task Eight_users_commands_run_at_once_each_keep_their_change()
    {
        // Four auditors leave while four arrive, all commands started together (no agency: no catalogue to load,
        // so the processes' read-modify-write windows overlap as much as they can).
        var path = Path.Combine(work.FullName, "data", "users.yaml");
        UserFile.Add(path, "admin", null, UserRole.Admin, null);
        for (var i = 0; i < 4; i++)
        {
            UserFile.Add(path, $"leaving-{i}", null, UserRole.Auditor, null);
        }

        string[][] commands = [.. Enumerable.Range(0, 4).SelectMany(i => new[]
        {
            new[] { "users", "add", $"arriving-{i}", "--role", "auditor" },
            ["users", "remove", $"leaving-{i}"],
        })];
        using var start = new ManualResetEventSlim();
        var runs = commands.Select(args => Task.Factory.StartNew(() =>
        {
            start.Wait();
            return Cli.Run(work.FullName, args, 180);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        start.Set();
        var results = await Task.WhenAll(runs);

        foreach (var (run, args) in results.Zip(commands))
        {
            run.Exit.ShouldBe(0, $"{string.Join(' ', args)}: {run.Error}");
        }

        UserDirectory.Parse(File.ReadAllText(path), path).Users.Select(u => u.Id).Order(StringComparer.Ordinal)
            .ShouldBe(["admin", "arriving-0", "arriving-1", "arriving-2", "arriving-3"]);
    }
}
