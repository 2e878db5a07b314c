using System.CommandLine;
using System.Text.Json.Nodes;
using ProcedureEngine.Dossiers.Scenarios;
using ProcedureEngine.Dossiers.Serialization;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine replay --dossier ID [--at TIME] [--json]`: verifies the dossier's hash chain, then folds its
/// events (those at or before TIME) with the decider's Evolve and prints the state. Exit 1 when the chain is broken
/// (naming the first bad event), the dossier is not found, or an event cannot be read.
/// </summary>
internal static class ReplayVerb
{
    private static readonly JsonSerializerOptions Indented = new(DossierEventSerializer.Options) { WriteIndented = true };

    public static Command Create()
    {
        var options = new StoreOptions();
        var dossier = new Option<string>("--dossier") { Description = "Dossier id (its stream id)", Required = true };
        var at = new Option<string?>("--at") { Description = "Show the dossier as it stood at this time (ISO 8601; without offset: Vietnam time)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (the `dossier` object as simulate prints it, with the events and the verification)" };
        var command = new Command("replay", "Rebuild a stored dossier from its events, optionally as it stood at a time; verify the event hash chain");
        command.Options.Add(dossier);
        command.Options.Add(at);
        command.Options.Add(json);
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var id = parse.GetValue(dossier)!;
            DateTimeOffset? when = null;
            if (parse.GetValue(at) is { Length: > 0 } text)
            {
                if (!TryParseTime(text, out var parsed))
                {
                    Console.Error.WriteLine($"replay: --at '{text}' is not a time (expected ISO 8601, e.g. 2026-05-04T08:00 or 2026-05-04T08:00:00+07:00)");
                    return 2;
                }

                when = parsed;
            }

            return await ProjectionsVerb.RunAsync("replay", options, parse,
                store => ReplayAsync(store, id, when, parse.GetValue(json), Console.Out, Console.Error, cancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The id of the dossier received under a code, when the store has the summary read model.</summary>
    private static async Task<string?> IdOfCodeAsync(IEventStore store, string code, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadModelQueries.DossierIdOfCodeAsync(store, code, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            return null; // no summary table (a store never migrated with the dossier read models)
        }
    }

    /// <summary>The replay itself; returns the exit code.</summary>
    public static async Task<int> ReplayAsync(IEventStore store, string id, DateTimeOffset? at, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var dossiers = new DossierEventStore(store);
        DossierHistory history;
        try
        {
            history = await dossiers.LoadAsync(id, at, cancellationToken).ConfigureAwait(false);
            if (!history.Verification.Found && await IdOfCodeAsync(store, id, cancellationToken).ConfigureAwait(false) is { } byCode)
            {
                // A dossier received by the server is stored under its own id; the auditor may name it by its code.
                id = byCode;
                history = await dossiers.LoadAsync(id, at, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (CorruptEventException ex)
        {
            error.WriteLine($"replay: {ex.Message}");
            return 1;
        }

        var verification = history.Verification;
        if (!verification.Found)
        {
            error.WriteLine($"replay: dossier '{id}' not found");
            return 1;
        }

        if (!verification.IsValid)
        {
            error.WriteLine($"replay: hash chain broken at {verification.StreamId} v{verification.BadVersion}: {verification.Reason}");
            return 1;
        }

        var state = DossierState.Initial;
        var recorded = new List<RecordedEvent>(history.Events.Count);
        foreach (var (stored, e) in history.Events)
        {
            state = Decider.Evolve(state, e);
            recorded.Add(new RecordedEvent(stored.Version, e, new Actor(stored.Metadata.Actor.User, stored.Metadata.Actor.Agency), "replay", -1));
        }

        var run = new ScenarioRun(id, state, [.. recorded], []);
        var calendar = WorkingCalendar.Vietnam();
        if (json)
        {
            var document = SimulationOutput.ToJson(run, calendar);
            document.Remove("rejected");
            document["verification"] = new JsonObject
            {
                ["intact"] = true,
                ["events"] = verification.Events,
                ["at"] = SimulationOutput.TimeOrNull(at, calendar),
                ["eventsUpToAt"] = history.Events.Count,
            };
            output.WriteLine(document.ToJsonString(Indented));
            return 0;
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Hồ sơ {state.Code ?? id} ({id}): chuỗi băm toàn vẹn, {verification.Events} sự kiện");
        if (at is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Trạng thái tại {SimulationOutput.Time(at, calendar)}: {history.Events.Count} sự kiện đầu");
        }

        foreach (var (stored, e) in history.Events)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {stored.Version,4}  {SimulationOutput.Time(e.At, calendar)}  {e.Type,-22} {stored.Metadata.Actor.User}@{stored.Metadata.Actor.Agency}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Thủ tục {state.ProcedureCode} v{state.ProcedureVersion}; trạng thái: {Vietnamese(state.Status)}; tiếp nhận: {SimulationOutput.Time(state.ReceivedAt, calendar)}; hẹn trả: {SimulationOutput.Time(state.AppointmentAt, calendar)}; quá hạn: {(state.Overdue ? "có" : "không")}");
        foreach (var step in state.Steps)
        {
            var due = step.DueAt is null ? string.Empty : $", hạn {SimulationOutput.Time(step.DueAt, calendar)}";
            text.AppendLine(CultureInfo.InvariantCulture, $"  bước {step.Id} ({step.Agency}): {Vietnamese(step.Status)}{due}{(step.Overdue ? ", quá hạn" : string.Empty)}");
        }

        output.Write(text.ToString());
        return 0;
    }

    private static string Vietnamese(DossierStatus status) => status switch
    {
        DossierStatus.New => "mới",
        DossierStatus.Submitted => "chờ tiếp nhận",
        DossierStatus.Received => "đã tiếp nhận",
        DossierStatus.InProgress => "đang giải quyết",
        DossierStatus.AwaitingSupplement => "chờ bổ sung",
        DossierStatus.ResultReady => "đã có kết quả",
        DossierStatus.Returned => "đã trả kết quả",
        DossierStatus.Refused => "từ chối",
        DossierStatus.Withdrawn => "đã rút hồ sơ",
        DossierStatus.Closed => "dừng giải quyết",
        _ => status.ToString(),
    };

    private static string Vietnamese(StepStatus status) => status switch
    {
        StepStatus.Pending => "chưa đến lượt",
        StepStatus.Active => "đang xử lý",
        StepStatus.Done => "đã xong",
        StepStatus.Skipped => "bỏ qua",
        _ => status.ToString(),
    };

    internal static bool TryParseTime(string text, out DateTimeOffset time)
    {
        var hasOffset = text.EndsWith('Z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d{2}:?\d{2}$");
        if (hasOffset)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            time = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.FromHours(7));
            return true;
        }

        time = default;
        return false;
    }
}
