using System.Collections.Frozen;
using System.Collections.Immutable;
using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Rules;

namespace ProcedureEngine.Dossiers;

/// <summary>
/// What the decider needs besides the state and the command: the definition version the dossier runs
/// on (local overlay already applied), the legal calendar, an optional forced rule set and, for a
/// receipt, the dossier code's sequence number for the receiving agency and day (supplied by the
/// caller so the decider stays pure). The step graph is prepared when a context is built (the server builds
/// one per command); <see cref="WithSequence"/> copies it without preparing the graph again.
/// </summary>
public sealed class DossierContext
{
    public DossierContext(ProcedureDefinition definition, IWorkingCalendar calendar, RuleSet? ruleSet = null, int sequence = 1, string? jurisdiction = null)
        : this(definition, calendar, ruleSet, sequence, jurisdiction, new ProcedurePlan(definition ?? throw new ArgumentNullException(nameof(definition))))
    {
    }

    private DossierContext(ProcedureDefinition definition, IWorkingCalendar calendar, RuleSet? ruleSet, int sequence, string? jurisdiction, ProcedurePlan plan)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        Definition = definition;
        Calendar = calendar;
        RuleSet = ruleSet;
        Sequence = sequence;
        Jurisdiction = jurisdiction;
        Plan = plan;
    }

    public ProcedureDefinition Definition { get; }

    public IWorkingCalendar Calendar { get; }

    /// <summary>Forces a rule set for new dossiers (scenario `rules:`); null: the one in force at receipt.</summary>
    public RuleSet? RuleSet { get; }

    /// <summary>Sequence number of the next dossier code for the receiving agency and day (1-based).</summary>
    public int Sequence { get; }

    public string? Jurisdiction { get; }

    internal ProcedurePlan Plan { get; }

    /// <summary>The same context with another code sequence number (cheap: the prepared graph is shared).</summary>
    public DossierContext WithSequence(int sequence) => new(Definition, Calendar, RuleSet, sequence, Jurisdiction, Plan);

    /// <summary>The same context on another calendar (a new calendar version; cheap: the prepared graph is shared).</summary>
    public DossierContext WithCalendar(IWorkingCalendar calendar) => new(Definition, calendar, RuleSet, Sequence, Jurisdiction, Plan);
}

/// <summary>The definition's step graph prepared for fast decisions.</summary>
internal sealed class ProcedurePlan
{
    public ProcedurePlan(ProcedureDefinition definition)
    {
        Steps = [.. definition.Steps];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Steps.Length; i++)
        {
            if (!index.TryAdd(Steps[i].Id, i))
            {
                Error = $"step '{Steps[i].Id}' is declared twice";
            }
        }

        Index = index.ToFrozenDictionary(StringComparer.Ordinal);
        Predecessors = new int[Steps.Length][];
        var successorCount = new int[Steps.Length];
        for (var i = 0; i < Steps.Length; i++)
        {
            var preds = new List<int>();
            foreach (var p in Steps[i].After)
            {
                if (Index.TryGetValue(p, out var j))
                {
                    preds.Add(j);
                    successorCount[j]++;
                }
                else
                {
                    Error ??= $"step '{Steps[i].Id}' follows unknown step '{p}'";
                }
            }

            Predecessors[i] = [.. preds];
        }

        Order = [.. StepOrder.Topological(Predecessors)];
        if (Order.Length != Predecessors.Length)
        {
            Error ??= "the steps contain a cycle";
        }

        var firsts = Enumerable.Range(0, Steps.Length).Where(i => Predecessors[i].Length == 0).ToArray();
        if (firsts.Length != 1)
        {
            Error ??= "the procedure must have exactly one first step";
        }

        First = firsts.Length > 0 ? firsts[0] : -1;
        OneStopAgencies = definition.Agencies.Where(a => a.OneStop).Select(a => a.Id).ToFrozenSet(StringComparer.Ordinal);
        Agencies = definition.Agencies.GroupBy(a => a.Id, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Documents = definition.Documents.GroupBy(d => d.Id, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Inputs = definition.Inputs.GroupBy(d => d.Id, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        // The return step: the single last step, owned by a one-stop agency, not the first step.
        var sinks = Enumerable.Range(0, Steps.Length).Where(i => successorCount[i] == 0).ToArray();
        Return = sinks.Length == 1 && sinks[0] != First && OneStopAgencies.Contains(Steps[sinks[0]].Agency) ? sinks[0] : -1;

        Planned = [.. Steps.Select((s, i) => new PlannedStep(
            s.Id, s.Name, s.Agency, Agencies.TryGetValue(s.Agency, out var a) ? a.Name : s.Agency, s.After) { IsReturn = i == Return })];
    }

    public ImmutableArray<StepDef> Steps { get; }

    public FrozenDictionary<string, int> Index { get; }

    public int[][] Predecessors { get; }

    /// <summary>Step indexes in an order where predecessors come first.</summary>
    public int[] Order { get; }

    public int First { get; }

    /// <summary>Index of the final one-stop return step, or -1.</summary>
    public int Return { get; }

    public FrozenSet<string> OneStopAgencies { get; }

    public FrozenDictionary<string, AgencyDecl> Agencies { get; }

    public FrozenDictionary<string, DocumentDecl> Documents { get; }

    public FrozenDictionary<string, InputDecl> Inputs { get; }

    public ImmutableArray<PlannedStep> Planned { get; }

    /// <summary>Why the graph can't run a dossier (the parser reports these first), or null.</summary>
    public string? Error { get; }

    public string AgencyName(string id) => Agencies.TryGetValue(id, out var a) ? a.Name : id;
}
