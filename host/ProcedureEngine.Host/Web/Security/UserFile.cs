using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ProcedureEngine.Host.Web.Security;

/// <summary>
/// Edits users.yaml for the `users` verb: adds a user or gives one a new token, and returns the token
/// (shown once; only its hash is written). The rest of the file (comments, order) is kept; the result
/// is parsed before it replaces the file, so a bad edit never leaves a file the server cannot start on.
/// Each edit reads, changes and replaces the file while holding an exclusive lock on <c>users.yaml.lock</c>
/// beside it, so two `users` commands run at once never lose each other's change.
/// </summary>
public static partial class UserFile
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    /// <summary>Adds a user with a fresh token; creates the file when it does not exist. Throws <see cref="ArgumentException"/> on a bad or taken id.</summary>
    public static string Add(string path, string id, string? name, UserRole role, string? agency)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"user id '{id}': use lower-case letters, digits, '.', '_' or '-' (at most 64), starting with a letter or digit");
        }

        if (role == UserRole.Officer && string.IsNullOrWhiteSpace(agency))
        {
            throw new ArgumentException($"officer '{id}' needs --agency (the agency id whose steps the officer acts on)");
        }

        if (role != UserRole.Officer && !string.IsNullOrWhiteSpace(agency))
        {
            throw new ArgumentException($"only officers belong to an agency; '{id}' is {Role(role)}");
        }

        using var held = Exclusive(path);
        var exists = File.Exists(path);
        var text = exists ? File.ReadAllText(path) : UserDirectory.FileHeader;
        var current = exists ? UserDirectory.Parse(text, path) : new UserDirectory([]);
        if (current.FindById(id) is not null)
        {
            throw new ArgumentException($"user '{id}' already exists in {path} (use `users reset-token {id}` for a new token)");
        }

        var token = UserDirectory.NewToken();
        var line = new StringBuilder("  - { id: ").Append(id);
        if (!string.IsNullOrWhiteSpace(name))
        {
            line.Append(", name: ").Append(Quote(name.Trim()));
        }

        line.Append(", role: ").Append(Role(role));
        if (role == UserRole.Officer)
        {
            line.Append(", agency: ").Append(agency!.Trim());
        }

        line.Append(", tokenSha256: ").Append(UserDirectory.Hash(token)).Append(" }");
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var updated = (text.Length == 0 || text.EndsWith('\n') ? text : text + newline) + line + newline;
        Write(path, updated);
        return token;
    }

    /// <summary>Gives a user a fresh token (the old one stops working); throws <see cref="ArgumentException"/> for an unknown user.</summary>
    public static string ResetToken(string path, string id)
    {
        using var held = Exclusive(path);
        var text = File.ReadAllText(path);
        if (UserDirectory.Parse(text, path).FindById(id) is null)
        {
            throw new ArgumentException($"no user '{id}' in {path}");
        }

        var hash = Find(text, id).Children[new YamlScalarNode("tokenSha256")];
        var token = UserDirectory.NewToken();
        Write(path, string.Concat(text.AsSpan(0, (int)hash.Start.Index), UserDirectory.Hash(token), text.AsSpan((int)hash.End.Index)));
        return token;
    }

    /// <summary>
    /// Removes a user (an officer who left, a leaked token): their token stops working at once on a running server.
    /// The last administrator cannot be removed (nobody could publish procedures any more).
    /// </summary>
    public static void Remove(string path, string id)
    {
        using var held = Exclusive(path);
        var text = File.ReadAllText(path);
        var directory = UserDirectory.Parse(text, path);
        var user = directory.FindById(id) ?? throw new ArgumentException($"no user '{id}' in {path}");
        if (user.Role == UserRole.Admin && directory.Users.Count(u => u.Role == UserRole.Admin) == 1)
        {
            throw new ArgumentException($"'{id}' is the last administrator in {path}: add another one first");
        }

        var item = Find(text, id);

        // From the start of the item's first line to the end of the line of its last value (a closing brace and a
        // comment there go with it). A mapping node's own end mark is not its last character: the values' are.
        var start = text.LastIndexOf('\n', Math.Max(0, (int)item.Start.Index - 1)) + 1;
        var last = (int)item.Children.Values.Concat(item.Children.Keys).Max(n => n.End.Index) - 1;
        var end = text.IndexOf('\n', last);
        Write(path, string.Concat(text.AsSpan(0, start), end < 0 ? string.Empty : text.AsSpan(end + 1)));
    }

    /// <summary>How long an edit waits for another one to finish before giving up.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Takes the lock file beside <paramref name="path"/> (an OS lock: released when the process ends, even killed),
    /// waiting while another edit holds it. Throws <see cref="IOException"/> after <see cref="LockWait"/>.
    /// </summary>
    private static FileStream Exclusive(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (started.Elapsed < LockWait)
            {
                Thread.Sleep(Random.Shared.Next(5, 30));
            }
            catch (IOException e)
            {
                throw new IOException($"{path} is being changed by another `users` command (waited {LockWait.TotalSeconds:0} s for {full}.lock); try again", e);
            }
        }
    }

    private static YamlMappingNode Find(string text, string id)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var list = (YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("users")];
        return list.Children.OfType<YamlMappingNode>()
            .First(m => m.Children.TryGetValue(new YamlScalarNode("id"), out var v) && v is YamlScalarNode { Value: var value } && value == id);
    }

    private static string Role(UserRole role) => role.ToString().ToLowerInvariant();

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Checks the new text parses, then replaces the file in one rename (a reader never sees half a file).</summary>
    private static void Write(string path, string text)
    {
        UserDirectory.Parse(text, path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..8] + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, full, overwrite: true);
    }
}
