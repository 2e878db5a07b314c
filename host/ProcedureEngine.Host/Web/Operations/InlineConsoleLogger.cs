using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ProcedureEngine.Host.Web.Operations;

/// <summary>
/// The console log without the console logger's queue: .NET's console logger formats a line on the caller's thread
/// and hands it to a thread of its own that writes it — one wake-up of that thread per line, which under load cost
/// more CPU than the line itself (a receipt profile: 14 % of the server's CPU in the logger's thread). Here the same
/// formatter (the <c>simple</c> or <c>json</c> one that <c>AddSimpleConsole</c>/<c>AddJsonConsole</c> configured,
/// so the lines are unchanged) writes the line, and the line is appended to <see cref="Console.Out"/> at once, which
/// <see cref="BufferedConsole"/> already batches; the caller pays a copy into that buffer, nothing more.
/// </summary>
[ProviderAlias("Console")]
internal sealed class InlineConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConsoleFormatter formatter;
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public InlineConsoleLoggerProvider(IEnumerable<ConsoleFormatter> formatters, IOptionsMonitor<ConsoleLoggerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(formatters);
        ArgumentNullException.ThrowIfNull(options);
        var name = options.CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple;
        formatter = formatters.FirstOrDefault(f => f.Name == name)
            ?? throw new InvalidOperationException($"no console log formatter named '{name}'");
    }

    /// <summary>Registers the provider in place of .NET's console logger (after AddSimpleConsole or AddJsonConsole).</summary>
    public static void Replace(ILoggingBuilder logging)
    {
        var console = logging.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList();
        foreach (var descriptor in console)
        {
            logging.Services.Remove(descriptor);
        }

        logging.Services.AddSingleton<ILoggerProvider, InlineConsoleLoggerProvider>();
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Write<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> format)
    {
        var writer = Buffer.Writer ??= new StringWriter(new StringBuilder(256), System.Globalization.CultureInfo.InvariantCulture);
        var line = writer.GetStringBuilder();
        line.Clear();
        formatter.Write(new LogEntry<TState>(level, category, eventId, state, exception, format), scopes, writer);
        if (line.Length == 0)
        {
            return;
        }

        // One call per line: the synchronized writer keeps lines whole.
        Console.Out.Write(line.ToString());
        if (line.Capacity > 16 * 1024)
        {
            line.Capacity = 256;
        }
    }

    private static class Buffer
    {
        [ThreadStatic]
        internal static StringWriter? Writer;
    }

    private sealed class Logger(InlineConsoleLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
