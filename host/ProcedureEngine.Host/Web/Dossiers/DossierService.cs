using System.Data.Common;
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
/// The live engine's one write path: fetch the dossier for writing (events and hash chain check in one read), fold,
/// decide the command once with the definition version the dossier was received under, append with the version read
/// as the expected version, and evolve the loaded dossier with what the append stored (no second read). Pure decisions
/// (ProcedureEngine.Dossiers) in the middle, the store at the edges. Every dossier's stream id is a fresh id made
/// when it is created (<c>counter-yyMMdd-…</c> at the counter, <c>online-yyMMdd-…</c> from the portal); its code is
/// data, allocated by <see cref="DossierCodes"/> in the receipt's own transaction. A dossier can also be addressed by
/// its code.
/// </summary>
public sealed class DossierService(DossierEventStore events, DefinitionRegistry registry, TimeProvider clock)
{
    private const int ConflictRetries = 5;

    private readonly DossierCodes codes = new(events.Store);

    public IEventStore Store => events.Store;

    /// <summary>Dossier streams on the store (the sweep appends its ticks through it).</summary>
    public DossierEventStore Events => events;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>How many decisions this service has asked the decider for (commands and ticks): one per command.</summary>
    public long Decisions => Interlocked.Read(ref decisions);

    private long decisions;

    /// <summary>
    /// Receives (or refuses) a dossier at the counter. A received dossier takes the agency's next number of the day in
    /// the append's own transaction (<see cref="DossierCodes"/>): concurrent receipts queue on the day's counter instead
    /// of racing for a number, and a guidance letter or a rejection leaves no gap.
    /// </summary>
    public async Task<CommandOutcome> ReceiveAsync(ReceiveRequest request, Actor by, RequestKey? idempotencyKey, CancellationToken cancellationToken)
    {
        var (now, local, context) = Start(request);
        var definition = context.Definition;
        var id = NewId("counter", local);
        var key = CreationKey("receive", by, idempotencyKey);
        if (request.RefusalReason is { } reason)
        {
            // A refusal takes no number.
            return await CreateAsync(id, Decide(new RefuseDossier(now, by, id, reason, request.Applicant), DossierState.Initial, context), context, by, idempotencyKey, key, cancellationToken).ConfigureAwait(false);
        }

        Decision? decided = null;
        var result = await codes.AppendWithNextCodeAsync(id, by.Agency, definition, local, sequence =>
        {
            decided = Decide(new ReceiveDossier(now, by, id, request.Applicant, request.Inputs, request.Documents, request.Channel), DossierState.Initial, context.WithSequence(sequence));
            return decided.Rejection is not null
                ? null
                : new NumberedAppend(id, ExpectedVersion.NoStream, events.ToEventData(Envelopes(decided.Events, by, idempotencyKey), key), TakesNumber: decided.State.Code is not null);
        }, cancellationToken).ConfigureAwait(false);
        return await OutcomeAsync(id, [], context, decided!, result, idempotencyKey, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The key of a request that creates a dossier is the user's own: two counters (or a counter and the portal)
    /// that happen to send the same key create two dossiers.
    /// </summary>
    private static string? CreationKey(string action, Actor by, RequestKey? idempotencyKey) =>
        idempotencyKey is null ? null : $"{action}:{by.Agency}:{by.User}:{idempotencyKey.Key}";

    /// <summary>A new dossier's stream id: where it came in, the day, and a time-ordered unique part.</summary>
    private static string NewId(string channel, DateTimeOffset local) => $"{channel}-{local:yyMMdd}-{Guid.CreateVersion7():N}";

    /// <summary>
    /// Lodges a dossier online, as the public service portal does: checked against the version in effect today
    /// (declared documents and inputs only) and recorded as submitted; a one-stop officer must accept it
    /// (<see cref="AcceptAsync"/>) within the rule set's limit (8 working hours), or the sweep flags it.
    /// </summary>
    public async Task<CommandOutcome> SubmitAsync(ReceiveRequest request, Actor by, RequestKey? idempotencyKey, CancellationToken cancellationToken)
    {
        var (now, local, context) = Start(request);
        var id = NewId("online", local);
        var decision = Decide(new SubmitOnline(now, by, id, request.Applicant, request.Inputs, request.Documents), DossierState.Initial, context);
        return await CreateAsync(id, decision, context, by, idempotencyKey, CreationKey("submit", by, idempotencyKey), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends a new dossier's first events (no number taken).</summary>
    private async Task<CommandOutcome> CreateAsync(string id, Decision decision, DossierContext context, Actor by, RequestKey? request, string? key, CancellationToken cancellationToken)
    {
        if (decision.Rejection is not null)
        {
            return new CommandOutcome(null, decision.Rejection);
        }

        var result = await events.AppendAsync(id, ExpectedVersion.NoStream, Envelopes(decision.Events, by, request), key, cancellationToken).ConfigureAwait(false);
        return await OutcomeAsync(id, [], context, decision, result, request, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A one-stop officer accepts an online dossier: it is received under the next code of the officer's agency for the
    /// day, taken in the acceptance's own transaction like a counter receipt's.
    /// </summary>
    public Task<CommandOutcome> AcceptAsync(string id, long? expectedVersion, RequestKey? idempotencyKey, Actor by, CancellationToken cancellationToken) =>
        RetryingConflicts(expectedVersion, () => AcceptOnceAsync(id, expectedVersion, idempotencyKey, by, cancellationToken));

    private async Task<CommandOutcome> AcceptOnceAsync(string id, long? expectedVersion, RequestKey? idempotencyKey, Actor by, CancellationToken cancellationToken)
    {
        var (dossier, recorded) = await LoadToActAsync(id, expectedVersion, idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (recorded)
        {
            return new CommandOutcome(dossier, null, Duplicate: true);
        }

        var context = ContextFor(dossier);
        var now = clock.GetUtcNow();
        Decision? decided = null;
        var result = await codes.AppendWithNextCodeAsync(dossier.Id, by.Agency, context.Definition, now.ToOffset(dossier.Calendar.UtcOffset), sequence =>
        {
            decided = Decide(new ReceiveDossier(now, by, dossier.Id, null, null, null, Channel.Online), dossier.State, context.WithSequence(sequence));
            return decided.Rejection is not null
                ? null
                : new NumberedAppend(dossier.Id, dossier.State.Version, events.ToEventData(Envelopes(decided.Events, by, idempotencyKey), idempotencyKey?.Key), TakesNumber: decided.State.Code is not null);
        }, cancellationToken).ConfigureAwait(false);
        return await OutcomeAsync(dossier.Id, dossier.Events, context, decided!, result, idempotencyKey, idempotencyKey?.Key, cancellationToken, dossier).ConfigureAwait(false);
    }

    /// <summary>A new dossier's moment (UTC and on its calendar) and its decider context: the version in effect today (or the one asked for).</summary>
    private (DateTimeOffset Now, DateTimeOffset Local, DossierContext Context) Start(ReceiveRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var definition = Resolve(request, now);
        var calendar = registry.CalendarFor(definition);
        return (now, now.ToOffset(calendar.UtcOffset), new DossierContext(definition, calendar, jurisdiction: request.Jurisdiction));
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
        RequestKey? idempotencyKey, Actor by, CancellationToken cancellationToken) =>
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
        RequestKey? idempotencyKey, Actor by, CancellationToken cancellationToken)
    {
        var (dossier, recorded) = await LoadToActAsync(id, expectedVersion, idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (recorded)
        {
            return new CommandOutcome(dossier, null, Duplicate: true);
        }

        var context = ContextFor(dossier);
        var decision = Decide(command(clock.GetUtcNow(), dossier.State), dossier.State, context);
        if (decision.Rejection is not null)
        {
            return new CommandOutcome(dossier, decision.Rejection);
        }

        var result = await events.AppendAsync(dossier.Id, dossier.State.Version, Envelopes(decision.Events, by, idempotencyKey), idempotencyKey?.Key, cancellationToken).ConfigureAwait(false);
        return await OutcomeAsync(dossier.Id, dossier.Events, context, decision, result, idempotencyKey, idempotencyKey?.Key, cancellationToken, dossier).ConfigureAwait(false);
    }

    /// <summary>
    /// A time rule's decision on a dossier the sweep fetched: appended with the version it was decided on (an officer
    /// who acted meanwhile wins; the next sweep sees the new state). True when something was written.
    /// </summary>
    internal async Task<bool> TickAsync(LoadedDossier dossier, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref decisions);
        var decision = Decider.Tick(dossier.State, now, ContextFor(dossier));
        if (decision.Events.IsDefaultOrEmpty)
        {
            return false;
        }

        try
        {
            var system = new Actor("system", "procedure-engine");
            await events.AppendAsync(dossier.Id, dossier.State.Version, Envelopes(decision.Events, system), $"tick-{dossier.State.Version}", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConcurrencyException)
        {
            return false;
        }
    }

    private Decision Decide(DossierCommand command, DossierState state, DossierContext context)
    {
        Interlocked.Increment(ref decisions);
        var decision = Decider.Decide(command, state, context);
        ProcedureEngine.Host.Web.Operations.EngineTelemetry.Decided(command, decision, decision.State.Code);
        return decision;
    }

    /// <summary>
    /// The dossier after a decided append, evolved from what was loaded with what the append stored: no second read. A
    /// retried request (the store answered with the first append) is read once, as it stands.
    /// </summary>
    private async Task<CommandOutcome> OutcomeAsync(string id, IReadOnlyList<(StoredEvent Stored, DossierEvent Event)> loaded,
        DossierContext context, Decision decision, AppendResult? result, RequestKey? request, string? storedKey, CancellationToken cancellationToken, LoadedDossier? dossier = null)
    {
        if (decision.Rejection is not null || result is null)
        {
            return new CommandOutcome(dossier, decision.Rejection);
        }

        if (result.WasDuplicate || result.Written is not { } written || written.Count != decision.Events.Length)
        {
            // The store answered with the first append of this key: it must have been the same request, or the key is refused.
            var first = await LoadAsync(result.StreamId, null, cancellationToken).ConfigureAwait(false);
            if (result.WasDuplicate && request is not null && first is not null
                && first.Events.FirstOrDefault(e => e.Stored.Metadata.IdempotencyKey == storedKey).Stored is { } recorded
                && request.DiffersFrom(recorded.Metadata.CausationId))
            {
                throw new IdempotencyKeyReusedException(request.Key);
            }

            return new CommandOutcome(first, null, result.WasDuplicate);
        }

        var all = new List<(StoredEvent, DossierEvent)>(loaded.Count + written.Count);
        all.AddRange(loaded);
        for (var i = 0; i < written.Count; i++)
        {
            all.Add((written[i], decision.Events[i]));
        }

        var definition = dossier?.Definition ?? context.Definition;
        var calendar = dossier?.Calendar ?? context.Calendar;
        var loadedDefinition = decision.State.ProcedureCode is { } code ? registry.Catalog.Find(code, decision.State.ProcedureVersion) ?? definition : definition;
        return new CommandOutcome(new LoadedDossier(id, decision.State, all, ChainVerification.Valid(id, all.Count), loadedDefinition, calendar), null);
    }

    /// <summary>
    /// Loads a dossier to act on (one read). Recorded: a retried request (same Idempotency-Key) is already in its events,
    /// to be answered as the first time without deciding anything. A stale If-Match version is a conflict.
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
            throw new ConcurrencyException(dossier.Id, expected, dossier.State.Version);
        }

        return (dossier, false);
    }

    /// <summary>
    /// Reads a dossier by id or by code (as it stood at <paramref name="at"/> when given) in one read and folds its
    /// events; null when unknown. When its hash chain is broken, the events before the first bad version are folded
    /// (the last trusted state) and <c>Verification</c> names that version.
    /// </summary>
    public async Task<LoadedDossier?> LoadAsync(string id, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        // A broken chain still shows its intact events and the last state they give (never decided on: see LoadToActAsync).
        var history = await events.LoadTrustedAsync(id, at, cancellationToken).ConfigureAwait(false);
        if (!history.Verification.Found && await ReadModelQueries.DossierIdOfCodeAsync(events.Store, id, cancellationToken).ConfigureAwait(false) is { } byCode)
        {
            // Addressed by its code (what the receipt and the tracking page print).
            id = byCode;
            history = await events.LoadTrustedAsync(id, at, cancellationToken).ConfigureAwait(false);
        }

        if (history.Events.Count == 0)
        {
            return history.Verification.Found
                ? new LoadedDossier(id, DossierState.Initial, [], history.Verification, null, WorkingCalendar.Vietnam())
                : null;
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

    internal static ImmutableArray<DossierEventEnvelope> Envelopes(ImmutableArray<DossierEvent> decided, Actor by, RequestKey? request = null)
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
