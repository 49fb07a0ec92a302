using Delegation.Scopes;
using FsCheck;
using FsCheck.Fluent;

namespace Delegation.Tests.Scopes;

/// <summary>Two scopes: a would-be parent and a would-be child.</summary>
public sealed record ScopePair(Scope Parent, Scope Child)
{
    public override string ToString() => $"parent [{Parent}] child [{Child}]";
}

/// <summary>Three scopes, each derived from the one before.</summary>
public sealed record ScopeChain(Scope First, Scope Second, Scope Third)
{
    public override string ToString() => $"[{First}] > [{Second}] > [{Third}]";
}

/// <summary>A concrete request.</summary>
public sealed record Request(string Action, string Resource)
{
    public override string ToString() => $"{Action} on '{Resource}'";
}

/// <summary>
/// Random patterns over a small alphabet, so that random parents and children overlap often. Children
/// are mostly narrowings of the parent's permissions and parents are sometimes split into unions that
/// cover only together, or lose a permission, so that both outcomes of coverage are common.
/// </summary>
public static class ScopeGenerators
{
    private static readonly string[] ActionLiterals = ["a", "b"];
    private static readonly string?[] ResourcePositions = ["a", "b", "c", null];
    private static readonly string[] RequestSegments = ["a", "b", "c", "zz"];

    public static Arbitrary<ScopePair> ScopePairs() => Arb.From(Pairs);

    public static Arbitrary<ScopeChain> ScopeChains() => Arb.From(Chains);

    public static Arbitrary<Scope> Scopes() => Arb.From(ModelLists(1, 4).Select(ToScope));

    public static Arbitrary<Request> ConcreteRequests() => Arb.From(Requests);

    /// <summary>A parent and a child, related often enough that both outcomes of coverage are common.</summary>
    public static Gen<ScopePair> Pairs =>
        from parentModels in ModelLists(1, 3)
        from childModels in Derived(parentModels)
        from splitParent in Reshaped(parentModels)
        select new ScopePair(ToScope(splitParent), ToScope(childModels));

    private static Gen<PatternModel> Patterns =>
        from actionLength in Gen.Choose(0, 2)
        from actionLiterals in Gen.ArrayOf(Gen.Elements(ActionLiterals), actionLength)
        from actionOpen in actionLength == 0 ? Gen.Constant(true) : Gen.Elements(true, false)
        from resourceLength in Gen.Choose(0, 3)
        from positions in Gen.ArrayOf(Gen.Elements(ResourcePositions), resourceLength)
        from resourceOpen in resourceLength == 0 ? Gen.Constant(true) : Gen.Elements(true, false)
        select new PatternModel(actionLiterals, actionOpen, positions, resourceOpen);

    private static Gen<ScopeChain> Chains =>
        from first in ModelLists(1, 3)
        from second in Derived(first)
        from third in Derived(second)
        select new ScopeChain(ToScope(first), ToScope(second), ToScope(third));

    private static Gen<Request> Requests =>
        from actionLength in Gen.Choose(1, 4)
        from action in Gen.ArrayOf(Gen.Elements(RequestSegments), actionLength)
        from resourceLength in Gen.Choose(0, 5)
        from resource in Gen.ArrayOf(Gen.Elements(RequestSegments), resourceLength)
        select new Request(string.Join(':', action), string.Join('/', resource));

    private static Gen<PatternModel[]> ModelLists(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Patterns, n));

    /// <summary>Mostly narrowings of the given permissions, sometimes an unrelated one.</summary>
    private static Gen<PatternModel[]> Derived(PatternModel[] from) =>
        Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(
            Gen.Frequency((5, Gen.Elements(from).SelectMany(Narrowed)), (1, Patterns)),
            n));

    /// <summary>
    /// Each permission kept, dropped, or split into pieces whose union is the same, some of which may then
    /// be narrowed or go missing; plus maybe an unrelated permission.
    /// </summary>
    private static Gen<PatternModel[]> Reshaped(PatternModel[] models) =>
        from pieces in Gen.CollectToArray(models, m => Gen.Frequency(
            (3, Gen.Constant(new[] { m })),
            (4, Gen.Choose(1, 3).SelectMany(k => Sometimes(Split(m, k)))),
            (1, Gen.Constant(Array.Empty<PatternModel>()))))
        from extra in Gen.Frequency((3, Gen.Constant(Array.Empty<PatternModel>())), (1, Gen.ArrayOf(Patterns, 1)))
        from fallback in Patterns
        let all = pieces.SelectMany(p => p).Concat(extra).ToArray()
        select all.Length == 0 ? [fallback] : all;

    /// <summary>Each piece kept, narrowed or dropped.</summary>
    private static Gen<PatternModel[]> Sometimes(PatternModel[] pieces) =>
        Gen.CollectToArray(pieces, p => Gen.Frequency(
                (8, Gen.Constant<PatternModel?>(p)),
                (1, Narrowed(p).Select(n => (PatternModel?)n)),
                (1, Gen.Constant<PatternModel?>(null))))
            .Select(kept => kept.OfType<PatternModel>().ToArray());

    private static Gen<PatternModel> Narrowed(PatternModel model) =>
        from action in NarrowedAction(model)
        from positions in Gen.CollectToArray(model.ResourcePositions, p => p is null ? Gen.Elements(ResourcePositions) : Gen.Constant<string?>(p))
        from tail in model.ResourceOpen ? NarrowedTail() : Gen.Constant((Extra: Array.Empty<string?>(), Open: false))
        let all = positions.Concat(tail.Extra).ToArray()
        select action with { ResourcePositions = all, ResourceOpen = tail.Open || all.Length == 0 };

    private static Gen<PatternModel> NarrowedAction(PatternModel model) =>
        !model.ActionOpen
            ? Gen.Constant(model)
            : from keep in Gen.Frequency((2, Gen.Constant(true)), (1, Gen.Constant(false)))
              from literal in Gen.Elements(ActionLiterals)
              from open in Gen.Elements(true, false)
              select keep ? model : model with { ActionLiterals = [.. model.ActionLiterals, literal], ActionOpen = open };

    /// <summary>What a '**' may become: itself, nothing, or one more position followed by '**' or not.</summary>
    private static Gen<(string?[] Extra, bool Open)> NarrowedTail() =>
        Gen.Frequency(
            (3, Gen.Constant((Array.Empty<string?>(), true))),
            (1, Gen.Constant((Array.Empty<string?>(), false))),
            (2, from p in Gen.Elements(ResourcePositions) from open in Gen.Elements(true, false) select (new[] { p }, open)));

    /// <summary>
    /// 'R/**' is the union of 'R', 'R/*', ... 'R/*^(k-1)' and 'R/*^k/**'. A lone '**' has no 'R' (the empty
    /// path alone is not a pattern) and is left whole, as is a pattern without '**'.
    /// </summary>
    private static PatternModel[] Split(PatternModel model, int k) =>
        model.ResourceOpen && model.ResourcePositions.Length > 0
            ? [
                .. Enumerable.Range(0, k).Select(i => model with
                {
                    ResourcePositions = [.. model.ResourcePositions, .. new string?[i]],
                    ResourceOpen = false,
                }),
                model with { ResourcePositions = [.. model.ResourcePositions, .. new string?[k]] },
            ]
            : [model];

    private static Scope ToScope(IEnumerable<PatternModel> models) => Scope.Parse(models.Select(m => m.Render()));
}
