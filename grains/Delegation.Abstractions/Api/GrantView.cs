using Delegation.Grants;
using Orleans;

namespace Delegation.Api;

/// <summary>A grant as the API shows it.</summary>
/// <param name="Id">The grant id.</param>
/// <param name="ParentId">The parent grant, null for a root grant.</param>
/// <param name="RootId">The root grant (tree) id.</param>
/// <param name="Depth">0 for a root grant.</param>
/// <param name="User">The person on whose behalf.</param>
/// <param name="Agent">The holder.</param>
/// <param name="Scope">The permissions.</param>
/// <param name="Budget">The grant's own budget, or null when it has no limit of its own.</param>
/// <param name="ExpiresAt">Expiry.</param>
/// <param name="MaxDepth">Greatest depth of any descendant.</param>
/// <param name="Purpose">Free text.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="Status">The grant's own status.</param>
/// <param name="EffectiveStatus">The status after looking at every ancestor and the clock.</param>
/// <param name="EffectiveReason">Why the effective status is not active (a deny reason), or null.</param>
/// <param name="DecidedBy">The grant (itself or an ancestor) that makes it not active, or null.</param>
/// <param name="TreeVersion">The tree's version this view was read at.</param>
/// <param name="Rate">The grant's own rate limit, or null.</param>
/// <param name="RequiresApproval">The grant's own permissions that need approval per request, or null.</param>
/// <param name="StatusReason">
/// The reason given when the grant's own status was set (suspended or revoked), or null; a suspension by an anomaly
/// rule reads <c>anomaly:&lt;rule&gt;</c>.
/// </param>
[GenerateSerializer, Immutable, Alias("delegation.GrantView")]
public sealed record GrantView(
    string Id,
    string? ParentId,
    string RootId,
    int Depth,
    string User,
    string Agent,
    IReadOnlyList<string> Scope,
    BudgetView? Budget,
    DateTimeOffset ExpiresAt,
    int MaxDepth,
    string? Purpose,
    DateTimeOffset CreatedAt,
    GrantStatus Status,
    GrantStatus EffectiveStatus,
    DenyReason? EffectiveReason,
    string? DecidedBy,
    long TreeVersion,
    RateLimit? Rate = null,
    IReadOnlyList<string>? RequiresApproval = null,
    string? StatusReason = null);
