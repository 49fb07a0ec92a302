using Delegation.Events;

namespace Delegation.Grains.Trees;

/// <summary>A command's decision inside a turn: the events to append (possibly none) and a result for the caller.</summary>
public readonly record struct TurnDecision<T>(IReadOnlyList<TreeEvent> Events, T Value)
{
    /// <summary>A decision that appends nothing.</summary>
    public static TurnDecision<T> Nothing(T value) => new([], value);
}
