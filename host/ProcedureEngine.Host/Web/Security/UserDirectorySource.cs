namespace ProcedureEngine.Host.Web.Security;

/// <summary>
/// The users file as the running server sees it: read at start (a malformed file stops the server), then
/// re-read when it changes on disk, at most once a second, so `users add` or `users reset-token` take
/// effect without a restart. A file broken by a hand edit is reported in the log and the last good
/// directory stays in force.
/// </summary>
public sealed class UserDirectorySource
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    private static readonly TimeProvider Clock = TimeProvider.System;

    private readonly string path;
    private readonly Action<string> report;
    private readonly Lock gate = new();
    private UserDirectory current;
    private DateTime seenWrite;
    private long lastCheck;

    private UserDirectorySource(string path, UserDirectory directory, DateTime written, Action<string> report)
    {
        this.path = path;
        current = directory;
        seenWrite = written;
        this.report = report;
        lastCheck = Clock.GetTimestamp();
    }

    /// <summary>Reads <paramref name="path"/> now; throws <see cref="FormatException"/> with line and reason when it is malformed.</summary>
    public static UserDirectorySource Watch(string path, Action<string> report)
    {
        var written = File.GetLastWriteTimeUtc(path);
        return new UserDirectorySource(path, UserDirectory.Parse(File.ReadAllText(path), path), written, report);
    }

    public UserDirectory Current
    {
        get
        {
            if (Clock.GetElapsedTime(Interlocked.Read(ref lastCheck)) >= CheckEvery)
            {
                Refresh();
            }

            return Volatile.Read(ref current);
        }
    }

    private void Refresh()
    {
        lock (gate)
        {
            if (Clock.GetElapsedTime(lastCheck) < CheckEvery)
            {
                return;
            }

            Interlocked.Exchange(ref lastCheck, Clock.GetTimestamp());
            try
            {
                var written = File.GetLastWriteTimeUtc(path);
                if (written == seenWrite)
                {
                    return;
                }

                seenWrite = written;
                var next = UserDirectory.Parse(File.ReadAllText(path), path);
                Volatile.Write(ref current, next);
                report($"users: reloaded {path} ({next.Users.Count} user(s))");
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                report($"users: {e.Message}; the previous list of users stays in force");
            }
        }
    }
}
