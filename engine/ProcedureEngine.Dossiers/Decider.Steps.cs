namespace ProcedureEngine.Dossiers;

// Steps: completing a step and advancing the flow to the next ones.
public static partial class Decider
{
    private static Rejection? Complete(Run run, CompleteStep c)
    {
        if (ActiveStepOf(run, c.StepId, c.By, out var index) is { } bad)
        {
            return bad;
        }

        var def = run.Plan.Steps[index];
        if (index == run.Plan.Return)
        {
            return Return(run, new ReturnResult(c.At, c.By));
        }

        var outcome = c.Outcome ?? DefaultOutcome(def);
        if (!def.Outcomes.Contains(outcome))
        {
            return new Rejection(
                RejectionCodes.OutcomeNotAllowed,
                $"Bước \"{def.Name}\" không có kết quả \"{outcome}\"; các kết quả được phép: {string.Join(", ", def.Outcomes)}.",
                $"Step '{def.Id}' has no outcome '{outcome}'; allowed: {string.Join(", ", def.Outcomes)}.");
        }

        if (outcome == Outcomes.Supplement)
        {
            return new Rejection(
                RejectionCodes.OutcomeNotAllowed,
                "Yêu cầu bổ sung hồ sơ phải nêu rõ các giấy tờ cần bổ sung (dùng thao tác yêu cầu bổ sung).",
                "A supplement must name the documents requested: use request-supplement.");
        }

        var step = run.State.Steps[index];
        run.Emit(new StepCompleted(c.At, c.By, def.Id, outcome, step.DueAt ?? c.At, c.Note));
        if (outcome == Outcomes.Rejected)
        {
            run.Emit(new DossierRefused(c.At, run.State.Id!, c.By,
                string.IsNullOrWhiteSpace(c.Note) ? $"Hồ sơ không đủ điều kiện giải quyết (kết quả bước \"{def.Name}\")." : c.Note, def.Id));
            return null;
        }

        Advance(run, c.At);
        return null;
    }

    /// <summary>Starts or skips every step whose predecessors are all finished; readies the result at the end.</summary>
    private static void Advance(Run run, DateTimeOffset at)
    {
        var plan = run.Plan;
        bool changed;
        do
        {
            changed = false;
            foreach (var i in plan.Order)
            {
                var step = run.State.Steps[i];
                if (step.Status != StepStatus.Pending || !PredecessorsFinished(run.State, plan, i))
                {
                    continue;
                }

                var def = plan.Steps[i];
                if (def.When is not null && !def.When.Evaluate(run.State.Inputs))
                {
                    run.Emit(new StepSkipped(at, def.Id, "Điều kiện thực hiện bước không thỏa mãn đối với hồ sơ này."));
                    changed = true;
                    continue;
                }

                if (i == plan.Return)
                {
                    if (!AllFinishedExcept(run.State, i))
                    {
                        continue;
                    }

                    run.Emit(new ResultReady(at, DecisiveOutcome(run.State)));
                }

                run.Emit(new StepStarted(at, def.Id, def.Agency, run.Calendar.Add(at, def.Duration)));
                changed = true;
            }
        }
        while (changed);

        if (plan.Return < 0 && run.State.Status is DossierStatus.InProgress or DossierStatus.Received && AllFinishedExcept(run.State, -1))
        {
            run.Emit(new ResultReady(at, DecisiveOutcome(run.State)));
        }
    }

    private static bool PredecessorsFinished(DossierState state, ProcedurePlan plan, int i)
    {
        foreach (var p in plan.Predecessors[i])
        {
            if (!state.Steps[p].IsFinished)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllFinishedExcept(DossierState state, int except)
    {
        var steps = state.Steps.AsSpan();
        for (var i = 0; i < steps.Length; i++)
        {
            if (i != except && !steps[i].IsFinished)
            {
                return false;
            }
        }

        return true;
    }

    private static string? DecisiveOutcome(DossierState state)
    {
        string? outcome = null;
        DateTimeOffset latest = default;
        foreach (var st in state.Steps)
        {
            if (st.Status == StepStatus.Done && st.Outcome is { } o && o != Outcomes.Done && st.CompletedAt >= latest)
            {
                outcome = o;
                latest = st.CompletedAt.Value;
            }
        }

        return outcome;
    }

    private static string DefaultOutcome(StepDef def)
    {
        foreach (var o in def.Outcomes)
        {
            if (o is not (Outcomes.Supplement or Outcomes.Rejected))
            {
                return o;
            }
        }

        return Outcomes.Done;
    }
}
