namespace ProcedureEngine.EventStore;

/// <summary>The loop of a background worker that polls the store (projection daemon, notification dispatcher).</summary>
public static class Polling
{
    /// <summary>
    /// Runs <paramref name="pass"/> until cancelled: again at once while a pass says more work may be waiting, else after
    /// <paramref name="idle"/>. Cancellation ends the loop quietly; any other exception of a pass ends it too, so a pass
    /// that must survive a store that is away catches that itself.
    /// </summary>
    public static async Task RunAsync(Func<CancellationToken, Task<bool>> pass, TimeSpan idle, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(clock);
        while (!cancellationToken.IsCancellationRequested)
        {
            bool more;
            try
            {
                more = await pass(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (!more)
            {
                try
                {
                    await Task.Delay(idle, clock, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
