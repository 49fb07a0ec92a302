using Delegation.Grains.Audit;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Grains.Runtime;

internal sealed partial class GrantGrain
{
    public async ValueTask<CheckResult> CheckAsync(string action, string? resource, long cost, string? tokenSecret, CancellationToken cancellationToken = default)
    {
        CheckRules.Validate(action, resource, cost);
        var started = context.Time.GetTimestamp();
        var (result, state) = await DecideAsync(action, resource, cost, tokenSecret, cancellationToken).ConfigureAwait(false);
        context.Metrics?.Check(result.Decision, result.Reason, context.Time.GetElapsedTime(started));
        if (context.Decisions is { } recorder && recorder.ShouldRecord(result.Decision))
        {
            recorder.Record(DecisionRecords.From(
                result, state, action, resource, cost, context.Holder, context.Time.GetUtcNow(), context.Time.GetElapsedTime(started)));
        }

        return result;
    }

    private async ValueTask<(CheckResult Result, TreeState? State)> DecideAsync(string action, string? resource, long cost, string? tokenSecret, CancellationToken cancellationToken)
    {
        if (!IsWellFormed)
        {
            return (CheckResult.Deny(GrantId, tokenSecret is null ? DenyReason.UnknownGrant : DenyReason.InvalidToken), null);
        }

        var activation = await context.Directory.GetExistingAsync(TreeId, cancellationToken).ConfigureAwait(false);
        var state = activation?.Snapshot;
        if (state?.Find(GrantId) is not { } grant)
        {
            return (CheckResult.Deny(GrantId, tokenSecret is null ? DenyReason.UnknownGrant : DenyReason.InvalidToken), null);
        }

        if (tokenSecret is not null && !GrantToken.Verify(tokenSecret, grant.Record.TokenHash))
        {
            return (CheckResult.Deny(GrantId, DenyReason.InvalidToken), null);
        }

        var now = context.Time.GetUtcNow();
        var effective = state.EffectiveOf(grant, now);
        if (!effective.IsActive)
        {
            return (CheckResult.Deny(GrantId, effective.Reason, effective.DecidedBy), state);
        }

        if (!grant.Scope.Allows(action, resource))
        {
            return (CheckResult.Deny(GrantId, DenyReason.ScopeMismatch), state);
        }

        var available = state.AvailableFor(grant);
        if (available is null)
        {
            return (new CheckResult(Decision.Allow, DenyReason.None, GrantId), state);
        }

        if (cost == 0)
        {
            return (new CheckResult(Decision.Allow, DenyReason.None, GrantId, available), state);
        }

        var spent = await context.Bank.SpendAsync(activation!, state, grant, cost, now, cancellationToken).ConfigureAwait(false);
        return (spent.Spent
            ? new CheckResult(Decision.Allow, DenyReason.None, GrantId, spent.Remaining)
            : CheckResult.Deny(GrantId, DenyReason.BudgetExhausted), state);
    }
}
