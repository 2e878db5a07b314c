namespace ProcedureEngine.Definitions.Model;

/// <summary>The order in which a procedure's steps can run, from each step's predecessors.</summary>
public static class StepOrder
{
    /// <summary>
    /// Steps 0..n-1 in topological order (Kahn): first those that wait for none, by index, then each step once its
    /// last predecessor is placed. Steps on or behind a cycle are left out, so the order is shorter than
    /// <paramref name="predecessors"/> exactly when the steps contain a cycle.
    /// </summary>
    public static List<int> Topological(IReadOnlyList<IReadOnlyList<int>> predecessors)
    {
        ArgumentNullException.ThrowIfNull(predecessors);
        var n = predecessors.Count;
        var indegree = new int[n];
        var successors = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            successors[i] = [];
        }

        for (var i = 0; i < n; i++)
        {
            foreach (var p in predecessors[i])
            {
                indegree[i]++;
                successors[p].Add(i);
            }
        }

        var order = new List<int>(n);
        var ready = new Queue<int>(Enumerable.Range(0, n).Where(i => indegree[i] == 0));
        while (ready.Count > 0)
        {
            var i = ready.Dequeue();
            order.Add(i);
            foreach (var s in successors[i])
            {
                if (--indegree[s] == 0)
                {
                    ready.Enqueue(s);
                }
            }
        }

        return order;
    }
}
