using Delegation.Grants;
using Delegation.Scopes;

namespace Delegation.Grains.Model;

/// <summary>
/// A grant inside a tree's immutable state: its fixed definition, its compiled scope, and what events have done
/// to it. <see cref="Spent"/> and <see cref="Reserved"/> count this grant and all its descendants.
/// </summary>
public sealed record GrantNode(GrantRecord Record, Scope Scope, GrantStatus Status, long Spent, long Reserved)
{
    /// <summary>The grant id.</summary>
    public string Id => Record.Id;

    /// <summary>Units still available at this grant alone, or null when it has no limit of its own.</summary>
    public long? OwnAvailable => Record.Budget is { } limit ? limit - Spent - Reserved : null;
}
