using System.Collections.Immutable;
using System.Data.Common;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Dossiers;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.EventStore;
using ProcedureEngine.Host.Web.Definitions;
using ProcedureEngine.Host.Web.Operations;
using ProcedureEngine.Host.Web.Security;
using DossierActor = ProcedureEngine.Dossiers.Events.Actor;
using StoreActor = ProcedureEngine.EventStore.Actor;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>A dossier as read from the store: its events, its state folded from them, and the calendar it runs on.</summary>
public sealed record LoadedDossier(string Id, DossierState State, IReadOnlyList<(StoredEvent Stored, DossierEvent Event)> Events,
    ChainVerification Verification, ProcedureDefinition? Definition, IWorkingCalendar Calendar);

/// <summary>What a command did: the new state and events, or the rule that forbids it.</summary>
public sealed record CommandOutcome(LoadedDossier? Dossier, Rejection? Rejection, bool Duplicate = false);

/// <summary>
/// A request's Idempotency-Key and the fingerprint of the request (method, path, user, body; see
/// <see cref="Security.RequestFingerprint"/>). The fingerprint is stored as the causation id of the events the
/// request appended: a key that comes back with a different fingerprint is refused.
/// </summary>
public sealed record RequestKey(string Key, string? Fingerprint)
{
    /// <summary>True when <paramref name="recorded"/> (the events' causation id) says another request used this key.</summary>
    public bool DiffersFrom(string? recorded) =>
        Fingerprint is not null && recorded is not null && recorded.StartsWith(Security.RequestFingerprint.Prefix, StringComparison.Ordinal)
        && !string.Equals(recorded, Fingerprint, StringComparison.Ordinal);
}

public sealed class DossierNotFoundException(string id) : Exception($"no dossier '{id}'")
{
    public string Id { get; } = id;
}

/// <summary>The dossier's events fail their hash check: nothing more is written to it until an auditor has looked.</summary>
public sealed class DossierChainBrokenException(string id, ChainVerification verification)
    : Exception($"dossier '{id}' is frozen: its event history fails the hash check{(verification.BadVersion is { } v ? $" at v{v}" : "")} ({verification.Reason}); nothing was written. An auditor should run `procedure-engine replay --dossier {id}` or `verify`.")
{
    public string Id { get; } = id;

    public long? BadVersion { get; } = verification.BadVersion;
}

/// <summary>
/// The live engine: load a dossier's events, fold them, decide the command with the definition version the
/// dossier was received under, append the events with the version read as the expected version. Pure
/// decisions (ProcedureEngine.Dossiers) in the middle, the store at the edges.
/// </summary>
public sealed class DossierService(DossierEventStore events, DefinitionRegistry registry, TimeProvider clock)
{
    private const int ConflictRetries = 5;

    private readonly DossierCodes codes = new(events.Store);

    public IEventStore Store => events.Store;

    /// <summary>Dossier streams on the store (the sweep appends its ticks through it).</summary>
    public DossierEventStore Events => events;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>
    /// Receives (or refuses) a dossier. The stream id is the dossier code, so two nodes racing for the same
    /// sequence number cannot both win: the loser's append finds the stream existing and retries with the next one.
    /// </summary>
    public async Task<CommandOutcome> ReceiveAsync(ReceiveRequest request, DossierActor by, RequestKey? idempotencyKey, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var definition = Resolve(request, now);
        var calendar = registry.CalendarFor(definition);
        var context = new DossierContext(definition, calendar, jurisdiction: request.Jurisdiction);

        DossierCommand Command(string id) => request.RefusalReason is { } reason
            ? new RefuseDossier(now, by, id, reason, request.Applicant)
            : new ReceiveDossier(now, by, id, request.Applicant, request.Inputs, request.Documents, request.Channel);

        return await codes.WithNextFreeCodeAsync(by.Agency, definition, now.ToOffset(calendar.UtcOffset), async sequence =>
        {
            var ctx = context.WithSequence(sequence);
            var probe = Decider.Decide(Command(""), DossierState.Initial, ctx);
            if (probe.Rejection is not null)
            {
                EngineTelemetry.Decided(Command(""), probe, null);
                return new CommandOutcome(null, probe.Rejection);
            }

            // A received dossier's stream is its code; a refusal or guidance letter has no code and gets a fresh id.
            var id = probe.State.Code ?? $"{by.Agency}-{now.ToOffset(calendar.UtcOffset):yyMMdd}-{Guid.CreateVersion7():N}";
            var command = Command(id);
            var decision = Decider.Decide(command, DossierState.Initial, ctx);
            EngineTelemetry.Decided(command, decision, id);
            try
            {
                // A retried receipt gets the next code, but its key created the first dossier: the store answers with that one.
                var key = CreationKey("receive", by, idempotencyKey);
                var result = await events.AppendAsync(id, ExpectedVersion.NoStream, Envelopes(decision.Events, by, idempotencyKey), key, cancellationToken).ConfigureAwait(false);
                return await CreatedAsync(result, key, idempotencyKey, cancellationToken).ConfigureAwait(false);
            }
            catch (EventStoreException e) when (e is ConcurrencyException or UniqueConstraintException && probe.State.Code is not null)
            {
                // Another node took this code a moment ago (a receipt: same stream id; an accepted online dossier:
                // same code in the summary): take the next number.
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The key of a request that creates a dossier is the user's own: two counters (or a counter and the portal)
    /// that happen to send the same key create two dossiers.
    /// </summary>
    private static string? CreationKey(string action, DossierActor by, RequestKey? idempotencyKey) =>
        idempotencyKey is null ? null : $"{action}:{by.Agency}:{by.User}:{idempotencyKey.Key}";

    /// <summary>
    /// A creation the store answered with an existing dossier (same user, same key): it must be the same request,
    /// or the key is refused.
    /// </summary>
    private async Task<CommandOutcome> CreatedAsync(AppendResult result, string? creationKey, RequestKey? idempotencyKey, CancellationToken cancellationToken)
    {
        var dossier = await LoadAsync(result.StreamId, null, cancellationToken).ConfigureAwait(false);
        if (result.WasDuplicate && idempotencyKey is not null && dossier is not null
            && dossier.Events.FirstOrDefault(e => e.Stored.Metadata.IdempotencyKey == creationKey).Stored is { } first
            && idempotencyKey.DiffersFrom(first.Metadata.CausationId))
        {
            throw new IdempotencyKeyReusedException(idempotencyKey.Key);
        }

        return new CommandOutcome(dossier, null, result.WasDuplicate);
    }

    /// <summary>
    /// Lodges a dossier online, as the public service portal does: checked against the version in effect today
    /// (declared documents and inputs only) and recorded as submitted; a one-stop officer must accept it
    /// (<see cref="AcceptAsync"/>) within the rule set's limit (8 working hours), or the sweep flags it.
    /// </summary>
    public async Task<CommandOutcome> SubmitAsync(ReceiveRequest request, DossierActor by, RequestKey? idempotencyKey, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var definition = Resolve(request, now);
        var calendar = registry.CalendarFor(definition);
        var context = new DossierContext(definition, calendar, jurisdiction: request.Jurisdiction);
        var id = $"online-{now.ToOffset(calendar.UtcOffset):yyMMdd}-{Guid.CreateVersion7():N}";
        var submit = new SubmitOnline(now, by, id, request.Applicant, request.Inputs, request.Documents);
        var decision = Decider.Decide(submit, DossierState.Initial, context);
        EngineTelemetry.Decided(submit, decision, null);
        if (decision.Rejection is not null)
        {
            return new CommandOutcome(null, decision.Rejection);
        }

        var key = CreationKey("submit", by, idempotencyKey);
        var result = await events.AppendAsync(id, ExpectedVersion.NoStream, Envelopes(decision.Events, by, idempotencyKey), key, cancellationToken).ConfigureAwait(false);
        return await CreatedAsync(result, key, idempotencyKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A one-stop officer accepts an online dossier: it is received under the next free code of the officer's
    /// agency for the day. Its stream already exists under the submission id, so the code's uniqueness comes
    /// from the summary read model's unique index: a clash rolls the append back and the next number is tried.
    /// </summary>
    public Task<CommandOutcome> AcceptAsync(string id, long? expectedVersion, RequestKey? idempotencyKey, DossierActor by, CancellationToken cancellationToken) =>
        RetryingConflicts(expectedVersion, () => AcceptOnceAsync(id, expectedVersion, idempotencyKey, by, cancellationToken));

    private async Task<CommandOutcome> AcceptOnceAsync(string id, long? expectedVersion, RequestKey? idempotencyKey, DossierActor by, CancellationToken cancellationToken)
    {
        var (dossier, recorded) = await LoadToActAsync(id, expectedVersion, idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (recorded)
        {
            return new CommandOutcome(dossier, null, Duplicate: true);
        }

        var context = ContextFor(dossier);
        var now = clock.GetUtcNow();
        return await codes.WithNextFreeCodeAsync(by.Agency, context.Definition, now.ToOffset(dossier.Calendar.UtcOffset), async sequence =>
        {
            var accept = new ReceiveDossier(now, by, id, null, null, null, Channel.Online);
            var decision = Decider.Decide(accept, dossier.State, context.WithSequence(sequence));
            EngineTelemetry.Decided(accept, decision, dossier.State.Code);
            if (decision.Rejection is not null)
            {
                return new CommandOutcome(dossier, decision.Rejection);
            }

            try
            {
                await events.AppendAsync(id, dossier.State.Version, Envelopes(decision.Events, by, idempotencyKey), idempotencyKey?.Key, cancellationToken).ConfigureAwait(false);
                return new CommandOutcome(await LoadAsync(id, null, cancellationToken).ConfigureAwait(false), null);
            }
            catch (UniqueConstraintException)
            {
                // A counter receipt or another acceptance took this number a moment ago: take the next one.
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private ProcedureDefinition Resolve(ReceiveRequest request, DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(7)).DateTime);
        return (request.Version is { } v ? registry.Catalog.Find(request.Code, v) : registry.Catalog.Resolve(request.Code, day, request.Jurisdiction))
            ?? throw new KeyNotFoundException(request.Version is null
                ? $"no version of procedure {request.Code} is in effect on {day:yyyy-MM-dd}"
                : $"no published version {request.Version} of procedure {request.Code}");
    }

    /// <summary>Applies an officer's action to a dossier. <paramref name="expectedVersion"/> comes from If-Match.</summary>
    public Task<CommandOutcome> ActAsync(string id, Func<DateTimeOffset, DossierState, DossierCommand> command, long? expectedVersion,
        RequestKey? idempotencyKey, DossierActor by, CancellationToken cancellationToken) =>
        RetryingConflicts(expectedVersion, () => ActOnceAsync(id, command, expectedVersion, idempotencyKey, by, cancellationToken));

    /// <summary>
    /// Without If-Match the officer asked to act on the dossier as it is: when the timers (a warning, an overdue flag)
    /// or another officer wrote in between, the command is decided again on the new state (the rules are checked again)
    /// rather than refused with 409. With If-Match a stale version is the client's to resolve.
    /// </summary>
    private static async Task<CommandOutcome> RetryingConflicts(long? expectedVersion, Func<Task<CommandOutcome>> attempt)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (ConcurrencyException) when (expectedVersion is null && tries < ConflictRetries)
            {
                // Decide again on what is there now.
            }
        }
    }

    private async Task<CommandOutcome> ActOnceAsync(string id, Func<DateTimeOffset, DossierState, DossierCommand> command, long? expectedVersion,
        RequestKey? idempotencyKey, DossierActor by, CancellationToken cancellationToken)
    {
        var (dossier, recorded) = await LoadToActAsync(id, expectedVersion, idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (recorded)
        {
            return new CommandOutcome(dossier, null, Duplicate: true);
        }

        var context = ContextFor(dossier);
        var decided = command(clock.GetUtcNow(), dossier.State);
        var decision = Decider.Decide(decided, dossier.State, context);
        EngineTelemetry.Decided(decided, decision, dossier.State.Code ?? id);
        if (decision.Rejection is not null)
        {
            return new CommandOutcome(dossier, decision.Rejection);
        }

        var result = await events.AppendAsync(id, dossier.State.Version, Envelopes(decision.Events, by, idempotencyKey), idempotencyKey?.Key, cancellationToken).ConfigureAwait(false);
        return new CommandOutcome(await LoadAsync(id, null, cancellationToken).ConfigureAwait(false), null, result.WasDuplicate);
    }

    /// <summary>
    /// Loads a dossier to act on. Recorded: a retried request (same Idempotency-Key) is already in its events, to be
    /// answered as the first time without deciding anything. A stale If-Match version is a conflict.
    /// </summary>
    private async Task<(LoadedDossier Dossier, bool Recorded)> LoadToActAsync(string id, long? expectedVersion, RequestKey? idempotencyKey, CancellationToken cancellationToken)
    {
        var dossier = await LoadAsync(id, null, cancellationToken).ConfigureAwait(false) ?? throw new DossierNotFoundException(id);
        if (!dossier.Verification.IsValid)
        {
            // Deciding on a history that was altered would build on rows nobody can trust.
            throw new DossierChainBrokenException(id, dossier.Verification);
        }

        if (idempotencyKey is not null && dossier.Events.FirstOrDefault(e => e.Stored.Metadata.IdempotencyKey == idempotencyKey.Key).Stored is { } recorded)
        {
            // The same key for another request (another body, action or user) is refused, not answered with the first result.
            return idempotencyKey.DiffersFrom(recorded.Metadata.CausationId) ? throw new IdempotencyKeyReusedException(idempotencyKey.Key) : (dossier, true);
        }

        if (expectedVersion is { } expected && expected != dossier.State.Version)
        {
            throw new ConcurrencyException(id, expected, dossier.State.Version);
        }

        return (dossier, false);
    }

    /// <summary>Reads a dossier (as it stood at <paramref name="at"/> when given) and folds its events; null when unknown.</summary>
    public async Task<LoadedDossier?> LoadAsync(string id, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var history = await events.LoadAsync(id, at, cancellationToken).ConfigureAwait(false);
        if (history.Events.Count == 0)
        {
            return await events.Store.GetStreamVersionAsync(id, cancellationToken).ConfigureAwait(false) == 0
                ? null
                : new LoadedDossier(id, DossierState.Initial, [], history.Verification, null, WorkingCalendar.Vietnam());
        }

        var state = Decider.Fold(history.Events.Select(e => e.Event));
        var definition = state.ProcedureCode is { } code ? registry.Catalog.Find(code, state.ProcedureVersion) : null;
        var calendar = definition is null ? WorkingCalendar.Vietnam() : registry.CalendarFor(definition);
        return new LoadedDossier(id, state, history.Events, history.Verification, definition, calendar);
    }

    /// <summary>The decider's context for a loaded dossier: its definition version (with the local overlay of its receipt day) and calendar.</summary>
    internal DossierContext ContextFor(LoadedDossier dossier)
    {
        var definition = dossier.Definition ?? throw new InvalidOperationException(
            $"dossier {dossier.Id} runs on {dossier.State.ProcedureCode} version {dossier.State.ProcedureVersion}, which is not in the catalogue");
        if (dossier.State.Jurisdiction is { } jurisdiction)
        {
            // The local overlay in effect on the receipt day (for an online dossier not yet accepted: today's).
            var day = DateOnly.FromDateTime((dossier.State.ReceivedAt ?? clock.GetUtcNow()).ToOffset(dossier.Calendar.UtcOffset).DateTime);
            var withOverlay = registry.Catalog.Resolve(definition.Code, day, jurisdiction);
            if (withOverlay is not null && withOverlay.Version == definition.Version)
            {
                definition = withOverlay;
            }
        }

        return new DossierContext(definition, dossier.Calendar, jurisdiction: dossier.State.Jurisdiction);
    }

    internal static ImmutableArray<DossierEventEnvelope> Envelopes(ImmutableArray<DossierEvent> decided, DossierActor by, RequestKey? request = null)
    {
        var fallback = new StoreActor(by.User, by.Agency);
        var correlation = Guid.CreateVersion7().ToString();
        return [.. decided.Select(e => new DossierEventEnvelope(e, DossierEventStore.ActorOf(e, fallback), correlation, request?.Fingerprint))];
    }

    internal static void AddParameter(DbCommand command, string name, object value) => ReadModelQueries.AddParameter(command, name, value);
}

/// <summary>POST /api/dossiers: the dossier as handed in at the counter (or its refusal).</summary>
public sealed record ReceiveRequest(
    string Code,
    int? Version,
    string? Jurisdiction,
    Channel Channel,
    Applicant Applicant,
    ImmutableDictionary<string, string> Inputs,
    ImmutableArray<string> Documents,
    string? RefusalReason);
