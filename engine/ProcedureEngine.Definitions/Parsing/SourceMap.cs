using ProcedureEngine.Definitions.Model;

namespace ProcedureEngine.Definitions.Parsing;

/// <summary>
/// Finds where a value sits in its file, by path (keys and list indexes), for diagnostics raised
/// after parsing. Walks the tree only when asked, so valid files pay nothing for it.
/// </summary>
internal sealed class SourceMap(YNode? root)
{
    public static readonly SourceMap Empty = new(null);

    /// <summary>Location of the value at the path, or of its deepest existing ancestor.</summary>
    public SourceLocation Of(params object[] path)
    {
        var node = root;
        if (node is null)
        {
            return SourceLocation.None;
        }

        foreach (var step in path)
        {
            YNode? next = (node, step) switch
            {
                (YMapping m, string key) => m.Get(key),
                (YSequence s, int i) when i >= 0 && i < s.Items.Count => s.Items[i],
                _ => null,
            };
            if (next is null)
            {
                break;
            }

            node = next;
        }

        return node.Location;
    }

    /// <summary>Location of the key at the end of the path (falls back to the value's location).</summary>
    public SourceLocation KeyOf(params object[] path)
    {
        if (path.Length > 0 && path[^1] is string key && Node(path[..^1]) is YMapping m && m.GetKey(key) is { } k)
        {
            return k.Location;
        }

        return Of(path);
    }

    /// <summary>Index in the YAML list <paramref name="list"/> of the n-th item whose id is <paramref name="id"/>; -1 if none.</summary>
    public int IndexOf(string list, string id, int occurrence = 0)
    {
        if (root is YMapping m && m.Get(list) is YSequence seq)
        {
            for (var i = 0; i < seq.Items.Count; i++)
            {
                if (seq.Items[i] is YMapping item && item.Get("id") is YScalar s && s.Value == id && occurrence-- == 0)
                {
                    return i;
                }
            }
        }

        return -1;
    }

    /// <summary>Location inside the item with the given id of a top-level list (e.g. steps), following the rest of the path.</summary>
    public SourceLocation OfItem(string list, string id, params object[] rest) =>
        Of([list, IndexOf(list, id), .. rest]);

    public bool Has(params object[] path) => Node(path) is not null;

    public bool IsList(params object[] path) => Node(path) is YSequence;

    public bool IsInteger(params object[] path) => Node(path) is YScalar { Kind: ScalarKind.Integer };

    private YNode? Node(object[] path)
    {
        var node = root;
        foreach (var step in path)
        {
            node = (node, step) switch
            {
                (YMapping m, string key) => m.Get(key),
                (YSequence s, int i) when i >= 0 && i < s.Items.Count => s.Items[i],
                _ => null,
            };
        }

        return node;
    }
}
