using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Model;

namespace ProcedureEngine.Definitions.Validation;

/// <summary>Analysis of the steps' `after` graph: unknown predecessors, cycles, first step, reachability, longest path.</summary>
internal sealed class StepGraph
{
    private readonly IReadOnlyList<StepDef> steps;
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);

    public StepGraph(IReadOnlyList<StepDef> steps)
    {
        this.steps = steps;
        for (var i = 0; i < steps.Count; i++)
        {
            index.TryAdd(steps[i].Id, i);
        }

        Predecessors = new List<int>[steps.Count];
        Successors = new List<int>[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            Predecessors[i] = [];
            Successors[i] = [];
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var after = steps[i].After;
            for (var j = 0; j < after.Length; j++)
            {
                if (index.TryGetValue(after[j], out var p))
                {
                    if (!Predecessors[i].Contains(p))
                    {
                        Predecessors[i].Add(p);
                        Successors[p].Add(i);
                    }
                }
                else
                {
                    UnknownPredecessors.Add((i, j));
                }
            }
        }

        Cycles = FindCycles();
        InCycle = new bool[steps.Count];
        foreach (var c in Cycles)
        {
            foreach (var i in c)
            {
                InCycle[i] = true;
            }
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].After.Length == 0)
            {
                FirstSteps.Add(i);
            }
        }

        Reachable = new bool[steps.Count];
        if (FirstSteps.Count > 0)
        {
            var stack = new Stack<int>(FirstSteps);
            foreach (var f in FirstSteps)
            {
                Reachable[f] = true;
            }

            while (stack.Count > 0)
            {
                foreach (var s in Successors[stack.Pop()])
                {
                    if (!Reachable[s])
                    {
                        Reachable[s] = true;
                        stack.Push(s);
                    }
                }
            }
        }
    }

    public List<int>[] Predecessors { get; }

    public List<int>[] Successors { get; }

    /// <summary>(step index, position in its after list) of each predecessor id that names no step.</summary>
    public List<(int Step, int Position)> UnknownPredecessors { get; } = [];

    /// <summary>Each strongly connected set of steps that forms a cycle, in list order.</summary>
    public List<List<int>> Cycles { get; }

    public bool[] InCycle { get; }

    public List<int> FirstSteps { get; } = [];

    public bool[] Reachable { get; }

    public bool IsSoundDag => Cycles.Count == 0 && UnknownPredecessors.Count == 0 && FirstSteps.Count == 1;

    /// <summary>
    /// The path whose total time, in the unit of <paramref name="limit"/>, is the longest.
    /// Conditional steps count (a limit must hold whatever the applicant declares).
    /// Requires an acyclic graph.
    /// </summary>
    public (List<int> Path, Measure Measure, bool Approximate) LongestPath(Duration limit)
    {
        // Pareto front of (calendar days, working hours) per step: the conversion of working time to
        // calendar days is not linear, so one number per step is not enough when units are mixed.
        var fronts = new List<Budget>[steps.Count];
        foreach (var i in StepOrder.Topological(Predecessors))
        {
            var d = steps[i].Duration;
            var own = d.Unit == DurationUnit.CalendarDays ? new Budget(d.Halves / 2, 0, null, i) : new Budget(0, TimeBudget.WorkingHours(d), null, i);
            var front = new List<Budget>();
            if (Predecessors[i].Count == 0)
            {
                front.Add(own);
            }

            foreach (var p in Predecessors[i])
            {
                foreach (var b in fronts[p])
                {
                    AddPareto(front, new Budget(b.CalendarDays + own.CalendarDays, b.WorkingHours + own.WorkingHours, b, i));
                }
            }

            fronts[i] = front;
        }

        Budget? best = null;
        Measure? bestMeasure = null;
        var approximate = false;
        for (var i = 0; i < steps.Count; i++)
        {
            if (Successors[i].Count != 0 || fronts[i] is null)
            {
                continue;
            }

            foreach (var b in fronts[i])
            {
                var m = TimeBudget.Against(limit, b.CalendarDays, b.WorkingHours);
                approximate |= m.Approximate;
                if (bestMeasure is null || m.Margin < bestMeasure.Margin || (m.Margin == bestMeasure.Margin && m.Total > bestMeasure.Total))
                {
                    bestMeasure = m;
                    best = b;
                }
            }
        }

        var path = new List<int>();
        for (var b = best; b is not null; b = b.Previous)
        {
            path.Add(b.Step);
        }

        path.Reverse();
        return (path, bestMeasure ?? new Measure(0, limit.Amount, false, null), approximate);
    }

    private static void AddPareto(List<Budget> front, Budget candidate)
    {
        foreach (var b in front)
        {
            if (b.CalendarDays >= candidate.CalendarDays && b.WorkingHours >= candidate.WorkingHours)
            {
                return;
            }
        }

        front.RemoveAll(b => candidate.CalendarDays >= b.CalendarDays && candidate.WorkingHours >= b.WorkingHours);
        front.Add(candidate);
    }

    /// <summary>Tarjan's strongly connected components (iterative), keeping those that are cycles.</summary>
    private List<List<int>> FindCycles()
    {
        var n = steps.Count;
        var result = new List<List<int>>();
        var indexOf = new int[n];
        var low = new int[n];
        var onStack = new bool[n];
        Array.Fill(indexOf, -1);
        var stack = new Stack<int>();
        var counter = 0;
        var work = new Stack<(int Node, int Edge)>();
        for (var start = 0; start < n; start++)
        {
            if (indexOf[start] >= 0)
            {
                continue;
            }

            work.Push((start, 0));
            while (work.Count > 0)
            {
                var (v, e) = work.Pop();
                if (e == 0)
                {
                    indexOf[v] = low[v] = counter++;
                    stack.Push(v);
                    onStack[v] = true;
                }

                var succ = Successors[v];
                if (e < succ.Count)
                {
                    work.Push((v, e + 1));
                    var w = succ[e];
                    if (indexOf[w] < 0)
                    {
                        work.Push((w, 0));
                    }
                    else if (onStack[w])
                    {
                        low[v] = Math.Min(low[v], indexOf[w]);
                    }

                    continue;
                }

                if (low[v] == indexOf[v])
                {
                    var component = new List<int>();
                    int w;
                    do
                    {
                        w = stack.Pop();
                        onStack[w] = false;
                        component.Add(w);
                    }
                    while (w != v);

                    if (component.Count > 1 || Successors[v].Contains(v))
                    {
                        component.Sort();
                        result.Add(component);
                    }
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[v]);
                }
            }
        }

        result.Sort((a, b) => a[0].CompareTo(b[0]));
        return result;
    }

    private sealed record Budget(int CalendarDays, decimal WorkingHours, Budget? Previous, int Step);
}
