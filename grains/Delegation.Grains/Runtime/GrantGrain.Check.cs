using Delegation.Grants;

namespace Delegation.Grains.Runtime;

internal sealed partial class GrantGrain
{
    public async ValueTask<CheckResult> CheckAsync(string action, string? resource, long cost, string? tokenSecret, CancellationToken cancellationToken = default)
    {
        CheckRules.Validate(action, resource, cost);
        if (!IsWellFormed)
        {
            return CheckResult.Deny(GrantId, tokenSecret is null ? DenyReason.UnknownGrant : DenyReason.InvalidToken);
        }

        var activation = await context.Directory.GetExistingAsync(TreeId, cancellationToken).ConfigureAwait(false);
        var state = activation?.Snapshot;
        if (state?.Find(GrantId) is not { } grant)
        {
            return CheckResult.Deny(GrantId, tokenSecret is null ? DenyReason.UnknownGrant : DenyReason.InvalidToken);
        }

        if (tokenSecret is not null && !GrantToken.Verify(tokenSecret, grant.Record.TokenHash))
        {
            return CheckResult.Deny(GrantId, DenyReason.InvalidToken);
        }

        var now = context.Time.GetUtcNow();
        var effective = state.EffectiveOf(grant, now);
        if (!effective.IsActive)
        {
            return CheckResult.Deny(GrantId, effective.Reason, effective.DecidedBy);
        }

        if (!grant.Scope.Allows(action, resource))
        {
            return CheckResult.Deny(GrantId, DenyReason.ScopeMismatch);
        }

        var available = state.AvailableFor(grant);
        if (available is null)
        {
            return new CheckResult(Decision.Allow, DenyReason.None, GrantId);
        }

        if (cost == 0)
        {
            return new CheckResult(Decision.Allow, DenyReason.None, GrantId, available);
        }

        var spent = await context.Bank.SpendAsync(activation!, state, grant, cost, now, cancellationToken).ConfigureAwait(false);
        return spent.Spent
            ? new CheckResult(Decision.Allow, DenyReason.None, GrantId, spent.Remaining)
            : CheckResult.Deny(GrantId, DenyReason.BudgetExhausted);
    }
}
