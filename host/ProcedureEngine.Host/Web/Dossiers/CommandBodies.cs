
namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>
/// The body of one command on a dossier (POST /api/dossiers/{id}/{command}): the fields it takes (required ones
/// are <c>required</c>, so a body without them is refused with the field's name before anything is read), its
/// text in Unicode NFC, its length limits (<see cref="FieldLimits"/>) and the decider's command it becomes.
/// </summary>
public interface ICommandBody<out TSelf>
    where TSelf : ICommandBody<TSelf>
{
    /// <summary>The first field that is null where a value is needed, or over its limit; null when the body is fine.</summary>
    string? Problem();

    /// <summary>The same body with every text in NFC.</summary>
    TSelf Normalized();

    DossierCommand ToCommand(string id, DateTimeOffset at, Actor by);
}

/// <summary>POST /api/dossiers/{id}/refuse: refuse the dossier (form 03) with the reason the applicant is given.</summary>
public sealed record RefuseBody : ICommandBody<RefuseBody>
{
    public required string Reason { get; init; }

    public string? Problem() => FieldLimits.Required("reason", Reason) ?? FieldLimits.Text("reason", Reason, FieldLimits.Reason);

    public RefuseBody Normalized() => this with { Reason = FieldLimits.Nfc(Reason)! };

    public DossierCommand ToCommand(string id, DateTimeOffset at, Actor by) => new RefuseDossier(at, by, id, Reason, null);
}

/// <summary>POST /api/dossiers/{id}/complete: finish an active step with one of its outcomes (default: done).</summary>
public sealed record CompleteStepBody : ICommandBody<CompleteStepBody>
{
    public required string Step { get; init; }

    public string? Outcome { get; init; }

    public string? Note { get; init; }

    public string? Problem() => FieldLimits.Required("step", Step)
        ?? FieldLimits.Line("step", Step, FieldLimits.Identifier)
        ?? FieldLimits.Line("outcome", Outcome, FieldLimits.Identifier)
        ?? FieldLimits.Text("note", Note, FieldLimits.Reason);

    public CompleteStepBody Normalized() => this with { Step = FieldLimits.Nfc(Step)!, Outcome = FieldLimits.Nfc(Outcome), Note = FieldLimits.Nfc(Note) };

    public DossierCommand ToCommand(string id, DateTimeOffset at, Actor by) => new CompleteStep(at, by, Step, Outcome, Note);
}

/// <summary>POST /api/dossiers/{id}/request-supplement: ask for listed documents (form 02), once per dossier.</summary>
public sealed record RequestSupplementBody : ICommandBody<RequestSupplementBody>
{
    public required string Step { get; init; }

    public required List<string> Documents { get; init; }

    public required string Reason { get; init; }

    public string? Problem() => FieldLimits.Required("step", Step)
        ?? FieldLimits.Required("documents", Documents)
        ?? FieldLimits.Required("reason", Reason)
        ?? FieldLimits.Line("step", Step, FieldLimits.Identifier)
        ?? FieldLimits.Ids("documents", Documents)
        ?? FieldLimits.Text("reason", Reason, FieldLimits.Reason);

    public RequestSupplementBody Normalized() =>
        this with { Step = FieldLimits.Nfc(Step)!, Documents = [.. Documents.Select(d => FieldLimits.Nfc(d)!)], Reason = FieldLimits.Nfc(Reason)! };

    public DossierCommand ToCommand(string id, DateTimeOffset at, Actor by) => new RequestSupplement(at, by, Step, [.. Documents], Reason);
}

/// <summary>POST /api/dossiers/{id}/supplement: the applicant brought the requested documents.</summary>
public sealed record SupplementBody : ICommandBody<SupplementBody>
{
    public required List<string> Documents { get; init; }

    public string? Problem() => FieldLimits.Required("documents", Documents) ?? FieldLimits.Ids("documents", Documents);

    public SupplementBody Normalized() => this with { Documents = [.. Documents.Select(d => FieldLimits.Nfc(d)!)] };

    public DossierCommand ToCommand(string id, DateTimeOffset at, Actor by) => new ProvideSupplement(at, by, [.. Documents]);
}

/// <summary>POST /api/dossiers/{id}/withdraw: the applicant withdraws the dossier (a reason is optional).</summary>
public sealed record WithdrawBody : ICommandBody<WithdrawBody>
{
    public string? Reason { get; init; }

    public string? Problem() => FieldLimits.Text("reason", Reason, FieldLimits.Reason);

    public WithdrawBody Normalized() => this with { Reason = FieldLimits.Nfc(Reason) };

    public DossierCommand ToCommand(string id, DateTimeOffset at, Actor by) => new WithdrawDossier(at, by, Reason);
}

/// <summary>POST /api/dossiers/{id}/evaluate: the applicant's rating, 1 to 5, with an optional comment.</summary>
public sealed record EvaluateBody : ICommandBody<EvaluateBody>
{
    public required int? Score { get; init; }

    public string? Comment { get; init; }

    public string? Problem() => FieldLimits.Required("score", Score) ?? FieldLimits.Text("comment", Comment, FieldLimits.Reason);

    public EvaluateBody Normalized() => this with { Comment = FieldLimits.Nfc(Comment) };

    public DossierCommand ToCommand(string id, DateTimeOffset at, Actor by) => new EvaluateDossier(at, by, Score!.Value, Comment);
}

/// <summary>
/// POST /api/dossiers/{id}/apologize: the agency at fault apologises (form 04) with a new appointment, which must be
/// later than the current one and within the bound the rule set fixes; by default the rule set's own choice.
/// </summary>
public sealed record ApologizeBody : ICommandBody<ApologizeBody>
{
    public required string Reason { get; init; }

    public string? AgencyAtFault { get; init; }

    public DateTimeOffset? NewAppointmentAt { get; init; }

    public string? Problem() => FieldLimits.Required("reason", Reason)
        ?? FieldLimits.Line("agencyAtFault", AgencyAtFault, FieldLimits.Identifier)
        ?? FieldLimits.Text("reason", Reason, FieldLimits.Reason);

    public ApologizeBody Normalized() => this with { Reason = FieldLimits.Nfc(Reason)!, AgencyAtFault = FieldLimits.Nfc(AgencyAtFault) };

    public DossierCommand ToCommand(string id, DateTimeOffset at, Actor by) => new IssueApology(at, by, AgencyAtFault, Reason, NewAppointmentAt);
}
