using System.Collections.Immutable;

namespace ProcedureEngine.Dossiers.Events;

/// <summary>Who did something: a user acting for an agency (agency id as declared in the definition).</summary>
public sealed record Actor(string User, string Agency)
{
    /// <summary>The agency id of the applicant acting in person (scenarios, simulation): not an agency of any procedure.</summary>
    public const string ApplicantAgency = "applicant";
}

/// <summary>The person or organisation that lodged the dossier.</summary>
public sealed record Applicant(string Name)
{
    /// <summary>individual | organization (as declared by the applicant).</summary>
    public string? Kind { get; init; }

    public string? Phone { get; init; }

    public string? Address { get; init; }

    public string? Email { get; init; }

    /// <summary>The channels the applicant consented to be notified on ("sms", "email"); empty or null: none.</summary>
    public IReadOnlyList<string>? Notify { get; init; }
}

/// <summary>How the dossier reached the one-stop unit.</summary>
public enum Channel
{
    Counter,
    Post,
    Online,
}

/// <summary>One document of the dossier, with what the letters print (name, copies, original or copy).</summary>
public sealed record DocumentEntry(string Id, string Name, int Copies, bool Original);

/// <summary>A step of the procedure as planned at receipt: the dossier keeps its own copy of the plan.</summary>
public sealed record PlannedStep(string Id, string Name, string Agency, string AgencyName, ImmutableArray<string> After)
{
    /// <summary>True for the final one-stop step that hands the result back (see docs/dossier-lifecycle.md).</summary>
    public bool IsReturn { get; init; }
}

/// <summary>How the dossier clock behaves while the applicant completes a dossier.</summary>
public enum SupplementMode
{
    /// <summary>The time limit is counted again from zero when the complete dossier comes back (nd118-2025).</summary>
    Restart,

    /// <summary>The clock stops while the dossier is with the applicant and resumes where it stopped (nd61-2018).</summary>
    Pause,
}

/// <summary>A due instant that moved, as carried by events that re-plan the dossier.</summary>
public sealed record StepDue(string StepId, DateTimeOffset DueAt);
