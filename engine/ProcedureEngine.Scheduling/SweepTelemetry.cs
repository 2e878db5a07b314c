using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProcedureEngine.Scheduling;

/// <summary>Activity source and meter <c>ProcedureEngine.Scheduling</c>: each deadline sweep's duration, outcome and dossiers touched.</summary>
public static class SweepTelemetry
{
    public const string Name = "ProcedureEngine.Scheduling";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("pe.sweep.duration", "s", "Time one deadline sweep took, by outcome");

    private static readonly Counter<long> Touched = Meter.CreateCounter<long>("pe.sweep.dossiers.touched", "{dossier}", "Dossiers a sweep appended events to (warnings, apologies, overdue flags)");

    internal static void Record(TimeSpan elapsed, int touched, string outcome)
    {
        Duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        if (touched > 0)
        {
            Touched.Add(touched);
        }
    }
}
