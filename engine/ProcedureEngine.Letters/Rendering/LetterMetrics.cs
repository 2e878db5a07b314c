using System.Diagnostics.Metrics;
using ProcedureEngine.Dossiers.Rules;

namespace ProcedureEngine.Letters.Rendering;

/// <summary>Meter <c>ProcedureEngine.Letters</c>: letters rendered, by form and rule set (every format goes through the HTML).</summary>
public static class LetterMetrics
{
    public const string MeterName = "ProcedureEngine.Letters";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Rendered = Meter.CreateCounter<long>("pe.letters.rendered", "{letter}", "Letters rendered (HTML, PDF or text), by form and rule set");

    internal static void Record(RuleSet rules, FormInfo form) =>
        Rendered.Add(1, new KeyValuePair<string, object?>("form", form.Kind.ToString()), new KeyValuePair<string, object?>("rule_set", rules.Id));
}
