namespace ProcedureEngine.Dossiers;

// Receipt: online submission, counter receipt (with the appointment) and refusal.
public static partial class Decider
{
    private static Rejection? Submit(Run run, SubmitOnline c)
    {
        var s = run.State;
        if (s.Status != DossierStatus.New)
        {
            return AlreadyReceived(s);
        }

        if ((CheckEffective(run, c.At) ?? CheckInputs(run, c.Inputs) ?? CheckDeclared(run, c.Documents)) is { } bad)
        {
            return bad;
        }

        var rules = RulesFor(run, c.At);
        run.Emit(new DossierSubmitted(c.At, c.DossierId, run.Definition.Code, run.Definition.Version, c.Applicant, c.Inputs,
            Entries(run, c.Documents), run.Calendar.Add(c.At, rules.OnlineAcceptanceLimit.Value), run.Context.Jurisdiction));
        return null;
    }

    private static Rejection? Receive(Run run, ReceiveDossier c)
    {
        var s = run.State;
        if (s.Status is not (DossierStatus.New or DossierStatus.Submitted))
        {
            return s.IsFinished ? Finished(s) : AlreadyReceived(s);
        }

        if (CheckOneStop(run, c.By) is { } notOneStop)
        {
            return notOneStop;
        }

        var applicant = c.Applicant ?? s.Applicant;
        var inputs = c.Inputs ?? (s.Status == DossierStatus.Submitted ? s.Inputs : ImmutableDictionary<string, string>.Empty);
        var documents = c.Documents ?? (s.Status == DossierStatus.Submitted ? [.. s.Documents.Select(d => d.Id)] : []);
        if (applicant is null)
        {
            return new Rejection(RejectionCodes.InvalidInput, "Thiếu thông tin người nộp hồ sơ.", "The applicant is missing.");
        }

        if ((CheckEffective(run, c.At) ?? CheckInputs(run, inputs) ?? CheckDeclared(run, documents)) is { } bad)
        {
            return bad;
        }

        var rules = RulesFor(run, c.At);
        var missing = run.Definition.Documents
            .Where(d => (d.When is null || d.When.Evaluate(inputs)) && !documents.Contains(d.Id))
            .Select(d => Entry(d))
            .ToImmutableArray();
        if (missing.Length > 0)
        {
            // Guidance listing everything missing at once (form 02); the dossier is not received.
            run.Emit(new ReceiptGuidanceIssued(c.At, c.DossierId, run.Definition.Code, run.Definition.Version, rules.Id, c.By, applicant, missing, Entries(run, documents)));
            return null;
        }

        // The case's own limit when the law gives this kind of dossier a shorter one (timeLimitCases), else timeLimit.
        var limit = run.Definition.TimeLimitFor(inputs);
        var agency = run.Plan.Agencies[c.By.Agency];
        var local = c.At.ToOffset(run.Calendar.UtcOffset);
        var code = string.Create(CultureInfo.InvariantCulture, $"{agency.Code ?? agency.Id}-{local:yyMMdd}-{run.Context.Sequence:0000}");
        var channel = s.Status == DossierStatus.Submitted ? Channel.Online : c.Channel;
        run.Emit(new DossierReceived(
            c.At, s.Id ?? c.DossierId, code, run.Definition.Code, run.Definition.Version, run.Definition.Name, rules.Id, run.Context.Jurisdiction,
            channel, c.By, agency.Name, applicant, inputs, Entries(run, documents), limit.ToString(),
            run.Calendar.CountingStart(c.At), run.Calendar.Add(c.At, limit), run.Plan.Planned));

        // The first step, when it belongs to the one-stop unit, is the receipt itself: done by the receiving officer.
        var first = run.Plan.Steps[run.Plan.First];
        if (run.Plan.OneStopAgencies.Contains(first.Agency) && run.Plan.First != run.Plan.Return)
        {
            var due = run.Calendar.Add(c.At, first.Duration);
            run.Emit(new StepStarted(c.At, first.Id, first.Agency, due));
            run.Emit(new StepCompleted(c.At, c.By, first.Id, DefaultOutcome(first), due, null));
        }

        Advance(run, c.At);
        return null;
    }

    private static Rejection? Refuse(Run run, RefuseDossier c)
    {
        var s = run.State;
        if (s.Status is not (DossierStatus.New or DossierStatus.Submitted))
        {
            return s.IsFinished ? Finished(s) : AlreadyReceived(s);
        }

        if ((CheckOneStop(run, c.By) ?? RequireReason(c.Reason)) is { } bad)
        {
            return bad;
        }

        var applicant = c.Applicant ?? s.Applicant;
        run.Emit(new DossierRefused(c.At, s.Id ?? c.DossierId, c.By, c.Reason, null)
        {
            Applicant = applicant,
            ProcedureCode = run.Definition.Code,
            ProcedureVersion = run.Definition.Version,
            RuleSet = RulesFor(run, c.At).Id,
        });
        return null;
    }
}
