using Delegation.Api;
using Delegation.Grains.Anomaly;
using Delegation.Grains.Audit;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Grains.Trees;

/// <summary>
/// Decides checks for a tree grain from its published snapshot: token, effective status along the chain, scope,
/// rate, then budget. A cost is spent from the tree's lease in memory; only a lease running short costs a turn (a call
/// the grain makes to itself, so the renewal's append is serialized with every other write). Every decision, and every
/// one an enforcer reports, passes the anomaly rules; one that fires suspends the grant in a turn of its own, never
/// holding up the check.
/// </summary>
internal sealed class TreeChecks(TreeLog log, TreeLeases leases, TreeRates rates, TreeAnomalies? anomalies, TreeServices services, ITreeGrain self)
{
    private volatile bool _serving;
    private long _lastGrainCheck;

    /// <summary>When (<see cref="Environment.TickCount64"/>) the grain last decided a check delivered by Orleans.</summary>
    public long LastGrainCheck => Volatile.Read(ref _lastGrainCheck);

    /// <summary>The activation is registered in <see cref="LocalTrees"/>: checks may be decided here.</summary>
    public void Serve() => _serving = true;

    /// <summary>The activation is deactivating: no more checks are decided outside the grain.</summary>
    public void StopServing() => _serving = false;

    /// <summary>A check Orleans delivered to the grain (which also keeps the activation from being collected as idle).</summary>
    public ValueTask<CheckResult> CheckInGrainAsync(string grantId, string action, string? resource, long cost, string? tokenSecret, string? approvalId)
    {
        Volatile.Write(ref _lastGrainCheck, Environment.TickCount64);
        return CheckAsync(grantId, action, resource, cost, tokenSecret, approvalId);
    }

    /// <summary>
    /// Decides a check on the caller's thread when it only reads the published snapshot and the activation still
    /// serves (see <see cref="LocalTrees"/>); false, having changed nothing, when the grain must decide it.
    /// Recorded and observed like any check.
    /// </summary>
    public bool TryCheckHere(string grantId, string action, string? resource, long cost, string? tokenSecret, out CheckResult result)
    {
        result = default;
        CheckRules.Validate(action, resource, cost);
        var started = services.Time.GetTimestamp();
        var state = log.State;
        if (!state.Exists)
        {
            return false;
        }

        var now = services.Time.GetUtcNow();
        var decided = Screen(state, grantId, action, resource, tokenSecret, now, out var grant, out var recordDue);
        if (decided is null)
        {
            // Allowed so far: only a request without approval marks, rate or spend is decided outside the grain.
            var available = state.AvailableFor(grant!);
            if (state.NeedsApproval(grant!, action, resource) || TreeRates.IsRated(state, grant!) || (cost != 0 && available is not null))
            {
                return false;
            }

            decided = new CheckResult(Decision.Allow, DenyReason.None, grantId, available);
        }

        // Read after the state: still serving then means no other activation had written yet (see LocalTrees).
        if (!_serving)
        {
            return false;
        }

        if (recordDue)
        {
            _ = RecordDueAsync();
        }

        result = Finish(decided.Value, state, action, resource, cost, started);
        return true;
    }

    /// <summary>Decides a check, records the decision and counts it.</summary>
    public ValueTask<CheckResult> CheckAsync(string grantId, string action, string? resource, long cost, string? tokenSecret, string? approvalId)
    {
        CheckRules.Validate(action, resource, cost);
        var started = services.Time.GetTimestamp();
        var state = log.State;
        var decided = Decide(state, grantId, action, resource, cost, tokenSecret, out var spendFrom, out var needsApproval);
        if (needsApproval)
        {
            return ApprovalAsync(grantId, action, resource, cost, approvalId, started);
        }

        if (spendFrom is null)
        {
            return ValueTask.FromResult(Finish(decided, state, action, resource, cost, started));
        }

        return SpendAsync(spendFrom, state, action, resource, cost, started);
    }

    /// <summary>What a check would answer on <paramref name="state"/> at <paramref name="at"/>, without spending.</summary>
    public static CheckResult Explain(TreeState state, string grantId, string action, string? resource, DateTimeOffset at)
    {
        var grant = state.Find(grantId)!;
        var effective = state.EffectiveOf(grant, at);
        if (!effective.IsActive)
        {
            return CheckResult.Deny(grantId, effective.Reason, effective.DecidedBy);
        }

        return grant.Scope.Allows(action, resource)
            ? new CheckResult(Decision.Allow, DenyReason.None, grantId, state.AvailableFor(grant))
            : CheckResult.Deny(grantId, DenyReason.ScopeMismatch);
    }

    // Decides everything but a spend that the held lease cannot cover: then spendFrom is the grant to renew for.
    private CheckResult Decide(
        TreeState state, string grantId, string action, string? resource, long cost, string? tokenSecret, out GrantNode? spendFrom, out bool needsApproval)
    {
        spendFrom = null;
        needsApproval = false;
        var now = services.Time.GetUtcNow();
        if (Screen(state, grantId, action, resource, tokenSecret, now, out var grant, out var recordDue) is { } denied)
        {
            if (recordDue)
            {
                _ = RecordDueAsync();
            }

            return denied;
        }

        if (state.NeedsApproval(grant!, action, resource))
        {
            needsApproval = true;
            return default;
        }

        return Limit(state, grant!, cost, now, out spendFrom);
    }

    // The part of a decision that only reads the snapshot: the grant, its token, its effective status along the chain
    // and its scope. A deny, or null when the request passes them (then grant is the grant).
    private static CheckResult? Screen(
        TreeState state, string grantId, string action, string? resource, string? tokenSecret, DateTimeOffset now, out GrantNode? grant, out bool recordDue)
    {
        recordDue = false;
        grant = state.Find(grantId);
        if (grant is null)
        {
            return CheckResult.Deny(grantId, tokenSecret is null ? DenyReason.UnknownGrant : DenyReason.InvalidToken);
        }

        if (tokenSecret is not null && !GrantToken.Verify(tokenSecret, grant.Record.TokenHash))
        {
            return CheckResult.Deny(grantId, DenyReason.InvalidToken);
        }

        var effective = state.EffectiveOf(grant, now);
        if (!effective.IsActive)
        {
            // Denied by the clock before the tree's timer recorded the expiry: the caller records it (a serialized
            // turn), so the feed and the dashboard learn of it even if the timer's tick was lost.
            recordDue = effective.Reason is DenyReason.Expired or DenyReason.AncestorExpired
                && effective.DecidedBy is { } decidedBy && state.Find(decidedBy)?.Status == GrantStatus.Active;
            return CheckResult.Deny(grantId, effective.Reason, effective.DecidedBy);
        }

        return grant.Scope.Allows(action, resource) ? null : CheckResult.Deny(grantId, DenyReason.ScopeMismatch);
    }

    // Rate, then budget: what a request the chain allows must still pass.
    private CheckResult Limit(TreeState state, GrantNode grant, long cost, DateTimeOffset now, out GrantNode? spendFrom)
    {
        spendFrom = null;
        var grantId = grant.Id;
        if (!rates.TryTake(state, grant, cost, now, out var limitedBy, out var retryAfter))
        {
            return CheckResult.RateLimited(grantId, limitedBy, retryAfter);
        }

        var available = state.AvailableFor(grant);
        if (available is null || cost == 0)
        {
            return new CheckResult(Decision.Allow, DenyReason.None, grantId, available);
        }

        if (leases.TrySpend(state, grant, cost, now, out var spent))
        {
            return new CheckResult(Decision.Allow, DenyReason.None, grantId, spent.Remaining);
        }

        spendFrom = grant;
        return default;
    }

    // A request that needs approval: a serialized turn uses a presented approval (once) or opens a request to wait for;
    // an approved request then passes the rate and the budget like any other.
    private async ValueTask<CheckResult> ApprovalAsync(string grantId, string action, string? resource, long cost, string? approvalId, long started)
    {
        var outcome = await self.UseOrRequestApprovalAsync(grantId, action, resource, cost, approvalId).ConfigureAwait(true);
        var state = log.State;
        if (!outcome.Allowed)
        {
            var grant = state.Find(grantId)!;
            var effective = state.EffectiveOf(grant, services.Time.GetUtcNow());
            var denied = effective.IsActive
                ? CheckResult.ApprovalRequired(grantId, outcome.ApprovalId)
                : CheckResult.Deny(grantId, effective.Reason, effective.DecidedBy);
            return Finish(denied, state, action, resource, cost, started);
        }

        var result = Limit(state, state.Find(grantId)!, cost, services.Time.GetUtcNow(), out var spendFrom);
        return spendFrom is null
            ? Finish(result, state, action, resource, cost, started)
            : await SpendAsync(spendFrom, state, action, resource, cost, started).ConfigureAwait(true);
    }

    private async Task RecordDueAsync()
    {
        try
        {
            await self.WakeAsync().ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort: the timer and the due sweep record it too.
        }
    }

    private async ValueTask<CheckResult> SpendAsync(GrantNode grant, TreeState state, string action, string? resource, long cost, long started)
    {
        var spent = await self.RenewAndSpendAsync(grant.Id, cost).ConfigureAwait(true);
        var result = spent.Spent
            ? new CheckResult(Decision.Allow, DenyReason.None, grant.Id, spent.Remaining)
            : CheckResult.Deny(grant.Id, DenyReason.BudgetExhausted);
        return Finish(result, state, action, resource, cost, started);
    }

    /// <summary>Records decisions an enforcer reports and passes those about grants of this tree in force to the rules.</summary>
    public void Report(IReadOnlyList<DecisionRecord> decisions)
    {
        var state = log.State;
        var now = services.Time.GetUtcNow();
        foreach (var decision in decisions)
        {
            services.Decisions?.Record(decision);
            if (anomalies is null || decision.GrantId is not { } grantId || state.Find(grantId) is not { } grant || !state.EffectiveOf(grant, now).IsActive)
            {
                continue;
            }

            if (anomalies.Observe(grantId, decision.Decision, decision.Reason ?? DenyReason.None, decision.Action, decision.Resource, decision.Time.UtcTicks, now.UtcTicks, out var finding))
            {
                _ = SuspendAsync(grantId, finding);
            }
        }
    }

    // A rule fired: suspend in a serialized turn of the grain's own, as anyone would (the command is a no-op on a grant
    // suspended meanwhile). If it cannot be written the rules may fire again on the next decision.
    private async Task SuspendAsync(string grantId, AnomalyFinding finding)
    {
        try
        {
            var changed = await self.SuspendAsync(grantId, finding.Reason, AnomalyFinding.Actor).ConfigureAwait(true);
            if (changed.Affected > 0)
            {
                services.Metrics?.AnomalySuspension(finding.Rule);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            anomalies?.Failed(grantId);
        }
    }

    private CheckResult Finish(CheckResult result, TreeState state, string action, string? resource, long cost, long started)
    {
        var elapsed = services.Time.GetElapsedTime(started);
        if (anomalies is not null && result.GrantId.Length > 0)
        {
            var now = services.Time.GetUtcNow().UtcTicks;
            if (anomalies.Observe(result.GrantId, result.Decision, result.Reason, action, resource, now, now, out var finding))
            {
                _ = SuspendAsync(result.GrantId, finding);
            }
        }

        services.Metrics?.Check(result.Decision, result.Reason, elapsed);
        if (services.Decisions is { } recorder && recorder.ShouldRecord(result.Decision))
        {
            recorder.Record(DecisionRecords.From(
                result, result.Reason is DenyReason.UnknownGrant or DenyReason.InvalidToken ? null : state, action, resource, cost, services.Options.SiloName, services.Time.GetUtcNow(), elapsed));
        }

        return result;
    }
}
