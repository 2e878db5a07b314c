using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace ProcedureEngine.Dossiers.Rules;

/// <summary>
/// The registry of rule sets: the engine's own (<see cref="BuiltIn"/>) and any registered by the caller. A new decree is
/// one more file like <see cref="Nd118Of2025"/> and one more entry in <see cref="BuiltIn"/>; everything else (receipt,
/// timers, letters, scenarios) finds it through <see cref="ForReceipt"/>, <see cref="Find"/> and <see cref="All"/>.
/// </summary>
public static partial class RuleSets
{
    public const string Nd61Id = Nd61Of2018.Id;
    public const string Nd118Id = Nd118Of2025.Id;

    // Rule sets registered for the current asynchronous flow (the caller and what it awaits), oldest registration first.
    private static readonly AsyncLocal<ImmutableArray<RuleSet>> Registered = new();

    /// <summary>Nghị định 61/2018/NĐ-CP as amended by 107/2021/NĐ-CP; forms of Thông tư 01/2018/TT-VPCP.</summary>
    public static RuleSet Nd61 => Nd61Of2018.RuleSet;

    /// <summary>Nghị định 118/2025/NĐ-CP; forms of Thông tư 03/2025/TT-VPCP.</summary>
    public static RuleSet Nd118 => Nd118Of2025.RuleSet;

    /// <summary>The rule sets shipped with the engine, oldest first.</summary>
    public static ImmutableArray<RuleSet> BuiltIn { get; } = [Nd61Of2018.RuleSet, Nd118Of2025.RuleSet];

    /// <summary>Every rule set known here: the built-in ones, then those registered in this flow.</summary>
    public static ImmutableArray<RuleSet> All =>
        Registered.Value is { IsDefaultOrEmpty: false } extra ? BuiltIn.AddRange(extra) : BuiltIn;

    /// <summary>
    /// The rule set governing a dossier received on <paramref name="receivedOn"/> (local date): of those whose dates
    /// cover the day, the one in force from the latest date (a later decree supersedes the earlier from its own date).
    /// </summary>
    public static RuleSet ForReceipt(DateOnly receivedOn)
    {
        RuleSet? governing = null;
        foreach (var ruleSet in All)
        {
            if (ruleSet.GovernsReceiptOn(receivedOn) && (governing is null || ruleSet.InForceFrom >= governing.InForceFrom))
            {
                governing = ruleSet;
            }
        }

        return governing ?? throw new InvalidOperationException($"no rule set governs dossiers received on {receivedOn:yyyy-MM-dd}");
    }

    /// <summary>The rule set with this id, or null when none is known.</summary>
    public static RuleSet? Find(string? id)
    {
        if (id is null)
        {
            return null;
        }

        foreach (var ruleSet in All)
        {
            if (string.Equals(ruleSet.Id, id, StringComparison.Ordinal))
            {
                return ruleSet;
            }
        }

        return null;
    }

    /// <summary>"nd61-2018 or nd118-2025": the known ids, for error messages.</summary>
    public static string KnownIds => string.Join(" or ", All.Select(r => r.Id));

    /// <summary>
    /// Registers a rule set for the current asynchronous flow (this code and what it calls or awaits, not other
    /// threads' work) until the returned handle is disposed: a rule set defined outside the engine, tried without
    /// changing the built-in ones (tests, a "what if" run). Its id must be new, made of lower-case letters, digits
    /// and dashes (it names template files: <c>{form}.{id}.hbs</c>).
    /// </summary>
    public static IDisposable Register(RuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        if (!IdPattern().IsMatch(ruleSet.Id))
        {
            throw new ArgumentException($"rule set id '{ruleSet.Id}' must be lower-case letters, digits and dashes", nameof(ruleSet));
        }

        if (Find(ruleSet.Id) is not null)
        {
            throw new ArgumentException($"a rule set '{ruleSet.Id}' is already known", nameof(ruleSet));
        }

        if (ruleSet.InForceUntil is { } until && until < ruleSet.InForceFrom)
        {
            throw new ArgumentException($"rule set '{ruleSet.Id}' ends ({until:yyyy-MM-dd}) before it starts ({ruleSet.InForceFrom:yyyy-MM-dd})", nameof(ruleSet));
        }

        var previous = Registered.Value;
        Registered.Value = previous.IsDefault ? [ruleSet] : previous.Add(ruleSet);
        return new Registration(ruleSet);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    private sealed class Registration(RuleSet ruleSet) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            if (!Registered.Value.IsDefault)
            {
                Registered.Value = Registered.Value.Remove(ruleSet, ReferenceEqualityComparer.Instance);
            }
        }
    }
}
