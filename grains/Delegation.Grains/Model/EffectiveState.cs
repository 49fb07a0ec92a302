using Delegation.Grants;

namespace Delegation.Grains.Model;

/// <summary>
/// A grant's status after looking at itself, every ancestor and the clock. <see cref="Reason"/> is
/// <see cref="DenyReason.None"/> when active; <see cref="DecidedBy"/> names the grant that decided otherwise.
/// </summary>
public readonly record struct EffectiveState(GrantStatus Status, DenyReason Reason, string? DecidedBy)
{
    /// <summary>The state of an effectively active grant.</summary>
    public static EffectiveState Active => new(GrantStatus.Active, DenyReason.None, null);

    /// <summary>True when nothing in the chain stops the grant.</summary>
    public bool IsActive => Status == GrantStatus.Active;
}
