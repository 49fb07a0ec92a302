using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Grains.Runtime;

internal sealed partial class GrantGrain
{
    public async ValueTask<GrantView> GetAsOfAsync(DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var state = await StateAtAsync(at, cancellationToken).ConfigureAwait(false);
        return GrantViews.ToView(state, state.Find(GrantId)!, at);
    }

    public async ValueTask<TreeResponse> GetTreeAsOfAsync(DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var state = await StateAtAsync(at, cancellationToken).ConfigureAwait(false);
        return GrantViews.ToTree(state, state.Find(GrantId)!, at);
    }

    public async ValueTask<CheckResult> ExplainAsync(string action, string? resource, DateTimeOffset? at, CancellationToken cancellationToken = default)
    {
        CheckRules.Validate(action, resource, 0);
        var when = at ?? context.Time.GetUtcNow();
        var state = at is null
            ? (await ExistingAsync(cancellationToken).ConfigureAwait(false)).Snapshot
            : await StateAtAsync(when, cancellationToken).ConfigureAwait(false);
        var grant = state.Find(GrantId)!;
        var effective = state.EffectiveOf(grant, when);
        if (!effective.IsActive)
        {
            return CheckResult.Deny(GrantId, effective.Reason, effective.DecidedBy);
        }

        if (!grant.Scope.Allows(action, resource))
        {
            return CheckResult.Deny(GrantId, DenyReason.ScopeMismatch);
        }

        return new CheckResult(Decision.Allow, DenyReason.None, GrantId, state.AvailableFor(grant));
    }

    // History comes from the events themselves: fold those appended at or before the instant.
    private async Task<TreeState> StateAtAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!IsWellFormed)
        {
            throw new NotFoundException($"No grant {GrantId}.");
        }

        var events = await context.Directory.Store.ReadTreeAsync(TreeId, 0, cancellationToken).ConfigureAwait(false);
        var state = TreeState.Fold(TreeId, events.TakeWhile(e => e.At <= at));
        return state.Find(GrantId) is null
            ? throw new NotFoundException($"Grant {GrantId} did not exist at {at:O}.")
            : state;
    }
}
