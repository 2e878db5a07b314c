
namespace ProcedureEngine.Host.Web.Definitions;

/// <summary>Try-it: a definition (the editor's text), a receipt instant, the applicant's answers and the documents handed in.</summary>
public sealed record TryRequest(string Yaml, string ReceivedAt, Dictionary<string, string>? Inputs, List<string>? Documents);

public sealed record TryStepJson(string Id, string Name, string Agency, string? StartedAt, string? DueAt, string Status, string? Outcome);

public sealed record TryLetterJson(string Form, string Title, string IssuedAt);

public sealed record TryHolidayJson(DateOnly Date, string Reason);

/// <summary>What the real decider does with such a dossier when every step finishes exactly at its due instant.</summary>
public sealed record TryResultJson(string ReceivedAt, string? AppointmentAt, string Status, string? Refusal,
    IReadOnlyList<TryStepJson> Steps, IReadOnlyList<TryLetterJson> Letters, IReadOnlyList<TryHolidayJson> HolidaysSkipped,
    IReadOnlyList<string> DocumentsMissing);

public static class DefinitionTryEndpoints
{
    public static RouteGroupBuilder MapDefinitionTry(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/definitions").WithTags("Definitions");
        group.MapPost("/try", (TryRequest body, DefinitionRegistry registry) =>
            {
                var report = Validator.Validate(body.Yaml ?? "", "body.yaml");
                if (report.HasErrors || report.Definition is not { } definition)
                {
                    return Results.Json(new
                    {
                        title = "Định nghĩa còn lỗi: sửa các lỗi trước khi chạy thử",
                        detail = "yaml: the definition has errors",
                        problems = report.Diagnostics.Select(ProblemJson.From).ToList(),
                    }, statusCode: StatusCodes.Status422UnprocessableEntity);
                }

                var calendar = registry.CalendarFor(definition);
                if (!DateTime.TryParseExact(body.ReceivedAt, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture,
                        DateTimeStyles.None, out var local))
                {
                    return Errors.Problems.InvalidBody($"Thời điểm tiếp nhận không hợp lệ: '{body.ReceivedAt}' (cần yyyy-MM-ddTHH:mm)",
                        $"receivedAt: '{body.ReceivedAt}' is not a local date and time yyyy-MM-ddTHH:mm");
                }

                return Results.Ok(Run(definition, calendar, new DateTimeOffset(local, calendar.UtcOffset), body.Inputs, body.Documents));
            })
            .RequireAuthorization(Policies.Read)
            .WithSummary("Try a definition: receive a dossier at a chosen instant with chosen answers, and finish every step at its due instant; " +
                         "the appointment, each step's due instant, holidays skipped and the letters issued, from the real decider")
            .Produces<TryResultJson>();
        return group;
    }

    /// <summary>Receives the dossier and then, step after step, completes the earliest-due active step at its due instant.</summary>
    public static TryResultJson Run(ProcedureDefinition definition, IWorkingCalendar calendar, DateTimeOffset receivedAt,
        IReadOnlyDictionary<string, string>? inputs, IReadOnlyList<string>? documents)
    {
        var context = new DossierContext(definition, calendar);
        var oneStop = definition.Agencies.FirstOrDefault(a => a.OneStop)?.Id ?? definition.Steps.FirstOrDefault()?.Agency ?? "one-stop";
        var answers = (inputs ?? new Dictionary<string, string>()).ToImmutableDictionary();
        var handedIn = documents is null ? [.. definition.Documents.Select(d => d.Id)] : documents.ToImmutableArray();
        var decision = Decider.Decide(new ReceiveDossier(receivedAt, new Actor("designer", oneStop), "try", new Applicant("Chạy thử"), answers, handedIn),
            DossierState.Initial, context);
        var state = decision.State;
        string? refusal = decision.Rejection?.Message;

        // Each active step finishes at its due instant with its first outcome that moves the dossier forward.
        for (var guard = 0; refusal is null && guard < 200; guard++)
        {
            var next = state.Steps.Where(s => s.Status == StepStatus.Active && s.DueAt is not null).OrderBy(s => s.DueAt).FirstOrDefault();
            if (next is null)
            {
                break;
            }

            var step = definition.FindStep(next.Id);
            var outcome = step?.Outcomes.FirstOrDefault(o => o is not (Outcomes.Supplement or Outcomes.Rejected)) ?? step?.Outcomes.FirstOrDefault();
            DossierCommand command = next.IsReturn
                ? new ReturnResult(next.DueAt!.Value, new Actor("designer", next.Agency))
                : new CompleteStep(next.DueAt!.Value, new Actor("designer", next.Agency), next.Id, outcome);
            var d = Decider.Decide(command, state, context);
            if (d.Rejection is not null)
            {
                refusal = d.Rejection.Message;
                break;
            }

            state = d.State;
        }

        var end = state.AppointmentAt ?? receivedAt;
        var holidays = new List<TryHolidayJson>();
        var from = DateOnly.FromDateTime(receivedAt.ToOffset(calendar.UtcOffset).DateTime);
        var to = DateOnly.FromDateTime(end.ToOffset(calendar.UtcOffset).DateTime);
        for (var year = from.Year; year <= to.Year; year++)
        {
            holidays.AddRange(calendar.NonWorkingDays(year).Where(h => h.Date >= from && h.Date <= to).Select(h => new TryHolidayJson(h.Date, h.Reason)));
        }

        var missing = definition.Documents.Select(d => d.Id).Where(id => !handedIn.Contains(id)).ToList();
        return new TryResultJson(
            SimulationOutput.Time(receivedAt, calendar),
            state.AppointmentAt is { } a ? SimulationOutput.Time(a, calendar) : null,
            state.Status.ToString(),
            refusal,
            [.. state.Steps.Select(s => new TryStepJson(s.Id, s.Name, s.Agency,
                s.StartedAt is { } st ? SimulationOutput.Time(st, calendar) : null,
                s.DueAt is { } due ? SimulationOutput.Time(due, calendar) : null, s.Status.ToString(), s.Outcome))],
            [.. state.Letters.Select(l => new TryLetterJson(l.Form, l.Title, SimulationOutput.Time(l.IssuedAt, calendar)))],
            holidays,
            missing);
    }
}
