using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProcedureEngine.Host.Web.Operations;

/// <summary>
/// Meter <c>ProcedureEngine</c>: commands decided (by command and outcome), rejections (by command and the rule that
/// refused), and the lag of each asynchronous read model behind the event store. A decision also tags the request's
/// span with the dossier code, the command and the outcome, so a trace and a log line name the dossier.
/// </summary>
public static class EngineTelemetry
{
    public const string MeterName = "ProcedureEngine";

    /// <summary>Every meter and activity source of the engine, for the exporters.</summary>
    public static readonly string[] Meters = [MeterName, ProcedureEngine.EventStore.EventStoreTelemetry.Name, ProcedureEngine.Scheduling.SweepTelemetry.Name, ProcedureEngine.Letters.Rendering.LetterMetrics.MeterName];

    public static readonly string[] Sources = [ProcedureEngine.EventStore.EventStoreTelemetry.Name, ProcedureEngine.Scheduling.SweepTelemetry.Name];

    /// <summary>Tag on the request's span (and its log line) naming the dossier the request acted on.</summary>
    public const string DossierCodeTag = "pe.dossier.code";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> DecidedCounter = Meter.CreateCounter<long>("pe.commands.decided", "{command}", "Commands the engine decided, by command and outcome (accepted or rejected)");

    private static readonly Counter<long> RejectedCounter = Meter.CreateCounter<long>("pe.commands.rejected", "{command}", "Commands refused, by command and the rule that refused them");

    private static readonly ConcurrentDictionary<string, long> Lags = new(StringComparer.Ordinal);

    private static volatile IReadOnlyDictionary<(string Channel, string Status), long> outboxDepth = new Dictionary<(string, string), long>();

    static EngineTelemetry()
    {
        Meter.CreateObservableGauge("pe.projection.lag", () => Lags.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>("read_model", l.Key))),
            "{event}", "Events in the store not yet applied to an asynchronous read model");
        Meter.CreateObservableGauge("pe.outbox.depth", () => outboxDepth.Select(d => new Measurement<long>(d.Value,
                new KeyValuePair<string, object?>("channel", d.Key.Channel), new KeyValuePair<string, object?>("status", d.Key.Status))),
            "{message}", "Notifications not sent yet (pending) or given up (dead), by channel");
    }

    /// <summary>Records a decision on a dossier (after the decider ran, before the append).</summary>
    public static void Decided(DossierCommand command, Decision decision, string? dossierCode)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(decision);
        var name = command.GetType().Name;
        var outcome = decision.Rejection is null ? "accepted" : "rejected";
        DecidedCounter.Add(1, new KeyValuePair<string, object?>("command", name), new KeyValuePair<string, object?>("outcome", outcome));
        if (decision.Rejection is { } rejection)
        {
            RejectedCounter.Add(1, new KeyValuePair<string, object?>("command", name), new KeyValuePair<string, object?>("rule", rejection.Code));
        }

        // The request's span carries the command (a receipt decides inside its numbered append's span; the tags
        // belong to the request, whose log line names the dossier).
        if (RequestActivity() is { } activity)
        {
            activity.SetTag("pe.command", name);
            activity.SetTag("pe.outcome", outcome);
            if (decision.Rejection is { } r)
            {
                activity.SetTag("pe.rule", r.Code);
            }

            if ((decision.State.Code ?? dossierCode) is { Length: > 0 } code)
            {
                activity.SetTag(DossierCodeTag, code);
            }
        }
    }

    /// <summary>The HTTP request's span the current activity runs under, or the current activity outside a request.</summary>
    private static Activity? RequestActivity()
    {
        for (var a = Activity.Current; a is not null; a = a.Parent)
        {
            if (a.Source.Name == "Microsoft.AspNetCore")
            {
                return a;
            }
        }

        return Activity.Current;
    }

    /// <summary>The outbox's depth as last counted (every channel and status present, zeros included).</summary>
    internal static void SetOutboxDepth(IReadOnlyDictionary<(string Channel, string Status), long> depth) => outboxDepth = depth;

    internal static void SetLag(string readModel, long events) => Lags[readModel] = events;
}
