using System.Diagnostics;

namespace ProcedureEngine.Host.Web.Calendars;

/// <summary>A calendar file refused: every problem with its line, column and code; nothing was published.</summary>
public sealed class CalendarRejectedException(string message, IReadOnlyList<CalendarDiagnostic> problems) : Exception(message)
{
    public IReadOnlyList<CalendarDiagnostic> Problems { get; } = problems;
}

/// <summary>One open dossier a calendar change re-plans (or would, in a dry run): its dues before and after.</summary>
public sealed record ReplannedDossier(string DossierId, string? Code, DossierReplanned Change);

/// <summary>What publishing (or previewing) a calendar version does.</summary>
/// <param name="Diff">The days that change from the publication day on (and office-hour changes).</param>
/// <param name="Candidates">Open dossiers of that calendar with a deadline after the publication.</param>
/// <param name="Dossiers">The dossiers re-planned (a dry run: that would be), with their old and new dues.</param>
/// <param name="Published">False for a dry run (nothing written).</param>
public sealed record CalendarPublication(CalendarDiff Diff, int Candidates, IReadOnlyList<ReplannedDossier> Dossiers, bool Published, TimeSpan Elapsed)
{
    public int AppointmentsMoved => Dossiers.Count(d => d.Change.AppointmentMoved);
}

/// <summary>
/// Publishes a calendar version and re-plans the open dossiers whose remaining windows cross a changed day: one
/// <see cref="DossierReplanned"/> appended to each (idempotency key: calendar id and version), through the same
/// decider as every other command. The open-deadlines read model (the timers' table) is updated in the same
/// transaction as the event. Past dossiers and past events are never rewritten.
/// </summary>
public sealed class CalendarReplanner(DossierService dossiers, DefinitionRegistry registry)
{
    private static readonly Actor SystemActor = new("system", "procedure-engine");

    /// <summary>Parses and checks a calendar file against the published version of the same id.</summary>
    /// <exception cref="CalendarRejectedException">The file has errors, or its version is not above the published one.</exception>
    public (WorkingCalendar Old, WorkingCalendar New) Check(string yaml, string path = "calendar.yaml")
    {
        var parsed = CalendarSpec.Parse(yaml, path);
        if (parsed.HasErrors || parsed.Spec is null)
        {
            throw new CalendarRejectedException("the calendar file has errors", parsed.Errors);
        }

        WorkingCalendar @new;
        try
        {
            @new = new WorkingCalendar(parsed.Spec);
        }
        catch (ArgumentException ex)
        {
            throw new CalendarRejectedException("the calendar is inconsistent", [new CalendarDiagnostic(path, 1, 1, "PE905", ex.Message)]);
        }

        var old = registry.Calendar(@new.Id) ?? WorkingCalendar.Vietnam();
        if (old.Spec.Version is { } published && (@new.Spec.Version is not { } version || version <= published))
        {
            throw new CalendarRejectedException(
                $"calendar {@new.Id} version {published} is published; a new version needs a higher 'version'",
                [new CalendarDiagnostic(path, 1, 1, "PE906", $"version must be higher than the published version {published} (got {@new.Spec.Version?.ToString(CultureInfo.InvariantCulture) ?? "none"})")]);
        }

        return (old, @new);
    }

    /// <summary>
    /// Previews (<paramref name="dryRun"/>) or publishes the calendar in <paramref name="yaml"/> at <paramref name="at"/>:
    /// the diff from that day on, and the dossiers it re-plans.
    /// </summary>
    public async Task<CalendarPublication> PublishAsync(string yaml, DateTimeOffset at, bool dryRun, CancellationToken cancellationToken, string path = "calendar.yaml")
    {
        var (old, @new) = Check(yaml, path);
        var watch = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(at.ToOffset(@new.UtcOffset).DateTime);
        var diff = CalendarDiff.Compare(old, @new, today);
        if (!dryRun)
        {
            registry.PublishCalendar(@new, yaml);
        }

        if (diff.IsEmpty)
        {
            return new CalendarPublication(diff, 0, [], !dryRun, watch.Elapsed);
        }

        var rows = await ReadModelQueries.OpenFromAsync(dossiers.Store, at, cancellationToken).ConfigureAwait(false);
        var candidates = new List<string>();
        string? last = null;
        var keep = false;
        foreach (var row in rows)
        {
            // Rows come by dossier id: one decision per dossier.
            if (row.DossierId != last)
            {
                if (keep)
                {
                    candidates.Add(last!);
                }

                (last, keep) = (row.DossierId, false);
            }

            keep |= OnCalendar(row, @new.Id) && diff.Touches(at, row.DueAt, @new.UtcOffset);
        }

        if (keep)
        {
            candidates.Add(last!);
        }

        var replanned = new List<ReplannedDossier>();
        foreach (var id in candidates)
        {
            if (await ReplanOneAsync(id, old, @new, diff, at, dryRun, cancellationToken).ConfigureAwait(false) is ({ } change, var code))
            {
                replanned.Add(new ReplannedDossier(id, code, change));
            }
        }

        return new CalendarPublication(diff, candidates.Count, replanned, !dryRun, watch.Elapsed);
    }

    private bool OnCalendar(DueDeadline row, string calendarId) =>
        row.ProcedureCode is null || row.ProcedureVersion is null ||
        registry.Catalog.Find(row.ProcedureCode, (int)row.ProcedureVersion) is not { } definition || definition.Calendar == calendarId;

    private async Task<(DossierReplanned? Change, string? Code)> ReplanOneAsync(string id, WorkingCalendar old, WorkingCalendar @new, CalendarDiff diff, DateTimeOffset at, bool dryRun, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var dossier = await dossiers.LoadAsync(id, null, cancellationToken).ConfigureAwait(false);
            if (dossier?.Definition is null || dossier.State.IsFinished || dossier.Definition.Calendar != @new.Id || !dossier.Verification.IsValid)
            {
                return (null, null);
            }

            // A dossier whose last event is later than the publication (a clock skew between nodes) is re-planned at that event.
            var when = dossier.State.LastEventAt is { } lastAt && lastAt > at ? lastAt : at;
            var context = dossiers.ContextFor(dossier).WithCalendar(@new);
            var decision = Decider.Decide(new ApplyCalendarChange(when, SystemActor, old, diff), dossier.State, context);
            if (decision.Events.IsDefaultOrEmpty || decision.Events[0] is not DossierReplanned change)
            {
                return (null, null);
            }

            if (dryRun)
            {
                return (change, dossier.State.Code);
            }

            try
            {
                var key = $"calendar:{@new.Id}:v{@new.Spec.Version?.ToString(CultureInfo.InvariantCulture) ?? "-"}:{dossier.State.Version}";
                await dossiers.Events.AppendAsync(id, dossier.State.Version, DossierService.Envelopes(decision.Events, SystemActor), key, cancellationToken).ConfigureAwait(false);
                return (change, dossier.State.Code);
            }
            catch (ConcurrencyException) when (attempt < 3)
            {
                // An officer or the timers wrote meanwhile: decide again on the new state.
            }
        }
    }
}
