using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ProcedureEngine.Dossiers.Serialization;

namespace ProcedureEngine.Host.Views;

// The dossier as the outside world sees it: one set of records shared by `simulate --json`, `replay`, the HTTP API
// and the pages (through the OpenAPI document). Instants are ISO 8601 in the dossier calendar's offset, to the
// second; statuses are the state's enum names in camelCase (interfaces.md).

/// <summary>The procedure (code and version) a dossier was received under.</summary>
public sealed record ProcedureView(string? Code, int? Version);

/// <summary>One step of the dossier's path: who has it, since when, until when.</summary>
public sealed record StepView(
    string Id, string Name, string Agency, string Status, string? StartedAt, string? DueAt, string? CompletedAt, string? Outcome, bool Overdue);

/// <summary>A letter the dossier issued (receipt, supplement request, apology...), with where to read it.</summary>
public sealed record LetterLinkView(int N, string Form, string Title, string IssuedAt, string Url);

/// <summary>
/// The contract's <c>dossier</c> object (interfaces.md). The HTTP API adds its version (also in ETag), whether its
/// hash chain is intact (and from which version it is not) and its letters; `simulate` leaves those out.
/// </summary>
public sealed record DossierView(
    string Id,
    string? Code,
    ProcedureView Procedure,
    string? Rules,
    string Status,
    string? ReceivedAt,
    string? AppointmentAt,
    string? OriginalAppointmentAt,
    bool Overdue,
    bool Breach,
    string? ReturnedAt,
    string? Outcome,
    int? Score,
    IReadOnlyList<StepView> Steps)
{
    /// <summary>The dossier's version: the number of its events (API answers only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Version { get; init; }

    /// <summary>Whether every event passes its hash check (API answers only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ChainIntact { get; init; }

    /// <summary>The first version that fails the hash check; the state above is folded from the events before it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? FirstBadVersion { get; init; }

    /// <summary>The letters issued so far, numbered from 1 (API answers only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LetterLinkView>? Letters { get; init; }

    /// <summary>The contract object of a state folded by the decider.</summary>
    public static DossierView Of(string id, DossierState s, IWorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(s);
        string? T(DateTimeOffset? at) => SimulationOutput.TimeOrNull(at, calendar);
        return new DossierView(id, s.Code, new ProcedureView(s.ProcedureCode, s.ProcedureVersion), s.RuleSet,
            SimulationOutput.Camel(s.Status.ToString()), T(s.ReceivedAt), T(s.AppointmentAt), T(s.OriginalAppointmentAt),
            s.Overdue, s.MissedAppointments > 1, T(s.ReturnedAt), s.Outcome, s.Score,
            [.. s.Steps.Select(st => new StepView(st.Id, st.Name, st.Agency, SimulationOutput.Camel(st.Status.ToString()),
                T(st.StartedAt), T(st.DueAt), T(st.CompletedAt), st.Outcome, st.Overdue))]);
    }

    /// <summary>The API's answer for a stored dossier: the contract object, its version, chain and letters.</summary>
    public static DossierView Of(LoadedDossier dossier)
    {
        ArgumentNullException.ThrowIfNull(dossier);
        var state = dossier.State;
        return Of(dossier.Id, state, dossier.Calendar) with
        {
            Version = state.Version,
            ChainIntact = dossier.Verification.IsValid,
            FirstBadVersion = dossier.Verification.IsValid ? null : dossier.Verification.BadVersion,
            Letters = [.. state.Letters.Select((l, i) => new LetterLinkView(i + 1, l.Form, l.Title,
                SimulationOutput.Time(l.IssuedAt, dossier.Calendar), LetterUrl(dossier.Id, i + 1)))],
        };
    }

    public static string LetterUrl(string id, int n) => $"/api/dossiers/{Uri.EscapeDataString(id)}/letters/{n}";
}

/// <summary>The receipt's letter (form 01, or 03 for a refusal) with its text as printed.</summary>
public sealed record ReceiptLetterView(string Form, string Title, string Url, string? Text);

/// <summary>POST /api/dossiers answers 201 with the new dossier's id, code, appointment and receipt.</summary>
public sealed record ReceiptView(string Id, string? Code, string Status, string? AppointmentAt, long Version, ReceiptLetterView? Letter);

/// <summary>Who recorded an event.</summary>
public sealed record ActorView(string User, string Agency);

/// <summary>One stored event: its place in the stream and in the store, its actor, its hash and its data.</summary>
public sealed record EventView(long Seq, long Position, string Type, string At, ActorView Actor, string? CorrelationId, string Hash, JsonNode Data);

/// <summary>
/// The dossier's events. A broken chain lists the intact events before the first bad version (which it names),
/// none after it.
/// </summary>
public sealed record DossierEventsView(bool ChainIntact, string? ChainProblem, long? FirstBadVersion, IReadOnlyList<EventView> Events)
{
    public static DossierEventsView Of(LoadedDossier dossier)
    {
        ArgumentNullException.ThrowIfNull(dossier);
        return new DossierEventsView(dossier.Verification.IsValid, dossier.Verification.Reason, dossier.Verification.BadVersion,
        [
            .. dossier.Events.Select(x => new EventView(x.Stored.Version, x.Stored.GlobalPosition, x.Stored.Type,
                SimulationOutput.Time(x.Event.At, dossier.Calendar),
                new ActorView(x.Stored.Metadata.Actor.User, x.Stored.Metadata.Actor.Agency), x.Stored.Metadata.CorrelationId,
                Convert.ToHexStringLower(x.Stored.Hash.Span), DossierEventSerializer.ToJsonNode(x.Event))),
        ]);
    }
}
