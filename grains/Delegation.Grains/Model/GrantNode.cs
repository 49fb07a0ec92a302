using Delegation.Grants;
using Delegation.Scopes;

namespace Delegation.Grains.Model;

/// <summary>
/// A grant inside a tree's immutable state: its fixed definition, its compiled scope, and what events have done
/// to it. <see cref="Spent"/> and <see cref="Reserved"/> count this grant and all its descendants.
/// </summary>
public sealed record GrantNode(GrantRecord Record, Scope Scope, GrantStatus Status, long Spent, long Reserved)
{
    /// <summary>
    /// This grant and every descendant reached from it through grants whose recorded status is active (1 for a new
    /// grant): how many grants a change of this grant's own status affects, kept as events fold so that a revocation
    /// reports its count without walking its subtree. Exact while no grant of the tree has passed its expiry
    /// unrecorded (<see cref="TreeState.NoGrantDueBy"/>).
    /// </summary>
    public int Reach { get; init; } = 1;

    /// <summary>
    /// The reason given with the event that set <see cref="Status"/> (a suspension's <c>anomaly:deny_ratio</c>, say),
    /// or null: none was given, or the grant is active.
    /// </summary>
    public string? StatusReason { get; init; }

    /// <summary>The compiled permissions that need approval per request, or null.</summary>
    public Scope? Approval { get; init; }

    /// <summary>The grant id.</summary>
    public string Id => Record.Id;

    /// <summary>Units still available at this grant alone, or null when it has no limit of its own.</summary>
    public long? OwnAvailable => Record.Budget is { } limit ? limit - Spent - Reserved : null;
}
