using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;

namespace ProcedureEngine.Dossiers.Persistence;

/// <summary>
/// A dossier's status as the read models write it (interfaces.md: received, inProgress, awaitingSupplement,
/// resultReady, returned, refused, withdrawn; plus submitted, incomplete and closed). The status itself is the
/// decider's (<see cref="DossierLifecycle.StatusAfter"/>); only the words are the read models'. "incomplete" is a
/// dossier whose last receipt attempt ended in guidance (form 02): it is not received.
/// </summary>
public static class ReadModelStatus
{
    public const string Submitted = "submitted";

    public const string Incomplete = "incomplete";

    /// <summary>The status text after <paramref name="e"/>, from the text before it.</summary>
    public static string After(string status, DossierEvent e) =>
        e is ReceiptGuidanceIssued ? Incomplete : Text(DossierLifecycle.StatusAfter(Parse(status), e));

    public static bool IsFinished(string status) => DossierLifecycle.IsFinished(Parse(status));

    public static string Text(DossierStatus status) => status switch
    {
        DossierStatus.New => Incomplete,
        DossierStatus.Submitted => Submitted,
        DossierStatus.Received => "received",
        DossierStatus.InProgress => "inProgress",
        DossierStatus.AwaitingSupplement => "awaitingSupplement",
        DossierStatus.ResultReady => "resultReady",
        DossierStatus.Returned => "returned",
        DossierStatus.Refused => "refused",
        DossierStatus.Withdrawn => "withdrawn",
        DossierStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static DossierStatus Parse(string status) => status switch
    {
        Incomplete => DossierStatus.New,
        Submitted => DossierStatus.Submitted,
        "received" => DossierStatus.Received,
        "inProgress" => DossierStatus.InProgress,
        "awaitingSupplement" => DossierStatus.AwaitingSupplement,
        "resultReady" => DossierStatus.ResultReady,
        "returned" => DossierStatus.Returned,
        "refused" => DossierStatus.Refused,
        "withdrawn" => DossierStatus.Withdrawn,
        "closed" => DossierStatus.Closed,
        _ => throw new FormatException($"'{status}' is not a dossier status of the read models"),
    };
}

/// <summary>The summary's active steps, "stepId=agency" joined by ';' in step id order (ordinal).</summary>
internal static class ActiveStepList
{
    public static string With(string? list, string stepId, string agency)
    {
        var steps = Parse(list);
        steps[stepId] = agency;
        return Format(steps);
    }

    public static string Without(string? list, string stepId)
    {
        var steps = Parse(list);
        return steps.Remove(stepId) ? Format(steps) : list ?? "";
    }

    /// <summary>The agency of the first active step (in step id order), null when none is active.</summary>
    public static string? FirstAgency(string? list)
    {
        if (string.IsNullOrEmpty(list))
        {
            return null;
        }

        var first = list.AsSpan();
        var end = first.IndexOf(';');
        first = end < 0 ? first : first[..end];
        return first[(first.IndexOf('=') + 1)..].ToString();
    }

    private static SortedDictionary<string, string> Parse(string? list)
    {
        var steps = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(list))
        {
            foreach (var pair in list.Split(';'))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                steps[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return steps;
    }

    private static string Format(SortedDictionary<string, string> steps) => string.Join(';', steps.Select(a => $"{a.Key}={a.Value}"));
}
