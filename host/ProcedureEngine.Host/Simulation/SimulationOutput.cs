using System.Text.Json.Nodes;
using ProcedureEngine.Dossiers.Scenarios;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.Host.Views;
using ProcedureEngine.Host.Web;

namespace ProcedureEngine.Host.Simulation;

/// <summary>Renders a scenario run: the `--json` contract document (interfaces.md) or a readable listing.</summary>
public static class SimulationOutput
{
    private static readonly JsonSerializerOptions Indented = new(DossierEventSerializer.Options) { WriteIndented = true };

    public static string Time(DateTimeOffset? at, IWorkingCalendar calendar) =>
        at is { } t ? t.ToOffset(calendar.UtcOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) : "";

    /// <summary>As <see cref="Time"/>, but null (JSON null) rather than "" when there is no instant.</summary>
    public static string? TimeOrNull(DateTimeOffset? at, IWorkingCalendar calendar) => at is null ? null : Time(at, calendar);

    /// <param name="letterText">Renders a letter's text (see <see cref="Simulator.LetterTexts"/>); null: no text.</param>
    public static JsonObject ToJson(ScenarioRun run, IWorkingCalendar calendar, Func<LetterRef, string?>? letterText = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var s = run.State;
        JsonNode? T(DateTimeOffset? at) => at is null ? null : JsonValue.Create(Time(at, calendar));
        var events = new JsonArray();
        foreach (var r in run.Events)
        {
            var data = DossierEventSerializer.ToJsonNode(r.Event).AsObject();
            Localize(data, calendar);
            data.Remove("at");
            events.Add(new JsonObject
            {
                ["seq"] = r.Seq,
                ["type"] = r.Event.Type,
                ["at"] = T(r.Event.At),
                ["by"] = r.By is null ? null : new JsonObject { ["user"] = r.By.User, ["agency"] = r.By.Agency },
                ["action"] = r.ActionIndex,
                ["data"] = data,
            });
        }

        var letters = new JsonArray();
        foreach (var l in s.Letters)
        {
            letters.Add(new JsonObject
            {
                ["form"] = l.Form,
                ["kind"] = Camel(l.Kind.ToString()),
                ["title"] = l.Title,
                ["issuedAt"] = T(l.IssuedAt),
                ["eventSeq"] = l.EventSeq,
                ["dossierCode"] = l.DossierCode,
                ["newAppointmentAt"] = T(l.NewAppointmentAt),
                ["text"] = letterText?.Invoke(l),
            });
        }

        var rejected = new JsonArray();
        foreach (var a in run.Rejected)
        {
            rejected.Add(new JsonObject
            {
                ["action"] = a.Action.Index,
                ["do"] = a.Action.Do,
                ["at"] = T(a.At),
                ["step"] = a.Action.Step,
                ["code"] = a.Rejection!.Code,
                ["reason"] = a.Rejection.Message,
                ["reasonEn"] = a.Rejection.MessageEn,
            });
        }

        return new JsonObject
        {
            ["dossier"] = DossierObject(run.DossierId, s, calendar),
            ["events"] = events,
            ["letters"] = letters,
            ["rejected"] = rejected,
        };
    }

    /// <summary>The contract's `dossier` object (interfaces.md, <see cref="DossierView"/>) as JSON, for answers that extend it.</summary>
    public static JsonObject DossierObject(string id, DossierState s, IWorkingCalendar calendar) =>
        JsonSerializer.SerializeToNode(DossierView.Of(id, s, calendar), ApiJson.Options)!.AsObject();

    /// <summary>Reads an ISO 8601 instant; one without an offset is read in Vietnam's zone (UTC+7).</summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text) || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var local))
        {
            return false;
        }

        instant = local.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(local, TimeSpan.FromHours(7))
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return true;
    }

    public static string ToJsonText(ScenarioRun run, IWorkingCalendar calendar, Func<LetterRef, string?>? letterText = null) =>
        ToJson(run, calendar, letterText).ToJsonString(Indented);

    /// <summary>A readable listing: events, rejected commands with reasons, letters, final state.</summary>
    public static string ToText(ScenarioRun run, LoadedScenario loaded)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(loaded);
        var cal = loaded.Calendar;
        var s = run.State;
        string L(DateTimeOffset? at) => at is { } t ? t.ToOffset(cal.UtcOffset).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) : "-";
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Thủ tục {loaded.Definition.Code} v{loaded.Definition.Version}: {loaded.Definition.Name}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Hồ sơ {run.DossierId}  mã {s.Code ?? "-"}  quy định {s.RuleSet ?? "-"}  lịch {cal.Id}");
        sb.AppendLine();
        var rejectedByAction = run.Rejected.ToDictionary(a => a.Action.Index);
        var eventsByAction = run.Events.ToLookup(e => e.ActionIndex);
        foreach (var a in run.Actions)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"#{a.Action.Index,-3} {L(a.At)}  {a.Action.Do}{(a.Action.Step is null ? "" : " " + a.Action.Step)}");
            if (rejectedByAction.TryGetValue(a.Action.Index, out var rejected))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"       TỪ CHỐI [{rejected.Rejection!.Code}] {rejected.Rejection.Message}");
            }

            foreach (var r in eventsByAction[a.Action.Index])
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {r.Seq,4}  {r.Event.Type,-22} {Describe(r.Event, L)}");
            }
        }

        sb.AppendLine();
        sb.AppendLine("Văn bản:");
        foreach (var l in s.Letters)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  Mẫu {l.Form}  {L(l.IssuedAt)}  {l.Title}{(l.NewAppointmentAt is null ? "" : "  hẹn mới " + L(l.NewAppointmentAt))}");
        }

        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Trạng thái: {Camel(s.Status.ToString())}  tiếp nhận {L(s.ReceivedAt)}  hẹn trả {L(s.AppointmentAt)}{(s.Overdue ? "  QUÁ HẠN" : "")}");
        foreach (var st in s.Steps)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {st.Id,-18} {Camel(st.Status.ToString()),-8} hạn {L(st.DueAt),-16} xong {L(st.CompletedAt),-16} {st.Outcome}{(st.Overdue ? " (quá hạn)" : "")}");
        }

        return sb.ToString();
    }

    private static string Describe(DossierEvent e, Func<DateTimeOffset?, string> l) => e switch
    {
        DossierReceived r => $"mã {r.DossierCode}, hẹn trả {l(r.AppointmentAt)}",
        ReceiptGuidanceIssued g => $"thiếu: {string.Join("; ", g.Missing.Select(d => d.Name))}",
        DossierRefused r => r.Reason,
        StepStarted s => $"{s.StepId} ({s.Agency}) hạn {l(s.DueAt)}",
        StepCompleted c => $"{c.StepId}: {c.Outcome} ({c.By.User})",
        StepSkipped s => s.StepId,
        SupplementRequested r => $"{r.StepId}: {string.Join(", ", r.Documents.Select(d => d.Id))}; {r.Reason}; chế độ {r.Mode}; đóng {l(r.ClosesAt)}",
        SupplementProvided p => $"hẹn trả {l(p.AppointmentAt)}",
        DeadlineWarning w => $"{w.StepId} hạn {l(w.DueAt)}",
        StepOverdue o => $"{o.StepId} ({o.Agency}) hạn {l(o.DueAt)}",
        DossierOverdue o => $"hẹn {l(o.AppointmentAt)}{(o.Breach ? " (vi phạm lần 2)" : "")}",
        ApologyIssued a => $"{a.AgencyAtFaultName}: {a.Reason} Hẹn mới {l(a.NewAppointmentAt)}",
        ResultReady r => r.Outcome ?? "",
        ResultReturned r => r.OnTime ? "đúng hạn" : "trễ hạn",
        DossierWithdrawn w => w.Reason ?? "",
        DossierClosed c => c.Reason,
        DossierEvaluated v => $"{v.Score}/5",
        DossierReplanned p => $"lịch {p.CalendarId}{(p.CalendarVersion is { } v ? $" v{v}" : "")}, ngày {string.Join(", ", p.ChangedDays.Select(d => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)))}: hẹn trả {l(p.PreviousAppointmentAt)} → {l(p.AppointmentAt)}{string.Concat(p.StepDues.Select(d => $"; {d.StepId} hạn {l(d.DueAt)}"))}",
        _ => "",
    };

    /// <summary>Rewrites every instant inside event data to the calendar's offset.</summary>
    private static void Localize(JsonNode? node, IWorkingCalendar calendar)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length >= 20 && text[4] == '-' && text[10] == 'T' &&
                        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                    {
                        o[key] = Time(at, calendar);
                    }
                    else
                    {
                        Localize(value, calendar);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Localize(item, calendar);
                }

                break;
        }
    }

    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
