using System.Collections.Frozen;
using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Events;

namespace ProcedureEngine.Dossiers.Rules;

/// <summary>
/// The legal regime a dossier runs under, chosen by its receipt date and kept to the end. The one home of what a
/// decree and its circular decide: the forms (number, title, paper), the circular printed on them, the legal basis,
/// and every time limit and behaviour with the article that sets it. The engine's rule sets are listed in
/// <see cref="RuleSets"/>; letters, decider and timers read them from there, never by id.
/// </summary>
public sealed record RuleSet
{
    /// <summary>Stable id stored in every dossier's receipt, e.g. "nd118-2025"; lower-case letters, digits and dashes.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>Legal basis printed on letters.</summary>
    public required ImmutableArray<string> LegalBasis { get; init; }

    /// <summary>The circular that publishes the forms, as printed after the form number ("Mẫu số 01 – Thông tư số 03/2025/TT-VPCP").</summary>
    public required string Circular { get; init; }

    /// <summary>First receipt date the rule set governs (inclusive).</summary>
    public required DateOnly InForceFrom { get; init; }

    /// <summary>Last receipt date the rule set governs (inclusive); null: until a later rule set takes over.</summary>
    public DateOnly? InForceUntil { get; init; }

    /// <summary>The forms of the circular, by kind (see <see cref="FormTable"/>).</summary>
    public required FrozenDictionary<FormKind, FormInfo> Forms { get; init; }

    /// <summary>What a supplement request does to the clock: pause it, or restart the time limit from zero.</summary>
    public required LegalRule<SupplementMode> SupplementMode { get; init; }

    /// <summary>A dossier whose requested documents have not come back after this long is closed.</summary>
    public required LegalRule<Duration> SupplementClosingAfter { get; init; }

    /// <summary>How long before the appointment the apology must be issued at the latest.</summary>
    public required LegalRule<Duration> ApologyLeadTime { get; init; }

    /// <summary>Online dossiers must be accepted or sent back within this time.</summary>
    public required LegalRule<Duration> OnlineAcceptanceLimit { get; init; }

    /// <summary>
    /// Why an apology's new appointment is bounded, as printed in a refusal. The law lets the appointment be re-set
    /// once and fixes no maximum; the rule set bounds it by <see cref="LatestNewAppointment"/>.
    /// </summary>
    public required string ApologyBoundBasis { get; init; }

    /// <summary>
    /// Warn a step's agency this long before its due instant (capped at a quarter of the step's budget). The engine's
    /// own practice, not set by the decree.
    /// </summary>
    public Duration WarningLeadTime { get; init; } = Duration.WorkingDays(1);

    /// <summary>How open dossiers are re-planned when the calendar changes (the appointment rule and its legal reasoning).</summary>
    public CalendarChangeRule CalendarChange { get; init; } = CalendarChangeRule.Standard;

    /// <summary>
    /// Letter templates the rule set brings with it, by form template name ("supplement-request"): Handlebars sources
    /// used before the built-in <c>{form}.{Id}.hbs</c> and <c>{form}.hbs</c>. For rule sets defined outside the engine
    /// (the built-in ones ship theirs with the letters); empty: the built-in templates.
    /// </summary>
    public ImmutableDictionary<string, string> LetterTemplates { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// The latest new appointment an apology may set: the appointment in force plus the procedure's own time limit,
    /// counted on the dossier's calendar (as long again as the law gave for the whole dossier, never open-ended).
    /// </summary>
    public DateTimeOffset LatestNewAppointment(IWorkingCalendar calendar, DateTimeOffset current, Duration timeLimit)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.Add(current, timeLimit);
    }

    /// <summary>The form of that kind, or null when this rule set has none (e.g. no stop notice under nd61-2018).</summary>
    public FormInfo? Form(FormKind kind) => Forms.GetValueOrDefault(kind);

    /// <summary>The form with a given number ("05", or "5"), or null.</summary>
    public FormInfo? FormNumbered(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        var normalized = number.Trim().PadLeft(2, '0');
        return Forms.Values.FirstOrDefault(f => f.Number == normalized);
    }

    public bool GovernsReceiptOn(DateOnly day) => day >= InForceFrom && (InForceUntil is null || day <= InForceUntil.Value);

    /// <summary>The form table of a rule set from its forms (each kind once).</summary>
    public static FrozenDictionary<FormKind, FormInfo> FormTable(params FormInfo[] forms)
    {
        ArgumentNullException.ThrowIfNull(forms);
        return forms.ToFrozenDictionary(f => f.Kind);
    }
}
