using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProcedureEngine.EventStore;

/// <summary>
/// Activity source and meter <c>ProcedureEngine.EventStore</c>: one span per append (stream, events, global position;
/// the driver's own spans nest under it on PostgreSQL), events appended, append duration and appends per committed
/// transaction (group commit) by backend.
/// </summary>
public static class EventStoreTelemetry
{
    public const string Name = "ProcedureEngine.EventStore";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Appended = Meter.CreateCounter<long>("pe.events.appended", "{event}", "Events appended to the store (a retried request's replay appends none)");

    private static readonly Histogram<double> AppendDuration = Meter.CreateHistogram<double>("pe.append.duration", "s", "Time to append one command's events, commit included");

    private static readonly Histogram<int> GroupSize = Meter.CreateHistogram<int>("pe.append.group", "{append}",
        "Appends committed together in one transaction (group commit); tagged with the backend and the database (db.namespace)");

    /// <summary>Records a committed group of appends.</summary>
    internal static void RecordGroup(string backend, string database, int appends) =>
        GroupSize.Record(appends, new KeyValuePair<string, object?>("backend", backend), new KeyValuePair<string, object?>("db.namespace", database));

    /// <summary>Runs one append under a span and records it.</summary>
    public static async Task<AppendResult> AppendAsync(IEventStore store, string streamId, int events, Func<Task<AppendResult>> append)
    {
        ArgumentNullException.ThrowIfNull(append);
        return (await TraceAsync(store, streamId, () => events, async () => await append().ConfigureAwait(false)).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Runs an append that may decide to write nothing (a numbered append whose decision was a rejection: null) under a
    /// span; <paramref name="events"/> is asked after the append, when the decision that made the events is known.
    /// </summary>
    public static async Task<AppendResult?> TraceAsync(IEventStore store, string streamId, Func<int> events, Func<Task<AppendResult?>> append)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(append);
        using var activity = Source.StartActivity("append");
        activity?.SetTag("db.system", store.Backend);
        activity?.SetTag("pe.stream", streamId);
        var started = Stopwatch.GetTimestamp();
        var backend = new KeyValuePair<string, object?>("backend", store.Backend);
        try
        {
            var result = await append().ConfigureAwait(false);
            if (result is null)
            {
                activity?.SetTag("pe.events", 0);
                return null;
            }

            var count = events();
            activity?.SetTag("pe.events", count);
            activity?.SetTag("pe.global_position", result.LastGlobalPosition);
            activity?.SetTag("pe.duplicate", result.WasDuplicate);
            Appended.Add(result.WasDuplicate ? 0 : count, backend);
            AppendDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, backend, new("outcome", result.WasDuplicate ? "replayed" : "appended"));
            return result;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            AppendDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, backend, new("outcome", e is ConcurrencyException ? "conflict" : "failed"));
            throw;
        }
    }
}
