using ProcedureEngine.EventStore;

namespace ProcedureEngine.Notifications.Outbox;

/// <summary>A channel's way out (SMTP, the SMS gateway, the portal webhook).</summary>
public interface INotificationSender
{
    string Channel { get; }

    /// <summary>Sends the message; returns the receiver's reference (or null). Throws <see cref="SendException"/> (or any I/O error) on failure.</summary>
    Task<string?> SendAsync(OutboxMessage message, CancellationToken cancellationToken);
}

/// <summary>A send that failed; <see cref="Permanent"/> when retrying cannot help (the receiver refused the message itself).</summary>
public sealed class SendException : Exception
{
    public SendException(string message, bool permanent = false, Exception? inner = null)
        : base(message, inner) => Permanent = permanent;

    public SendException()
    {
    }

    public SendException(string message)
        : base(message)
    {
    }

    public SendException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public bool Permanent { get; }
}

/// <summary>How the dispatcher retries: exponential backoff with jitter, dead after <see cref="MaxAttempts"/>.</summary>
public sealed record RetryPolicy
{
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Delay after the first failure; doubled after each further one.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The wait after failed attempt number <paramref name="attempt"/> (1-based): "equal jitter", half of
    /// min(max, base·2^(attempt-1)) plus a uniform random part up to the other half, so nodes that failed together
    /// (a mail server that came back) do not retry in lockstep. Null when the attempts are used up (dead).
    /// </summary>
    public TimeSpan? DelayAfter(int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (attempt >= MaxAttempts)
        {
            return null;
        }

        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(30, attempt - 1));
        var capped = Math.Min(MaxDelay.TotalMilliseconds, exponential);
        return TimeSpan.FromMilliseconds((capped / 2) + (random.NextDouble() * capped / 2));
    }
}

/// <summary>How a dispatcher node works.</summary>
public sealed record DispatcherOptions
{
    /// <summary>This node's name in claims (host name + process id by default).</summary>
    public string Node { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    public int BatchSize { get; init; } = 64;

    /// <summary>Messages sent at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>How long a claim holds: longer than a send can take (senders time out well before).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public RetryPolicy Retry { get; init; } = new();
}

/// <summary>What one pass did.</summary>
public sealed record DispatchReport(int Claimed, int Sent, int Retried, int Dead);

/// <summary>
/// Sends the outbox: claims due messages of the channels it has a sender for, sends them (in parallel, outside any
/// transaction), then records sent / retry at a backoff / dead. Messages of a channel with no sender stay pending and
/// listed. Several dispatchers (threads or nodes on one PostgreSQL) share the work: a claimed row is skipped by the
/// others until its lease ends.
/// </summary>
public sealed class OutboxDispatcher(OutboxStore outbox, IEnumerable<INotificationSender> senders, DispatcherOptions? options = null, TimeProvider? clock = null, Action<string>? log = null)
{
    private readonly Dictionary<string, INotificationSender> senders = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);
    private readonly DispatcherOptions options = options ?? new DispatcherOptions();
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    /// <summary>Channels this dispatcher sends (the others' messages are kept, not sent).</summary>
    public IReadOnlyCollection<string> Channels => senders.Keys;

    /// <summary>One pass: claim a batch, send, record.</summary>
    public async Task<DispatchReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var claimed = await outbox.ClaimAsync(senders.Keys, options.Node, now, now + options.Lease, options.BatchSize, cancellationToken).ConfigureAwait(false);
        int sent = 0, retried = 0, dead = 0;
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (message, ct) =>
        {
            var sender = senders[message.Channel];
            string? reference;
            try
            {
                reference = await sender.SendAsync(message, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var attempt = message.Attempts + 1;
                var permanent = ex is SendException { Permanent: true };
                var delay = permanent ? null : options.Retry.DelayAfter(attempt, Random.Shared);
                var at = clock.GetUtcNow();
                await outbox.MarkFailedAsync(message.Id, $"attempt {attempt}: {Describe(ex)}", at + delay, at, CancellationToken.None).ConfigureAwait(false);
                if (delay is null)
                {
                    Interlocked.Increment(ref dead);
                    log?.Invoke($"notification {message.Id} dead after {attempt} attempt(s): {Describe(ex)}");
                }
                else
                {
                    Interlocked.Increment(ref retried);
                }

                return;
            }

            // Between the send above and this write is the crash window: a node killed here has sent a message its
            // row still calls pending; after the lease another node sends it again, with the same id.
            await outbox.MarkSentAsync(message.Id, clock.GetUtcNow(), reference, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Increment(ref sent);
        }).ConfigureAwait(false);
        return new DispatchReport(claimed.Count, sent, retried, dead);
    }

    /// <summary>Runs passes until cancelled: at once again while there is work, else after the poll interval.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        senders.Count == 0 ? Task.CompletedTask : Polling.RunAsync(PassAsync, options.PollInterval, clock, cancellationToken);

    /// <summary>One pass of <see cref="RunAsync"/>: true when the batch was full (more may be waiting).</summary>
    private async Task<bool> PassAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await RunOnceAsync(cancellationToken).ConfigureAwait(false)).Claimed >= options.BatchSize;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The database is away: try again later, nothing is lost (the rows are where they were).
            log?.Invoke($"notification dispatcher: {ex.Message}");
            return false;
        }
    }

    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += $" ({inner.Message})";
        }

        return ex is SendException ? message : $"{ex.GetType().Name}: {message}";
    }
}
