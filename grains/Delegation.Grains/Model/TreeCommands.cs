using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grants;

namespace Delegation.Grains.Model;

/// <summary>
/// Commands decide, against a tree's current state, which events to append; they never change state themselves.
/// A command that finds nothing to do returns no events (revoking a revoked grant is not an error).
/// </summary>
public static partial class TreeCommands
{
    /// <summary>Validates a root grant request and returns its creation event.</summary>
    public static GrantCreated CreateRoot(CreateGrantRequest request, string grantId, string tokenHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = RequestRules.NewName(request.User, "user");
        var agent = RequestRules.NewName(request.Agent, "agent");
        var scope = RequestRules.MarkedScope(request.Scope, out var approval);
        var budget = RequestRules.Budget(request.Budget);
        var expiresAt = RequestRules.Expiry(request.ExpiresAt, request.TtlSeconds, now);
        var maxDepth = RequestRules.MaxDepth(request.MaxDepth, ModelLimits.DefaultMaxDepth);
        var purpose = RequestRules.Text(request.Purpose, "purpose");
        var rate = RequestRules.Rate(request.Rate);
        return new GrantCreated(new GrantRecord(
            grantId, null, grantId, 0, user, agent, scope.ToStrings(), budget, expiresAt, maxDepth, purpose, now, tokenHash, rate, approval?.ToStrings()));
    }

    /// <summary>
    /// Validates a delegation against its parent: the request's shape first (400), then the parent's existence
    /// (404) and every attenuation rule (422), never clamping silently.
    /// </summary>
    public static GrantDelegated Delegate(TreeState state, string parentId, DelegateRequest request, string grantId, string tokenHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agent = RequestRules.NewName(request.Agent, "agent");
        var scope = RequestRules.MarkedScope(request.Scope, out var approval);
        var budget = RequestRules.Budget(request.Budget);
        var expiresAt = RequestRules.Expiry(request.ExpiresAt, request.TtlSeconds, now);
        var purpose = RequestRules.Text(request.Purpose, "purpose");
        var rate = RequestRules.Rate(request.Rate);
        var parent = FindGrant(state, parentId);
        var maxDepth = RequestRules.MaxDepth(request.MaxDepth, parent.Record.MaxDepth);

        var effective = state.EffectiveOf(parent, now);
        if (!effective.IsActive)
        {
            throw new AttenuationException(ErrorCodes.ParentNotActive, effective.DecidedBy == parent.Id
                ? $"Parent grant {parent.Id} is {Describe(effective.Status)}."
                : $"Parent grant {parent.Id} is not active: its ancestor {effective.DecidedBy} is {Describe(effective.Status)}.");
        }

        if (!parent.Scope.Covers(scope))
        {
            var uncovered = scope.Permissions.First(p => !parent.Scope.Covers(Scopes.Scope.Parse([p.ToString()])));
            throw new AttenuationException(ErrorCodes.ScopeNotCovered,
                $"Permission '{uncovered}' is not covered by the parent's scope [{string.Join(", ", parent.Record.Scope)}].");
        }

        if (state.AvailableFor(parent) is { } available && (budget is null || budget > available))
        {
            throw new AttenuationException(ErrorCodes.BudgetExceedsParent, budget is null
                ? $"The parent has {available} units remaining; a delegation under it needs a budget of at most {available}."
                : $"Budget {budget} exceeds the parent's remaining {available}.");
        }

        if (expiresAt > parent.Record.ExpiresAt)
        {
            throw new AttenuationException(ErrorCodes.ExpiryExceedsParent,
                $"Expiry {expiresAt:O} is after the parent's {parent.Record.ExpiresAt:O}.");
        }

        CheckRate(state, parent, rate);

        var depth = parent.Record.Depth + 1;
        if (depth > parent.Record.MaxDepth)
        {
            throw new AttenuationException(ErrorCodes.DepthExceeded,
                $"A delegation of {parent.Id} would be at depth {depth}, beyond the parent's maxDepth {parent.Record.MaxDepth}.");
        }

        if (maxDepth > parent.Record.MaxDepth)
        {
            throw new AttenuationException(ErrorCodes.DepthExceeded,
                $"'maxDepth' {maxDepth} exceeds the parent's {parent.Record.MaxDepth}.");
        }

        if (state.Grants.Count >= ModelLimits.MaxGrantsPerTree)
        {
            throw new ConflictException($"Tree {state.TreeId} already holds {ModelLimits.MaxGrantsPerTree} grants.");
        }

        var like = state.LikeOf(parent, scope.ToStrings(), agent);
        return new GrantDelegated(new GrantRecord(
            grantId, parent.Id, parent.Record.RootId, depth, parent.Record.User, like.Agent, like.Scope,
            budget, expiresAt, maxDepth, purpose, now, tokenHash, rate, approval?.ToStrings()));
    }

    // A child's rate may not exceed the nearest ancestor's rate that counts the same thing (that one was itself checked
    // against its own ancestors, so the nearest is enough). A child with no rate of its own still counts against theirs.
    private static void CheckRate(TreeState state, GrantNode parent, RateLimit? rate)
    {
        if (rate is null)
        {
            return;
        }

        for (var node = parent; node is not null; node = node.Record.ParentId is { } p ? state.Find(p) : null)
        {
            if (node.Record.Rate is not { } limit || limit.Per != rate.Per)
            {
                continue;
            }

            if (!rate.IsNoFasterThan(limit) || rate.Capacity > limit.Capacity)
            {
                throw new AttenuationException(ErrorCodes.RateExceedsParent, node.Id == parent.Id
                    ? $"Rate {rate} exceeds the parent's {limit}."
                    : $"Rate {rate} exceeds ancestor {node.Id}'s {limit}.");
            }

            return;
        }
    }

    internal static GrantNode FindGrant(TreeState state, string grantId) =>
        state.Find(grantId) ?? throw new NotFoundException($"No grant {grantId}.");

    internal static string Describe(GrantStatus status) => status switch
    {
        GrantStatus.Active => "active",
        GrantStatus.Suspended => "suspended",
        GrantStatus.Revoked => "revoked",
        _ => "expired",
    };
}
