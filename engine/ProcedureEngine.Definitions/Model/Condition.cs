using System.Collections.Immutable;

namespace ProcedureEngine.Definitions.Model;

/// <summary>
/// Declarative condition over declared inputs (the `when` key). Values are kept as the
/// scalar text of the YAML node and compared according to the input's declared type.
/// </summary>
public abstract record Condition
{
    public SourceLocation Location { get; init; }

    /// <summary>Evaluates against the applicant's declared inputs (id -> scalar text).</summary>
    public abstract bool Evaluate(IReadOnlyDictionary<string, string> inputs);

    /// <summary>The conditions this one combines (all, any, not); none for a comparison of an input.</summary>
    public virtual ImmutableArray<Condition> Operands => [];

    /// <summary>The input ids this condition reads: a comparison's own input, or those its operands read.</summary>
    public virtual IEnumerable<string> InputIds() => Operands.SelectMany(c => c.InputIds());
}

public sealed record EqualsCondition(string Input, string Value) : Condition
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> inputs) =>
        inputs.TryGetValue(Input, out var v) && ConditionValues.Same(v, Value);

    public override IEnumerable<string> InputIds() => [Input];
}

public sealed record InCondition(string Input, ImmutableArray<string> Values) : Condition
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> inputs) =>
        inputs.TryGetValue(Input, out var v) && Values.Any(x => ConditionValues.Same(v, x));

    public override IEnumerable<string> InputIds() => [Input];
}

public sealed record GreaterThanCondition(string Input, decimal Value) : Condition
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> inputs) =>
        inputs.TryGetValue(Input, out var v) && ConditionValues.TryNumber(v, out var n) && n > Value;

    public override IEnumerable<string> InputIds() => [Input];
}

public sealed record LessThanCondition(string Input, decimal Value) : Condition
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> inputs) =>
        inputs.TryGetValue(Input, out var v) && ConditionValues.TryNumber(v, out var n) && n < Value;

    public override IEnumerable<string> InputIds() => [Input];
}

public sealed record AllCondition(ImmutableArray<Condition> Items) : Condition
{
    public override ImmutableArray<Condition> Operands => Items;

    public override bool Evaluate(IReadOnlyDictionary<string, string> inputs) => Items.All(c => c.Evaluate(inputs));
}

public sealed record AnyCondition(ImmutableArray<Condition> Items) : Condition
{
    public override ImmutableArray<Condition> Operands => Items;

    public override bool Evaluate(IReadOnlyDictionary<string, string> inputs) => Items.Any(c => c.Evaluate(inputs));
}

public sealed record NotCondition(Condition Inner) : Condition
{
    public override ImmutableArray<Condition> Operands => [Inner];

    public override bool Evaluate(IReadOnlyDictionary<string, string> inputs) => !Inner.Evaluate(inputs);
}

internal static class ConditionValues
{
    public static bool Same(string a, string b) =>
        string.Equals(a, b, StringComparison.Ordinal) ||
        (bool.TryParse(a, out var x) && bool.TryParse(b, out var y) && x == y) ||
        (TryNumber(a, out var m) && TryNumber(b, out var n) && m == n);

    public static bool TryNumber(string s, out decimal n) =>
        decimal.TryParse(s, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out n);
}
