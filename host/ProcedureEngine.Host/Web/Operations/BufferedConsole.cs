namespace ProcedureEngine.Host.Web.Operations;

/// <summary>
/// Standard output for `serve`: the console logger writes one line per request, and .NET's console writer makes each
/// line its own write(2) and flush — under load a system call and a lock hand-off per request. Here the lines go to a
/// 64 KB buffer that is written out every <see cref="Interval"/> (and when full, and at exit),
/// so a busy server writes its log in a few large writes. Nothing is reordered; a line is late by at most the interval.
/// Installed once per process.
/// </summary>
public static class BufferedConsole
{
    /// <summary>How long a log line may wait in the buffer.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static readonly Lock Gate = new();
    private static TextWriter? installed;
    private static Timer? timer;

    /// <summary>Replaces <see cref="Console.Out"/> by the buffered writer (before the console logger captures it).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (installed is not null)
            {
                return;
            }

            var stream = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
            installed = TextWriter.Synchronized(stream);
            Console.SetOut(installed);
            timer = new Timer(_ => Flush(), null, Interval, Interval);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Flush();
        }
    }

    /// <summary>Writes out what is buffered (the application's shutdown calls it too).</summary>
    public static void Flush()
    {
        try
        {
            installed?.Flush();
        }
        catch (IOException)
        {
            // Standard output closed (the reader went away): nothing left to tell it.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
