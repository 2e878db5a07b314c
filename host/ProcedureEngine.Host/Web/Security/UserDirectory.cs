using System.Security.Cryptography;
using YamlDotNet.RepresentationModel;

namespace ProcedureEngine.Host.Web.Security;

public enum UserRole
{
    /// <summary>Acts on dossiers, only on steps of their own agency.</summary>
    Officer,

    /// <summary>Reads everything, writes nothing.</summary>
    Auditor,

    /// <summary>Authors and publishes procedure definitions; reads everything.</summary>
    Admin,

    /// <summary>
    /// The public service portal's integration account (Cổng dịch vụ công): lodges online dossiers and reads
    /// the status of online submissions; reads nothing else (the dossiers hold citizens' personal data).
    /// </summary>
    Portal,
}

public sealed record ApiUser(string Id, string Name, UserRole Role, string? Agency, string TokenSha256);

/// <summary>
/// Who may call the API: data/users.yaml, tokens stored only as SHA-256 hashes. A malformed file stops
/// the server at start with the line and reason; edits while it runs are picked up by <see cref="UserDirectorySource"/>.
/// </summary>
public sealed class UserDirectory
{
    private readonly Dictionary<string, ApiUser> byTokenHash;
    private readonly Dictionary<string, ApiUser> byId;

    public UserDirectory(IEnumerable<ApiUser> users)
    {
        Users = [.. users];
        byTokenHash = Users.ToDictionary(u => u.TokenSha256, StringComparer.OrdinalIgnoreCase);
        byId = Users.ToDictionary(u => u.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<ApiUser> Users { get; }

    public ApiUser? FindByToken(string token) =>
        byTokenHash.TryGetValue(Hash(token), out var user) ? user : null;

    public ApiUser? FindById(string id) => byId.GetValueOrDefault(id);

    /// <summary>The roles a user may have, as error messages list them.</summary>
    public const string RoleChoices = "officer, auditor, admin or portal";

    /// <summary>The opening of a users file, written on first start and when `users add` creates one.</summary>
    internal const string FileHeader = """
        # Who may call the ProcedureEngine API. Tokens are stored as SHA-256 hashes only.
        # role: officer (acts on steps of its agency) | auditor (reads everything) | admin (definitions).
        users:

        """;

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    /// <summary>Parses users.yaml; throws <see cref="FormatException"/> naming the line and the problem.</summary>
    public static UserDirectory Parse(string yaml, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"{path}:{e.Start.Line}:{e.Start.Column}: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root ||
            !root.Children.TryGetValue(new YamlScalarNode("users"), out var usersNode) || usersNode is not YamlSequenceNode list)
        {
            throw new FormatException($"{path}:1:1: expected a 'users:' list");
        }

        var users = new List<ApiUser>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode map)
            {
                throw new FormatException($"{path}:{item.Start.Line}:{item.Start.Column}: each user is a mapping");
            }

            string? Get(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;
            foreach (var key in map.Children.Keys.OfType<YamlScalarNode>())
            {
                if (key.Value is not ("id" or "name" or "role" or "agency" or "tokenSha256"))
                {
                    throw new FormatException($"{path}:{key.Start.Line}:{key.Start.Column}: unknown key '{key.Value}' (expected id, name, role, agency, tokenSha256)");
                }
            }

            var id = Get("id") ?? throw new FormatException($"{path}:{map.Start.Line}:{map.Start.Column}: user without 'id'");
            var hash = Get("tokenSha256") ?? throw new FormatException($"{path}:{map.Start.Line}:{map.Start.Column}: user '{id}' without 'tokenSha256'");
            if (!Enum.TryParse<UserRole>(Get("role"), ignoreCase: true, out var role))
            {
                throw new FormatException($"{path}:{map.Start.Line}:{map.Start.Column}: user '{id}' has role '{Get("role")}'; expected {RoleChoices}");
            }

            var agency = Get("agency");
            if (role == UserRole.Officer && string.IsNullOrWhiteSpace(agency))
            {
                throw new FormatException($"{path}:{map.Start.Line}:{map.Start.Column}: officer '{id}' needs an 'agency'");
            }

            users.Add(new ApiUser(id, Get("name") ?? id, role, agency, hash));
        }

        var sameId = users.GroupBy(u => u.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (sameId is not null)
        {
            throw new FormatException($"{path}: user id '{sameId.Key}' appears {sameId.Count()} times");
        }

        var duplicate = users.GroupBy(u => u.TokenSha256).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"{path}: users {string.Join(", ", duplicate.Select(u => u.Id))} share one token");
        }

        return new UserDirectory(users);
    }

    /// <summary>
    /// First start on a fresh machine: writes a users file with an administrator, an auditor and one
    /// officer of the one-stop unit, and returns their tokens (shown once; only hashes are stored).
    /// </summary>
    public static IReadOnlyList<(ApiUser User, string Token)> CreateInitialFile(string path, string oneStopAgency)
    {
        var created = new List<(ApiUser, string)>();
        var builder = new StringBuilder();
        builder.Append(FileHeader);
        foreach (var (id, name, role, agency) in new[]
                 {
                     ("admin", "Quản trị hệ thống", UserRole.Admin, (string?)null),
                     ("kiem-soat-01", "Cán bộ kiểm soát", UserRole.Auditor, null),
                     ("cb-motcua-01", "Cán bộ Bộ phận Một cửa", UserRole.Officer, oneStopAgency),
                 })
        {
            var token = NewToken();
            var user = new ApiUser(id, name, role, agency, Hash(token));
            created.Add((user, token));
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - {{ id: {id}, name: \"{name}\", role: {role.ToString().ToLowerInvariant()}");
            if (agency is not null)
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $", agency: {agency}");
            }

            builder.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $", tokenSha256: {user.TokenSha256} }}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, builder.ToString(), new UTF8Encoding(false));
        return created;
    }
}
