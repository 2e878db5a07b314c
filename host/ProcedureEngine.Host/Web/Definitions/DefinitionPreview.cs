
namespace ProcedureEngine.Host.Web.Definitions;

/// <summary>A time limit case (timeLimitCases) and the appointment a dossier of that case received at the same moment gets.</summary>
public sealed record PreviewCase(string Id, string TimeLimit, string? AppointmentAt, string? Basis);

public sealed record PreviewStep(string Id, string Name, string Agency, string Duration, IReadOnlyList<string> After, bool Conditional, string? FirstDueAt);

/// <summary>What the designer shows beside the editor: the steps, and what a dossier received now would be told.</summary>
public sealed record DefinitionPreview(string Name, string TimeLimit, int Documents, IReadOnlyList<PreviewStep> Steps,
    string? ReceivedAt, string? AppointmentAt, string? Problem)
{
    /// <summary>The limits that depend on the dossier's inputs, each with the appointment its dossiers are promised.</summary>
    public IReadOnlyList<PreviewCase> Cases { get; init; } = [];

    /// <summary>
    /// Runs the real decider on a complete dossier received at <paramref name="now"/> (every declared document,
    /// inputs left empty), so the appointment shown is the one the counter would print. A version that takes
    /// effect later is previewed on its first day, at the present time of day: what its first dossiers will be promised.
    /// </summary>
    public static DefinitionPreview For(ProcedureDefinition definition, IWorkingCalendar calendar, DateTimeOffset now)
    {
        var local = now.ToOffset(calendar.UtcOffset);
        if (definition.Effective.From > DateOnly.FromDateTime(local.DateTime))
        {
            now = new DateTimeOffset(definition.Effective.From.ToDateTime(TimeOnly.FromDateTime(local.DateTime)), calendar.UtcOffset);
        }

        var oneStop = definition.Agencies.FirstOrDefault(a => a.OneStop)?.Id ?? definition.Steps.FirstOrDefault()?.Agency ?? "one-stop";
        var receive = new ReceiveDossier(now, new Actor("designer", oneStop), "preview", new Applicant("Xem trước"),
            ImmutableDictionary<string, string>.Empty, [.. definition.Documents.Select(d => d.Id)]);
        var context = new DossierContext(definition, calendar);
        var decision = Decider.Decide(receive, DossierState.Initial, context);
        var state = decision.State;
        var cases = new List<PreviewCase>();
        foreach (var c in definition.TimeLimitCases)
        {
            // The first combination of answers the case covers: a dossier of that case received at the same moment.
            var inputs = TimeLimits.Assignments(definition, c.When.InputIds())?.FirstOrDefault(a => c.When.Evaluate(a));
            var appointment = inputs is null ? null : Decider.Decide(receive with { Inputs = inputs }, DossierState.Initial, context).State.AppointmentAt;
            cases.Add(new PreviewCase(c.Id, c.TimeLimit.ToString(), appointment is { } at ? SimulationOutput.Time(at, calendar) : null, c.Basis));
        }

        return new DefinitionPreview(
            definition.Name,
            definition.TimeLimit.ToString(),
            definition.Documents.Length,
            [.. definition.Steps.Select(s => new PreviewStep(s.Id, s.Name, s.Agency, s.Duration.ToString(), s.After, s.When is not null,
                state.FindStep(s.Id)?.DueAt is { } due ? SimulationOutput.Time(due, calendar) : null))],
            state.ReceivedAt is { } r ? SimulationOutput.Time(r, calendar) : null,
            state.AppointmentAt is { } a ? SimulationOutput.Time(a, calendar) : null,
            decision.Rejection?.Message)
        {
            Cases = cases,
        };
    }
}
