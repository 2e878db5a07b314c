namespace ProcedureEngine.Dossiers;

/// <summary>
/// Why a command was refused, with a stable machine code and a reason in Vietnamese (for officers and
/// citizens) and English (for logs and integrators). A rejected command appends no event.
/// </summary>
public sealed record Rejection(string Code, string Message, string MessageEn)
{
    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>Stable rejection codes.</summary>
public static class RejectionCodes
{
    public const string WrongAgency = "wrong-agency";
    public const string StepNotActive = "step-not-active";
    public const string UnknownStep = "unknown-step";
    public const string UndeclaredDocument = "undeclared-document";
    public const string SecondApology = "second-apology";
    public const string DossierFinished = "dossier-finished";
    public const string NotReceived = "not-received";
    public const string AlreadyReceived = "already-received";
    public const string NotOneStop = "not-one-stop";
    public const string VersionNotInEffect = "version-not-in-effect";
    public const string InvalidInput = "invalid-input";
    public const string OutcomeNotAllowed = "outcome-not-allowed";
    public const string SupplementNotAllowed = "supplement-not-allowed";
    public const string SupplementPending = "supplement-pending";
    public const string NoSupplementRequested = "no-supplement-requested";
    public const string SupplementIncomplete = "supplement-incomplete";
    public const string ResultNotReady = "result-not-ready";
    public const string DecisionIssued = "decision-issued";
    public const string NotReturned = "not-returned";
    public const string AlreadyEvaluated = "already-evaluated";
    public const string InvalidScore = "invalid-score";
    public const string UnknownAgency = "unknown-agency";
    public const string AppointmentNotLater = "appointment-not-later";
    public const string AppointmentBeyondBound = "appointment-beyond-bound";
    public const string ReasonRequired = "reason-required";
    public const string TimeGoesBackwards = "time-goes-backwards";
    public const string DefinitionMismatch = "definition-mismatch";
    public const string DefinitionInvalid = "definition-invalid";
    public const string NothingRequested = "nothing-requested";
}
