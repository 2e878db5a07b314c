using System.CommandLine;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine users add|reset-token|remove|list`: who may call the API, without hashing tokens by hand.
/// The file is the one `serve` reads (default data/users.yaml); a running server applies the change before the
/// command returns. Concurrent commands are serialised by a lock file beside it. A new token is printed once; only its SHA-256 hash is written.
/// Exit 0 done, 2 bad usage (unknown agency, taken id, malformed file).
/// </summary>
internal static class UsersVerb
{
    public static Command Create()
    {
        var file = new Option<string?>("--users") { Description = "The users file (default: <data>/users.yaml, as `serve`)", Recursive = true };
        var data = new Option<string>("--data") { Description = "The data folder `serve` uses", DefaultValueFactory = _ => "data", Recursive = true };
        var definitions = new Option<string>("--definitions") { Description = "The procedure catalogue, to check an officer's agency exists", DefaultValueFactory = _ => "definitions", Recursive = true };
        var command = new Command("users", "Manage API users: add one, give one a new token, remove one, list them");
        command.Options.Add(file);
        command.Options.Add(data);
        command.Options.Add(definitions);

        var id = new Argument<string>("id") { Description = "User id, e.g. cb-sxd-01" };
        var role = new Option<string>("--role") { Description = "officer | auditor | admin | portal", Required = true };
        var agency = new Option<string?>("--agency") { Description = "For officers: the agency id whose steps they act on (as in definitions/agencies.yaml)" };
        var name = new Option<string?>("--name") { Description = "Full name, printed on the letters the officer signs" };
        var add = new Command("add", "Add a user and print their token once") { id, role, agency, name };
        add.SetAction(parse =>
        {
            var path = PathOf(parse, file, data);
            if (!Enum.TryParse<UserRole>(parse.GetValue(role), ignoreCase: true, out var parsedRole) || !Enum.IsDefined(parsedRole))
            {
                return Fail($"--role '{parse.GetValue(role)}': expected {UserDirectory.RoleChoices}");
            }

            var agencyId = parse.GetValue(agency);
            if (agencyId is not null && UnknownAgency(parse.GetValue(definitions)!, agencyId) is { } problem)
            {
                return Fail(problem);
            }

            return Run(() =>
            {
                var token = UserFile.Add(path, parse.GetValue(id)!, parse.GetValue(name), parsedRole, agencyId);
                Console.WriteLine($"added {parse.GetValue(id)} ({parsedRole.ToString().ToLowerInvariant()}{(agencyId is null ? "" : ", " + agencyId)}) to {path}");
                Console.WriteLine($"token (shown once; only its hash is stored): {token}");
            });
        });

        // A subcommand on one user: prints what the change says (the new token, or what was removed).
        Command OnUser(string verb, string description, Func<string, string, string> change)
        {
            var userId = new Argument<string>("id") { Description = "User id" };
            var sub = new Command(verb, description) { userId };
            sub.SetAction(parse =>
            {
                var path = PathOf(parse, file, data);
                return Run(() => Console.WriteLine(change(path, parse.GetValue(userId)!)));
            });
            return sub;
        }

        var reset = OnUser("reset-token", "Give a user a new token (the old one stops working) and print it once", (path, user) =>
            $"new token for {user} in {path} (shown once; the old one no longer works): {UserFile.ResetToken(path, user)}");
        var remove = OnUser("remove", "Remove a user: their token stops working (on a running server too) before the command returns", (path, user) =>
        {
            UserFile.Remove(path, user);
            return $"removed {user} from {path}";
        });

        var list = new Command("list", "List users: id, role, agency, name (never tokens)");
        list.SetAction(parse =>
        {
            var path = PathOf(parse, file, data);
            return Run(() =>
            {
                foreach (var user in UserDirectory.Parse(File.ReadAllText(path), path).Users)
                {
                    Console.WriteLine($"{user.Id,-16} {user.Role.ToString().ToLowerInvariant(),-8} {user.Agency ?? "-",-16} {user.Name}");
                }
            });
        });

        command.Subcommands.Add(add);
        command.Subcommands.Add(reset);
        command.Subcommands.Add(remove);
        command.Subcommands.Add(list);
        return command;
    }

    private static string PathOf(ParseResult parse, Option<string?> file, Option<string> data) =>
        parse.GetValue(file) ?? Path.Combine(parse.GetValue(data)!, "users.yaml");

    /// <summary>An officer of an agency no procedure knows could never act on a step: say so before writing.</summary>
    private static string? UnknownAgency(string definitionsRoot, string agency)
    {
        if (!Directory.Exists(definitionsRoot))
        {
            return null;
        }

        var catalog = DefinitionCatalog.Load(definitionsRoot);
        var known = catalog.Agencies.Select(a => a.Id)
            .Concat(catalog.Definitions.SelectMany(d => d.Agencies.Select(a => a.Id)))
            .ToHashSet(StringComparer.Ordinal);
        if (known.Contains(agency))
        {
            return null;
        }

        var near = known.Where(k => k.Contains(agency, StringComparison.OrdinalIgnoreCase) || agency.Contains(k, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).Take(5).ToList();
        return $"--agency '{agency}' is not an agency of {definitionsRoot}/agencies.yaml or of any procedure" +
               (near.Count > 0 ? $" (did you mean {string.Join(", ", near)}?)" : "");
    }

    private static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
        {
            return Fail(e.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"users: {message}");
        return 2;
    }
}
