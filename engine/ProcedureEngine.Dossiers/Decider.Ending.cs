namespace ProcedureEngine.Dossiers;

// End of the dossier: returning the result, withdrawal and the applicant's evaluation.
public static partial class Decider
{
    private static Rejection? Return(Run run, ReturnResult c)
    {
        var s = run.State;
        if (s.IsFinished)
        {
            return Finished(s);
        }

        if (s.Status != DossierStatus.ResultReady)
        {
            return s.IsReceived
                ? new Rejection(RejectionCodes.ResultNotReady, "Chưa có kết quả giải quyết để trả cho công dân.", "The result is not ready yet.")
                : NotReceived();
        }

        var returnAgency = run.Plan.Return >= 0 ? run.Plan.Steps[run.Plan.Return].Agency : null;
        if (returnAgency is not null ? c.By.Agency != returnAgency : !run.Plan.OneStopAgencies.Contains(c.By.Agency))
        {
            var owner = returnAgency ?? run.Plan.OneStopAgencies.FirstOrDefault() ?? "one-stop";
            return new Rejection(
                RejectionCodes.WrongAgency,
                $"Chỉ {run.Plan.AgencyName(owner)} được trả kết quả; {c.By.User} thuộc {run.Plan.AgencyName(c.By.Agency)}.",
                $"Only agency '{owner}' returns results; {c.By.User} acts for '{c.By.Agency}'.");
        }

        if (run.Plan.Return >= 0)
        {
            var step = s.Steps[run.Plan.Return];
            run.Emit(new StepCompleted(c.At, c.By, step.Id, DefaultOutcome(run.Plan.Steps[run.Plan.Return]), step.DueAt ?? c.At, null));
        }

        run.Emit(new ResultReturned(c.At, c.By, s.AppointmentAt!.Value, c.At <= s.AppointmentAt.Value));
        return null;
    }

    private static Rejection? Withdraw(Run run, WithdrawDossier c)
    {
        var s = run.State;
        if (s.IsFinished)
        {
            return Finished(s);
        }

        if (s.Status == DossierStatus.New)
        {
            return NotReceived();
        }

        if (s.Status == DossierStatus.ResultReady)
        {
            return new Rejection(RejectionCodes.DecisionIssued, "Đã có kết quả giải quyết; không thể rút hồ sơ.", "The decision has been issued; the dossier can no longer be withdrawn.");
        }

        if (CheckApplicantSide(run, c.By, "rút hồ sơ", "a withdrawal") is { } notHolder)
        {
            return notHolder;
        }

        run.Emit(new DossierWithdrawn(c.At, c.By, c.Reason));
        return null;
    }

    private static Rejection? Evaluate(Run run, EvaluateDossier c)
    {
        var s = run.State;
        if (s.Status != DossierStatus.Returned)
        {
            return new Rejection(RejectionCodes.NotReturned, "Chỉ đánh giá được sau khi đã nhận kết quả.", "A dossier can be evaluated only after its result was returned.");
        }

        if (CheckApplicantSide(run, c.By, "đánh giá", "an evaluation") is { } notHolder)
        {
            return notHolder;
        }

        if (s.Score is not null)
        {
            return new Rejection(RejectionCodes.AlreadyEvaluated, "Hồ sơ đã được đánh giá.", "The dossier was already evaluated.");
        }

        if (c.Score is < 1 or > 5)
        {
            return new Rejection(RejectionCodes.InvalidScore, $"Điểm đánh giá phải từ 1 đến 5 (nhận được {c.Score}).", $"The score must be 1..5 (got {c.Score}).");
        }

        foreach (var (criterion, score) in c.Criteria ?? ImmutableDictionary<string, int>.Empty)
        {
            if (!EvaluationCriteria.All.Contains(criterion))
            {
                return new Rejection(RejectionCodes.InvalidScore, $"Tiêu chí đánh giá '{criterion}' không có (các tiêu chí: {string.Join(", ", EvaluationCriteria.All)}).",
                    $"There is no criterion '{criterion}' (criteria: {string.Join(", ", EvaluationCriteria.All)}).");
            }

            if (score is < 1 or > 5)
            {
                return new Rejection(RejectionCodes.InvalidScore, $"Điểm tiêu chí '{criterion}' phải từ 1 đến 5 (nhận được {score}).", $"The score of '{criterion}' must be 1..5 (got {score}).");
            }
        }

        run.Emit(new DossierEvaluated(c.At, c.By, c.Score, c.Comment) { Criteria = c.Criteria is { Count: > 0 } criteria ? criteria : null });
        return null;
    }
}
