using System.Collections.Frozen;
using System.Collections.Immutable;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;

namespace ProcedureEngine.Definitions.Parsing;

/// <summary>Reads a `when` condition: one of the declarative forms of the format, nothing else.</summary>
internal static class ConditionReader
{
    private const string Forms =
        "{input: ID, equals: V}, {input: ID, in: [..]}, {input: ID, greaterThan: N}, {input: ID, lessThan: N}, {all: [..]}, {any: [..]} or {not: {..}}";

    private static readonly FrozenSet<string> Operators = FrozenSet.ToFrozenSet(["equals", "in", "greaterThan", "lessThan"]);
    private static readonly FrozenSet<string> AllKeys = FrozenSet.ToFrozenSet(["input", "equals", "in", "greaterThan", "lessThan", "all", "any", "not"]);

    public static Condition? Read(NodeReader r, YNode node)
    {
        if (node is not YMapping m)
        {
            r.Bag.Error(node.Location, DiagnosticCodes.MalformedCondition, $"a condition must be a mapping: {Forms}; not {node.Describe()}");
            return null;
        }

        r.OnlyKeys(m, "a condition", AllKeys);
        if (m.Entries.Count == 1 && m.Entries[0].Key.Value is "all" or "any")
        {
            var seq = r.Sequence(m.Entries[0].Value, $"'{m.Entries[0].Key.Value}'");
            if (seq is null)
            {
                return null;
            }

            if (seq.Items.Count == 0)
            {
                r.Bag.Error(seq.Location, DiagnosticCodes.MalformedCondition, $"'{m.Entries[0].Key.Value}' needs at least one condition");
                return null;
            }

            var items = ImmutableArray.CreateBuilder<Condition>(seq.Items.Count);
            var ok = true;
            foreach (var item in seq.Items)
            {
                var c = Read(r, item);
                ok &= c is not null;
                if (c is not null)
                {
                    items.Add(c);
                }
            }

            if (!ok)
            {
                return null;
            }

            return m.Entries[0].Key.Value == "all"
                ? new AllCondition(items.ToImmutable()) { Location = m.Location }
                : new AnyCondition(items.ToImmutable()) { Location = m.Location };
        }

        if (m.Entries.Count == 1 && m.Entries[0].Key.Value == "not")
        {
            var inner = Read(r, m.Entries[0].Value);
            return inner is null ? null : new NotCondition(inner) { Location = m.Location };
        }

        var input = m.Get("input");
        var ops = m.Entries.Where(e => Operators.Contains(e.Key.Value)).ToList();
        if (input is null || ops.Count != 1 || m.Entries.Count != 2)
        {
            if (m.Entries.All(e => AllKeys.Contains(e.Key.Value)))
            {
                r.Bag.Error(m.Location, DiagnosticCodes.MalformedCondition, $"a condition takes exactly one of these forms: {Forms}");
            }

            return null;
        }

        var id = r.Text(input, "input of a condition");
        var op = ops[0];
        switch (op.Key.Value)
        {
            case "equals":
                var v = r.ScalarText(op.Value, "equals");
                return id is null || v is null ? null : new EqualsCondition(id, v) { Location = m.Location };
            case "in":
                var seq = r.Sequence(op.Value, "in");
                if (seq is null || id is null)
                {
                    return null;
                }

                if (seq.Items.Count == 0)
                {
                    r.Bag.Error(seq.Location, DiagnosticCodes.MalformedCondition, "'in' needs at least one value");
                    return null;
                }

                var values = ImmutableArray.CreateBuilder<string>(seq.Items.Count);
                foreach (var item in seq.Items)
                {
                    if (r.ScalarText(item, "each value of 'in'") is { } s)
                    {
                        values.Add(s);
                    }
                }

                return values.Count == seq.Items.Count ? new InCondition(id, values.ToImmutable()) { Location = m.Location } : null;
            case "greaterThan":
                var g = r.Number(op.Value, "greaterThan");
                return id is null || g is null ? null : new GreaterThanCondition(id, g.Value) { Location = m.Location };
            default:
                var l = r.Number(op.Value, "lessThan");
                return id is null || l is null ? null : new LessThanCondition(id, l.Value) { Location = m.Location };
        }
    }
}
