namespace ProcedureEngine.Dossiers;

// Apology: a late agency apologises and sets a new appointment.
public static partial class Decider
{
    private static Rejection? Apologize(Run run, IssueApology c)
    {
        var s = run.State;
        if (s.IsFinished)
        {
            return Finished(s);
        }

        if (!s.IsReceived)
        {
            return NotReceived();
        }

        if (s.Apology is { } previous)
        {
            return new Rejection(
                RejectionCodes.SecondApology,
                $"Hồ sơ đã được xin lỗi và hẹn lại ngày trả kết quả lúc {Local(previous.At, run.Context)}; ngày hẹn chỉ được điều chỉnh một lần.",
                "An apology was already issued; the appointment can be re-set only once.");
        }

        if (RequireReason(c.Reason) is { } noReason)
        {
            return noReason;
        }

        var agency = c.AgencyAtFault ?? c.By.Agency;
        if (!run.Plan.Agencies.ContainsKey(agency))
        {
            return new Rejection(RejectionCodes.UnknownAgency, $"Cơ quan \"{agency}\" không tham gia giải quyết thủ tục này.", $"Agency '{agency}' takes no part in this procedure.");
        }

        if (c.By.Agency != agency && !run.Plan.OneStopAgencies.Contains(c.By.Agency))
        {
            return new Rejection(
                RejectionCodes.WrongAgency,
                $"Văn bản xin lỗi do {run.Plan.AgencyName(agency)} (cơ quan để chậm) hoặc Bộ phận Một cửa phát hành; {c.By.User} thuộc {run.Plan.AgencyName(c.By.Agency)}.",
                $"The apology is issued by the agency at fault '{agency}' or the one-stop unit, not by '{c.By.Agency}'.");
        }

        var current = s.AppointmentAt!.Value;
        var projection = Project(run.State, run.Context, c.At);
        var newAppointment = c.NewAppointmentAt ?? projection.NewAppointment(run.Calendar, run.Context, current);
        if (newAppointment <= current)
        {
            return new Rejection(
                RejectionCodes.AppointmentNotLater,
                $"Ngày hẹn mới ({Local(newAppointment, run.Context)}) phải sau ngày hẹn hiện tại ({Local(current, run.Context)}).",
                $"The new appointment {newAppointment:O} must be after the current one {current:O}.");
        }

        if (c.NewAppointmentAt is not null)
        {
            var rules = RulesOf(s, run.Context, c.At);
            var limit = run.Definition.TimeLimitFor(s.Inputs);
            var latest = rules.LatestNewAppointment(run.Calendar, current, limit);
            if (newAppointment > latest)
            {
                return new Rejection(
                    RejectionCodes.AppointmentBeyondBound,
                    $"Ngày hẹn mới ({Local(newAppointment, run.Context)}) muộn hơn mức tối đa {Local(latest, run.Context)} " +
                    $"(ngày hẹn hiện tại {Local(current, run.Context)} cộng thời hạn giải quyết {limit.ToVietnamese()}; {rules.ApologyBoundBasis}).",
                    $"The new appointment {newAppointment:O} is later than the bound {latest:O}: the current appointment plus the dossier's time limit ({limit}), rule set {rules.Id}.");
            }
        }

        var stepId = s.Steps.FirstOrDefault(st => st.Status == StepStatus.Active && st.Agency == agency)?.Id;
        run.Emit(new ApologyIssued(c.At, c.By, agency, run.Plan.AgencyName(agency), stepId, c.Reason, current, newAppointment, Automatic: false));
        return null;
    }
}
