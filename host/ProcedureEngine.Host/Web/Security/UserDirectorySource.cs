namespace ProcedureEngine.Host.Web.Security;

/// <summary>
/// The users file as the running server sees it: read at start (a malformed file stops the server), then
/// checked on every request, so `users add`, `users reset-token` and `users remove` take effect without a
/// restart and before the command returns (a removed user's next request is refused). The check is one
/// <c>stat</c> (time written and length); while the file's time is too recent to tell two writes in the same
/// clock tick apart (a token reset keeps the length), its text is read and compared, as git does for "racily
/// clean" files. A file broken by a hand edit is reported in the log once and the last good directory stays
/// in force.
/// </summary>
public sealed class UserDirectorySource
{
    /// <summary>Writes closer together than this may share a modification time: compare the text while the file is this young.</summary>
    private static readonly TimeSpan Racy = TimeSpan.FromSeconds(2);

    private readonly string path;
    private readonly Action<string> report;
    private readonly Lock gate = new();
    private UserDirectory current;
    private Seen seen;

    /// <summary>What was last read: the file's stamp, when it was read, and its text (good or not).</summary>
    private sealed record Seen(DateTime Written, long Length, DateTime ReadAt, string Text);

    private UserDirectorySource(string path, UserDirectory directory, Seen seen, Action<string> report)
    {
        this.path = path;
        current = directory;
        this.seen = seen;
        this.report = report;
    }

    /// <summary>Reads <paramref name="path"/> now; throws <see cref="FormatException"/> with line and reason when it is malformed.</summary>
    public static UserDirectorySource Watch(string path, Action<string> report)
    {
        var info = new FileInfo(path);
        var text = File.ReadAllText(path);
        return new UserDirectorySource(path, UserDirectory.Parse(text, path), new Seen(info.LastWriteTimeUtc, info.Length, DateTime.UtcNow, text), report);
    }

    public UserDirectory Current
    {
        get
        {
            Refresh();
            return Volatile.Read(ref current);
        }
    }

    private void Refresh()
    {
        var last = Volatile.Read(ref seen);
        var info = new FileInfo(path);
        if (info.Exists ? info.LastWriteTimeUtc == last.Written && info.Length == last.Length && last.ReadAt - last.Written > Racy : last.Length < 0)
        {
            return;
        }

        lock (gate)
        {
            last = seen;
            try
            {
                info.Refresh();
                var written = info.LastWriteTimeUtc;
                var length = info.Length;
                var readAt = DateTime.UtcNow;
                var text = File.ReadAllText(path);
                Volatile.Write(ref seen, new Seen(written, length, readAt, text));
                if (string.Equals(text, last.Text, StringComparison.Ordinal))
                {
                    return;
                }

                var next = UserDirectory.Parse(text, path);
                Volatile.Write(ref current, next);
                report($"users: reloaded {path} ({next.Users.Count} user(s))");
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                if (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    Volatile.Write(ref seen, new Seen(default, -1, DateTime.UtcNow, last.Text));
                }

                if (last.Length < 0 && e is FileNotFoundException or DirectoryNotFoundException)
                {
                    return;
                }

                report($"users: {e.Message}; the previous list of users stays in force");
            }
        }
    }
}
