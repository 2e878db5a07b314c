using Bogus;
using ProcedureEngine.Dossiers.Scenarios;

namespace ProcedureEngine.Host.Seeding;

/// <summary>What happens to one generated dossier.</summary>
public enum DossierFate
{
    /// <summary>Every step done within its budget; returned on or before the appointment.</summary>
    OnTime,

    /// <summary>The appraising agency asks once for a declared document; the applicant brings it.</summary>
    Supplement,

    /// <summary>One step overruns its budget: the engine's tick issues the apology (form 04).</summary>
    Late,

    /// <summary>The appraisal ends with a refusal.</summary>
    Rejected,

    /// <summary>The applicant withdraws before the decision.</summary>
    Withdrawn,

    /// <summary>The one-stop officer refuses to receive it (form 03).</summary>
    RefusedAtCounter,
}

/// <summary>One generated dossier: a scenario on a procedure, run by the same runner as `simulate`.</summary>
public sealed record GeneratedDossier(string DossierId, ProcedureDefinition Definition, Scenario Scenario, DossierFate Fate);

/// <summary>
/// Generates a realistic month of one-stop dossiers across a catalogue, deterministically from a
/// seed: receipts spread over the month's working days and office hours, procedures weighted
/// towards construction (the busiest field of a provincial centre), Vietnamese applicants, inputs
/// drawn from each procedure's declared values, exactly the documents the procedure requires, and
/// a mix of fates (mostly on time; supplements, late steps with apologies, refusals, withdrawals).
/// Actions after <c>cutoff</c> are left out, so dossiers received late in the month are still in
/// progress. Pure: the caller supplies definitions, calendar and cutoff.
/// </summary>
public static class MonthOfDossiers
{
    private static readonly (DossierFate Fate, int Weight)[] Fates =
    [
        (DossierFate.OnTime, 70), (DossierFate.Supplement, 10), (DossierFate.Late, 8),
        (DossierFate.Rejected, 4), (DossierFate.Withdrawn, 4), (DossierFate.RefusedAtCounter, 4),
    ];

    private static readonly string[] SupplementReasons =
    [
        "Bản vẽ thiếu mặt cắt chủ yếu của công trình", "Giấy tờ về đất đai chưa được chứng thực",
        "Thông tin trong đơn không khớp với giấy tờ kèm theo", "Bản sao chưa rõ nét, đề nghị nộp lại",
    ];

    private static readonly string[] CounterRefusals =
    [
        "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan", "Hồ sơ đề nghị cho công trình đã được cấp phép, không phải cấp mới",
    ];

    private static readonly string[] LateReasons =
    [
        "Chờ ý kiến của cơ quan phối hợp", "Cần kiểm tra thực địa bổ sung", "Cán bộ thụ lý nghỉ ốm đột xuất",
    ];

    public static IReadOnlyList<GeneratedDossier> Generate(
        IReadOnlyList<ProcedureDefinition> catalogue, IWorkingCalendar calendar, int year, int month, int count, int seed, DateTimeOffset cutoff,
        string? jurisdiction = null, Func<ProcedureDefinition, DateOnly, ProcedureDefinition>? localize = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var first = new DateOnly(year, month, 1);
        var workingDays = Enumerable.Range(0, DateTime.DaysInMonth(year, month)).Select(first.AddDays).Where(calendar.IsWorkingDay).ToList();
        var procedures = catalogue.Where(d => d.Effective.Contains(first) || d.Effective.Contains(first.AddMonths(1).AddDays(-1))).ToList();
        if (workingDays.Count == 0 || procedures.Count == 0 || count == 0)
        {
            return [];
        }

        Randomizer.Seed = new Random(seed);
        var faker = new Faker("vi") { Random = new Randomizer(seed) };
        var random = faker.Random;
        var weights = Normalized(procedures.Select(p => p.Field == "construction" ? 3f : 1f));
        var fateWeights = Normalized(Fates.Select(f => (float)f.Weight));
        var fates = Fates.Select(f => f.Fate).ToArray();
        var receipts = Enumerable.Range(0, count)
            .Select(_ => ReceiptTime(random, workingDays[random.Int(0, workingDays.Count - 1)], calendar.UtcOffset))
            .Order()
            .ToList();

        var result = new List<GeneratedDossier>(count);
        var sequences = new Dictionary<(string Agency, DateOnly Day), int>();
        foreach (var receivedAt in receipts)
        {
            var definition = random.WeightedRandom(procedures.ToArray(), weights);
            definition = localize?.Invoke(definition, DateOnly.FromDateTime(receivedAt.DateTime)) ?? definition;
            var fate = random.WeightedRandom(fates, fateWeights);
            // The month is mixed into the id: two months seeded with the same seed must not share a stream.
            var idBytes = random.Bytes(16);
            (idBytes[0], idBytes[1], idBytes[2]) = ((byte)(idBytes[0] ^ month), (byte)(idBytes[1] ^ (year & 0xFF)), (byte)(idBytes[2] ^ (year >> 8)));
            var id = new Guid(idBytes).ToString();
            var scenario = Plan(definition, calendar, faker, receivedAt, fate, cutoff, id);

            // dossier codes number receipts per receiving agency and day (Art. 28)
            var receiving = definition.Agencies.FirstOrDefault(a => a.OneStop);
            var key = (receiving?.Code ?? receiving?.Id ?? "one-stop", DateOnly.FromDateTime(receivedAt.DateTime));
            var sequence = fate == DossierFate.RefusedAtCounter ? 0 : sequences[key] = sequences.GetValueOrDefault(key) + 1;
            scenario = scenario with { Jurisdiction = jurisdiction, Dossier = scenario.Dossier with { Sequence = Math.Max(sequence, 1) } };
            result.Add(new GeneratedDossier(id, definition, scenario, fate));
        }

        return result;
    }

    /// <summary>Bogus' weighted pick needs weights that sum to 1.</summary>
    private static float[] Normalized(IEnumerable<float> weights)
    {
        var w = weights.ToArray();
        var sum = w.Sum();
        return [.. w.Select(x => x / sum)];
    }

    private static DateTimeOffset ReceiptTime(Randomizer random, DateOnly day, TimeSpan offset)
    {
        // 07:30-11:25 or 13:30-16:55, in 5-minute steps
        var minutes = random.Bool(0.6f) ? random.Int(0, 47) * 5 + (7 * 60 + 30) : random.Int(0, 41) * 5 + (13 * 60 + 30);
        return new DateTimeOffset(day.ToDateTime(new TimeOnly(minutes / 60, minutes % 60)), offset);
    }

    private static Scenario Plan(ProcedureDefinition d, IWorkingCalendar calendar, Faker faker, DateTimeOffset receivedAt, DossierFate fate, DateTimeOffset cutoff, string id)
    {
        var random = faker.Random;
        var organization = random.Bool(0.45f);
        var applicant = new Applicant(organization ? $"Công ty {faker.PickRandom(CompanyKinds)} {faker.Name.LastName()} {faker.Address.City()}" : faker.Name.FullName())
        {
            Kind = organization ? "organization" : "individual",
            Phone = "09" + random.ReplaceNumbers("########"),
        };
        var inputs = d.Inputs.ToImmutableDictionary(i => i.Id, i => InputValue(i, random));
        var documents = d.Documents.Where(x => x.When is null || x.When.Evaluate(inputs)).Select(x => x.Id).ToImmutableArray();
        var oneStop = d.Agencies.FirstOrDefault(a => a.OneStop)?.Id ?? "one-stop";
        var actions = new List<(DateTimeOffset At, string Do, Func<int, ScenarioAction> Make)>();
        void Add(DateTimeOffset at, string what, Func<int, ScenarioAction> make) => actions.Add((at, what, make));
        ScenarioAction Act(int index, DateTimeOffset at, string what) => new() { Index = index, At = at.ToOffset(calendar.UtcOffset).DateTime, Offset = calendar.UtcOffset, Do = what };
        Actor Officer(string agency) => new($"cb-{agency}-{random.Int(1, 3):00}", agency);

        if (fate == DossierFate.RefusedAtCounter)
        {
            var reason = faker.PickRandom(CounterRefusals);
            var by = Officer(oneStop);
            Add(receivedAt, ScenarioActions.Refuse, i => Act(i, receivedAt, ScenarioActions.Refuse) with { Reason = reason, By = by });
            return Build(d, id, applicant, inputs, documents, actions, cutoff);
        }

        var receiver = Officer(oneStop);
        Add(receivedAt, ScenarioActions.Receive, i => Act(i, receivedAt, ScenarioActions.Receive) with { By = receiver });

        // Walk the steps in order: each starts when its predecessors are done and takes a share of
        // its budget (Late: one appraisal-type step overruns it).
        var active = d.Steps.Where(s => s.When is null || s.When.Evaluate(inputs)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var done = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal) { [d.Steps[0].Id] = receivedAt };
        var lateStep = d.Steps.Skip(1).Where(s => active.Contains(s.Id) && s.Outcomes.Contains(Outcomes.Supplement)).Select(s => s.Id).FirstOrDefault()
            ?? d.Steps.Skip(1).FirstOrDefault(s => active.Contains(s.Id))?.Id;
        var returnStep = d.Steps[^1];
        (DateTimeOffset Asked, DateTimeOffset Brought)? pause = null;
        foreach (var step in d.Steps.Skip(1))
        {
            if (!active.Contains(step.Id))
            {
                done[step.Id] = step.After.Where(done.ContainsKey).Select(p => done[p]).DefaultIfEmpty(receivedAt).Max();
                continue;
            }

            var start = step.After.Where(done.ContainsKey).Select(p => done[p]).DefaultIfEmpty(receivedAt).Max();
            var due = calendar.Add(start, step.Duration);
            var share = fate == DossierFate.Late && step.Id == lateStep ? random.Double(1.15, 1.6) : random.Double(0.3, 0.95);
            var span = WorkingSpan(calendar, start, due) * share;
            var end = AddWorking(calendar, start, span);
            if (step == returnStep)
            {
                // the applicant comes to collect the result
                var collect = AddWorking(calendar, end, TimeSpan.FromHours(random.Double(0.2, 0.9) * WorkingSpan(calendar, start, due).TotalHours));
                var by = Officer(step.Agency);
                Add(collect, ScenarioActions.Return, i => Act(i, collect, ScenarioActions.Return) with { By = by });
                if (random.Bool(0.4f))
                {
                    var at = collect.AddMinutes(random.Int(5, 120));
                    var score = random.WeightedRandom([5, 4, 3, 2], [0.55f, 0.3f, 0.1f, 0.05f]);
                    Add(at, ScenarioActions.Evaluate, i => Act(i, at, ScenarioActions.Evaluate) with { Score = score });
                }

                break;
            }

            if (fate == DossierFate.Supplement && step.Id == lateStep && documents.Length > 0)
            {
                var askedAt = AddWorking(calendar, start, span * 0.4);
                var wanted = faker.PickRandom(documents.AsEnumerable());
                var reason = faker.PickRandom(SupplementReasons);
                var by = Officer(step.Agency);
                Add(askedAt, ScenarioActions.RequestSupplement, i => Act(i, askedAt, ScenarioActions.RequestSupplement) with { Step = step.Id, Documents = [wanted], Reason = reason, By = by });
                var broughtAt = AddWorking(calendar, askedAt, TimeSpan.FromHours(7.5 * random.Int(1, 6)));
                Add(broughtAt, ScenarioActions.Supplement, i => Act(i, broughtAt, ScenarioActions.Supplement) with { Documents = [wanted] });

                // the step restarts when the complete dossier comes back
                start = broughtAt;
                end = AddWorking(calendar, start, WorkingSpan(calendar, start, calendar.Add(start, step.Duration)) * random.Double(0.3, 0.9));
                pause = (askedAt, broughtAt);
            }

            // While the applicant completes the dossier nobody can act on it: parallel steps that
            // would have finished in the meantime finish after the documents are back.
            if (pause is { } p && step.Id != lateStep && end >= p.Asked && end <= p.Brought)
            {
                end = AddWorking(calendar, p.Brought, span * 0.3);
            }

            if (fate == DossierFate.Withdrawn && step.Id == lateStep)
            {
                var at = AddWorking(calendar, start, span * 0.5);
                var reason = "Người nộp hồ sơ đề nghị dừng giải quyết để điều chỉnh phương án";
                Add(at, ScenarioActions.Withdraw, i => Act(i, at, ScenarioActions.Withdraw) with { Reason = reason });
                break;
            }

            var outcome = step.Outcomes.Contains("approved") ? (fate == DossierFate.Rejected && step.Id == lateStep ? Outcomes.Rejected : "approved") : null;
            var officer = Officer(step.Agency);
            var note = fate == DossierFate.Late && step.Id == lateStep ? faker.PickRandom(LateReasons) : null;
            var stepId = step.Id;
            Add(end, ScenarioActions.Complete, i => Act(i, end, ScenarioActions.Complete) with { Step = stepId, Outcome = outcome, By = officer, Note = note });
            done[step.Id] = end;
            if (outcome == Outcomes.Rejected)
            {
                break;
            }
        }

        // Let time pass every working morning so warnings, overdue flags and apologies fire.
        var last = actions.Max(a => a.At);
        for (var day = DateOnly.FromDateTime(receivedAt.Date).AddDays(1); day <= DateOnly.FromDateTime(last.Date); day = day.AddDays(1))
        {
            if (calendar.IsWorkingDay(day))
            {
                var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(7, 30)), calendar.UtcOffset);
                Add(at, ScenarioActions.Tick, i => Act(i, at, ScenarioActions.Tick));
            }
        }

        return Build(d, id, applicant, inputs, documents, actions, cutoff);
    }

    private static readonly string[] CompanyKinds = ["TNHH Xây dựng", "Cổ phần Đầu tư", "TNHH Thương mại", "Cổ phần Vận tải", "TNHH Tư vấn Thiết kế"];

    private static Scenario Build(ProcedureDefinition d, string id, Applicant applicant, ImmutableDictionary<string, string> inputs, ImmutableArray<string> documents,
        List<(DateTimeOffset At, string Do, Func<int, ScenarioAction> Make)> actions, DateTimeOffset cutoff) => new()
        {
            Path = $"seed/{id}.scenario.yaml",
            DefinitionCode = d.Code,
            Dossier = new ScenarioDossier { Id = id, Applicant = applicant, Inputs = inputs, Documents = documents },
            Actions = [.. actions.Where(a => a.At <= cutoff).OrderBy(a => a.At).ThenBy(a => a.Do == ScenarioActions.Tick ? 0 : 1).Select((a, i) => a.Make(i))],
        };

    private static string InputValue(InputDecl input, Randomizer random) => input.Type switch
    {
        InputType.Bool => random.Bool() ? "true" : "false",
        InputType.Enum => input.Values.Length > 0 ? input.Values[random.Int(0, input.Values.Length - 1)] : "",
        InputType.Number => random.Int(1, 500).ToString(CultureInfo.InvariantCulture),
        InputType.Date => new DateOnly(2026, 1, 1).AddDays(random.Int(0, 364)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => random.AlphaNumeric(8),
    };

    private static TimeSpan WorkingSpan(IWorkingCalendar calendar, DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? TimeSpan.Zero : calendar.WorkingTimeBetween(from, to);

    private static DateTimeOffset AddWorking(IWorkingCalendar calendar, DateTimeOffset from, TimeSpan span)
    {
        // working time in half-hour steps, at least 30 minutes
        var halfHours = Math.Max(1, (int)Math.Round(span.TotalMinutes / 30));
        return calendar.Add(from, Duration.WorkingHours(halfHours / 2m));
    }
}
