namespace ProcedureEngine.Dossiers;

// Supplement: requesting and providing missing documents (the clock stops and resumes).
public static partial class Decider
{
    private static Rejection? RequestSupplement(Run run, RequestSupplement c)
    {
        if (run.State.Status == DossierStatus.AwaitingSupplement)
        {
            return new Rejection(RejectionCodes.SupplementPending, "Hồ sơ đang chờ công dân bổ sung; chưa thể yêu cầu bổ sung lần nữa.", "A supplement request is already pending.");
        }

        if (ActiveStepOf(run, c.StepId, c.By, out var index) is { } bad)
        {
            return bad;
        }

        var def = run.Plan.Steps[index];
        if (!def.Outcomes.Contains(Outcomes.Supplement))
        {
            return new Rejection(
                RejectionCodes.SupplementNotAllowed,
                $"Quy trình không cho phép bước \"{def.Name}\" yêu cầu bổ sung hồ sơ.",
                $"Step '{def.Id}' may not request a supplement (its outcomes do not include 'supplement').");
        }

        if (c.Documents.IsDefaultOrEmpty)
        {
            return new Rejection(RejectionCodes.NothingRequested, "Phiếu yêu cầu bổ sung phải nêu ít nhất một giấy tờ.", "A supplement request must name at least one document.");
        }

        if ((CheckDeclared(run, c.Documents) ?? RequireReason(c.Reason)) is { } invalid)
        {
            return invalid;
        }

        var rules = RulesOf(run.State, run.Context, c.At);
        run.Emit(new SupplementRequested(c.At, c.By, def.Id, Entries(run, c.Documents), c.Reason, rules.SupplementMode.Value,
            run.Calendar.Add(c.At, rules.SupplementClosingAfter.Value)));
        return null;
    }

    private static Rejection? ProvideSupplement(Run run, ProvideSupplement c)
    {
        var s = run.State;
        if (s.IsFinished)
        {
            return Finished(s);
        }

        if (s.Supplement is not { } pending)
        {
            return new Rejection(RejectionCodes.NoSupplementRequested, "Hồ sơ không có yêu cầu bổ sung nào đang chờ.", "No supplement was requested.");
        }

        if (CheckApplicantSide(run, c.By, "bổ sung hồ sơ", "a supplement") is { } notHolder)
        {
            return notHolder;
        }

        if (CheckDeclared(run, c.Documents) is { } undeclared)
        {
            return undeclared;
        }

        var missing = pending.Documents.Where(d => !c.Documents.Contains(d.Id)).ToList();
        if (missing.Count > 0)
        {
            return new Rejection(
                RejectionCodes.SupplementIncomplete,
                $"Còn thiếu giấy tờ đã yêu cầu bổ sung: {string.Join("; ", missing.Select(d => d.Name))}.",
                $"Requested documents still missing: {string.Join(", ", missing.Select(d => d.Id))}.");
        }

        // The clock stopped at the request. Pause: every running step and the appointment move by the
        // office time the dossier spent with the applicant. Restart: the limit counts again from zero:
        // the requesting step gets its full duration and the appointment the full time limit.
        var cal = run.Calendar;
        var dues = ImmutableArray.CreateBuilder<StepDue>();
        foreach (var st in s.Steps)
        {
            if (st.Status != StepStatus.Active || st.DueAt is not { } due)
            {
                continue;
            }

            var newDue = pending.Mode == SupplementMode.Restart && st.Id == pending.StepId
                ? cal.Add(c.At, run.Plan.Steps[run.Plan.Index[st.Id]].Duration)
                : Shift(cal, due, pending.RequestedAt, c.At);
            dues.Add(new StepDue(st.Id, newDue));
        }

        var appointment = pending.Mode == SupplementMode.Restart
            ? cal.Add(c.At, run.Definition.TimeLimitFor(s.Inputs))
            : Shift(cal, s.AppointmentAt!.Value, pending.RequestedAt, c.At);
        run.Emit(new SupplementProvided(c.At, c.By, Entries(run, c.Documents), appointment, dues.ToImmutable()));
        return null;
    }

    /// <summary>Moves <paramref name="due"/> by the office time between stop and resume (what was left is kept).</summary>
    private static DateTimeOffset Shift(IWorkingCalendar cal, DateTimeOffset due, DateTimeOffset stoppedAt, DateTimeOffset resumedAt)
    {
        var left = cal.WorkingTimeBetween(cal.CountingStart(stoppedAt), due);
        return left <= TimeSpan.Zero ? due : WorkingTime.Add(cal, resumedAt, left);
    }
}
