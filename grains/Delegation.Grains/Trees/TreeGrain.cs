using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Anomaly;
using Delegation.Grains.Budget;
using Delegation.Grains.Errors;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Grains.Trees;

/// <summary>
/// The Orleans grain of one delegation tree. It routes; the model decides: commands are the pure functions of
/// <see cref="TreeCommands"/>, state is the fold in <see cref="TreeLog"/>, budget leases are <see cref="TreeLeases"/>,
/// checks are <see cref="TreeChecks"/>, and <see cref="TreeTimers"/> records what falls due.
/// </summary>
internal sealed class TreeGrain(TreeServices services) : Grain, ITreeGrain
{
    private TreeLog _log = null!;
    private TreeLeases _leases = null!;
    private TreeTimers _timers = null!;
    private TreeChecks _checks = null!;
    private TreeRates _rates = null!;
    private TreeAnomalies? _anomalies;

    /// <summary>The published state, for tests that compare it with the store's.</summary>
    internal TreeState Snapshot => _log.State;

    private string TreeId => this.GetPrimaryKeyString();

    private TreeState State => _log.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _log = new TreeLog(TreeId, services.Store, services.Time, services.Options.MaxConflictRetries, services.Metrics);
        _leases = new TreeLeases(services.Options.SiloName, services.Time, services.Leases, services.Gauges);
        _timers = new TreeTimers(this, _log, _leases, services.Time, services.Leases.IdleSettleAfter);
        _rates = new TreeRates(services.Options.RateShareLifetime);
        _anomalies = services.Anomalies is { } tracker ? new TreeAnomalies(tracker) : null;
        _checks = new TreeChecks(_log, _leases, _rates, _anomalies, services, this.AsReference<ITreeGrain>());
        await _log.LoadAsync(cancellationToken).ConfigureAwait(true);
        _timers.Schedule();
        services.Gauges?.Activated();
        services.Local?.Register(TreeId, _checks);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // First, before Orleans lets go of the directory entry: from here on only the grain decides this tree's checks.
        services.Local?.Unregister(TreeId, _checks);
        try
        {
            await _leases.SettleAllAsync(_log).ConfigureAwait(true);
        }
        catch (DelegationException)
        {
            // Unsettled leases count as spent when they expire: nothing is overspent, some units are stranded.
        }
        finally
        {
            _anomalies?.Clear();
            _leases.Abandon();
            services.Gauges?.Deactivated();
        }
    }

    public async Task<GrantCreatedResponse> CreateRootAsync(string grantId, CreateGrantRequest request)
    {
        if (grantId != TreeId)
        {
            throw new RequestValidationException($"'{grantId}' is not the root grant id of tree {TreeId}.");
        }

        var (token, hash) = GrantToken.Issue(grantId);
        var outcome = await WriteAsync((state, now) => state.Exists
            ? throw new ConflictException($"Grant {grantId} already exists.")
            : new TurnDecision<bool>([TreeCommands.CreateRoot(request, grantId, hash, now)], true)).ConfigureAwait(true);
        services.Metrics?.GrantCreated(root: true);
        return new GrantCreatedResponse(View(outcome.After, grantId), token);
    }

    public async Task<GrantCreatedResponse> DelegateAsync(string parentId, DelegateRequest request)
    {
        Existing(parentId);
        var childId = GrantId.NewChild(TreeId);
        var (token, hash) = GrantToken.Issue(childId);
        var outcome = await WriteAsync((state, now) => new TurnDecision<bool>([TreeCommands.Delegate(state, parentId, request, childId, hash, now)], true)).ConfigureAwait(true);
        services.Metrics?.GrantCreated(root: false);
        return new GrantCreatedResponse(View(outcome.After, childId), token);
    }

    public ValueTask<GrantView> GetAsync(string grantId) => ValueTask.FromResult(View(Existing(grantId), grantId));

    public ValueTask<TreeResponse> GetTreeAsync(string grantId) =>
        ValueTask.FromResult(GrantViews.ToTree(Existing(grantId), TreeCommands.FindGrant(State, grantId), services.Time.GetUtcNow()));

    public async Task<GrantView> GetAsOfAsync(string grantId, DateTimeOffset at)
    {
        var state = await StateAtAsync(grantId, at).ConfigureAwait(true);
        return GrantViews.ToView(state, state.Find(grantId)!, at);
    }

    public async Task<TreeResponse> GetTreeAsOfAsync(string grantId, DateTimeOffset at)
    {
        var state = await StateAtAsync(grantId, at).ConfigureAwait(true);
        return GrantViews.ToTree(state, state.Find(grantId)!, at);
    }

    public async Task<CheckResult> ExplainAsync(string grantId, string action, string? resource, DateTimeOffset? at)
    {
        CheckRules.Validate(action, resource, 0);
        var state = at is { } when ? await StateAtAsync(grantId, when).ConfigureAwait(true) : Existing(grantId);
        return TreeChecks.Explain(state, grantId, action, resource, at ?? services.Time.GetUtcNow());
    }

    public Task<ChainResponse> GetChainAsync(string grantId)
    {
        var state = Existing(grantId);
        var links = new List<ChainLink>();
        for (var node = state.Find(grantId); node is not null; node = node.Record.ParentId is { } p ? state.Find(p) : null)
        {
            links.Add(new ChainLink(node.Record, node.Status, node.Spent, node.Reserved));
        }

        return Task.FromResult(new ChainResponse(grantId, TreeId, state.Version, links));
    }

    public Task<StatusChangeResponse> RevokeAsync(string grantId, string? reason, string actor) =>
        ChangeStatusAsync(grantId, "revoke", (state, _) => TreeCommands.Revoke(state, grantId, reason, actor));

    public Task<StatusChangeResponse> SuspendAsync(string grantId, string? reason, string actor) =>
        ChangeStatusAsync(grantId, "suspend", (state, _) => TreeCommands.Suspend(state, grantId, reason, actor));

    public async Task<StatusChangeResponse> ResumeAsync(string grantId, string? reason, string actor)
    {
        var resumed = await ChangeStatusAsync(grantId, "resume", (state, now) => TreeCommands.Resume(state, grantId, reason, actor, now)).ConfigureAwait(true);

        // A fresh baseline: what the grant did before its suspension must not suspend it again.
        _anomalies?.Restart(grantId, services.Time.GetUtcNow().UtcTicks);
        return resumed;
    }

    public ValueTask<CheckResult> CheckAsync(string grantId, string action, string? resource, long cost, string? tokenSecret, string? approvalId = null)
    {
        var result = _checks.CheckInGrainAsync(grantId, action, resource, cost, tokenSecret, approvalId);
        ForgetIfEmpty();
        return result;
    }

    public ValueTask ReportDecisionsAsync(IReadOnlyList<DecisionRecord> decisions)
    {
        _checks.Report(decisions);
        ForgetIfEmpty();
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> VerifyTokenAsync(string grantId, string tokenSecret)
    {
        ForgetIfEmpty();
        return ValueTask.FromResult(State.Find(grantId) is { } node && GrantToken.Verify(tokenSecret, node.Record.TokenHash));
    }

    public ValueTask<bool> IsWithinAsync(string grantId, string ancestorId)
    {
        var state = Existing(grantId);
        for (var node = state.Find(grantId); node is not null; node = node.Record.ParentId is { } p ? state.Find(p) : null)
        {
            if (node.Id == ancestorId)
            {
                return ValueTask.FromResult(true);
            }
        }

        return ValueTask.FromResult(false);
    }

    public async Task<LeaseResponse> ReserveLeaseAsync(string grantId, long units, string holder, TimeSpan lifetime)
    {
        Existing(grantId);
        var leaseId = LeaseId.New(TreeId);
        var outcome = await WriteAsync((state, now) =>
        {
            var reserved = TreeCommands.ReserveLease(state, grantId, units, holder, leaseId, lifetime, now);
            return new TurnDecision<LeaseReserved>([reserved], reserved);
        }).ConfigureAwait(true);
        return new LeaseResponse(outcome.Value.LeaseId, grantId, outcome.Value.Units, outcome.Value.ExpiresAt);
    }

    public async Task<ApprovalOutcome> UseOrRequestApprovalAsync(string grantId, string action, string? resource, long cost, string? presented)
    {
        Existing(grantId);
        var newId = Approvals.ApprovalId.New(TreeId);
        var outcome = await WriteAsync((state, now) =>
        {
            var (e, allowed, approvalId) = TreeCommands.UseOrRequestApproval(state, grantId, action, resource, cost, presented, newId, now);
            return e is null
                ? TurnDecision<ApprovalOutcome>.Nothing(new ApprovalOutcome(allowed, approvalId))
                : new TurnDecision<ApprovalOutcome>([e], new ApprovalOutcome(allowed, approvalId));
        }).ConfigureAwait(true);
        return outcome.Value;
    }

    public async Task<ApprovalView> DecideApprovalAsync(string approvalId, bool approved, string actor, string? reason)
    {
        if (!State.Exists)
        {
            ForgetIfEmpty();
            throw new NotFoundException($"No open approval request {approvalId}: it was used, it expired, or it never existed.");
        }

        var outcome = await WriteAsync((state, now) =>
            new TurnDecision<bool>([TreeCommands.DecideApproval(state, approvalId, approved, actor, reason, now)], approved)).ConfigureAwait(true);
        return GrantViews.ToView(outcome.After, outcome.After.Approvals[approvalId], services.Time.GetUtcNow());
    }

    public ValueTask<IReadOnlyList<ApprovalView>> GetApprovalsAsync(string grantId)
    {
        var state = Existing(grantId);
        var now = services.Time.GetUtcNow();
        var subtree = state.SubtreeOf(state.Find(grantId)!).Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<ApprovalView> views = state.Approvals.Values
            .Where(a => subtree.Contains(a.Request.GrantId))
            .OrderBy(a => a.Request.RequestedAt)
            .Select(a => GrantViews.ToView(state, a, now))
            .ToArray();
        return ValueTask.FromResult(views);
    }

    public ValueTask<RateShareResponse> ShareRateAsync(string grantId, long requests, long units, long cost)
    {
        if (requests < 1 || units < 0 || cost < 0 || cost > ModelLimits.MaxBudget)
        {
            throw new RequestValidationException($"'requests' must be at least 1, 'units' at least 0 and 'cost' between 0 and {ModelLimits.MaxBudget}.");
        }

        var state = Existing(grantId);
        var grant = state.Find(grantId)!;
        var now = services.Time.GetUtcNow();
        var effective = state.EffectiveOf(grant, now);
        if (!effective.IsActive)
        {
            throw new ConflictException($"Grant {grantId} is not active ({effective.Reason}); no rate share is given.");
        }

        return ValueTask.FromResult(_rates.Share(state, grant, requests, Math.Min(units, ModelLimits.MaxBudget), cost, now));
    }

    public async Task<SettleLeaseResponse> SettleLeaseAsync(string leaseId, long used)
    {
        if (!State.Exists)
        {
            ForgetIfEmpty();
            throw new NotFoundException($"No live lease {leaseId}: it was settled, it expired, or it never existed.");
        }

        var outcome = await WriteAsync((state, now) =>
        {
            if (LeaseId.IsSiloHeld(leaseId) && state.Leases.ContainsKey(leaseId))
            {
                // The tree grain spends from its own leases in memory; only it may settle them, or units could be spent twice.
                throw new ConflictException($"Lease {leaseId} is held by a silo; only that silo settles it.");
            }

            var settled = TreeCommands.SettleLease(state, leaseId, used, now);
            return new TurnDecision<long>([settled], state.Leases[leaseId].Units - used);
        }).ConfigureAwait(true);

        return new SettleLeaseResponse(leaseId, used, outcome.Value, outcome.After.Version);
    }

    public async Task<SpendOutcome> RenewAndSpendAsync(string grantId, long cost)
    {
        var outcome = await _leases.RenewAndSpendAsync(_log, grantId, cost).ConfigureAwait(true);
        _timers.Schedule();
        return outcome;
    }

    public async Task<long> WakeAsync()
    {
        await _timers.FireDueAsync().ConfigureAwait(true);
        ForgetIfEmpty();
        return State.Version;
    }

    private async Task<TurnOutcome<T>> WriteAsync<T>(Func<TreeState, DateTimeOffset, TurnDecision<T>> decide)
    {
        var outcome = await _log.WriteAsync(decide).ConfigureAwait(true);
        _timers.Schedule();
        return outcome;
    }

    private async Task<StatusChangeResponse> ChangeStatusAsync(string grantId, string kind, Func<TreeState, DateTimeOffset, TreeEvent?> decide)
    {
        Existing(grantId);
        var outcome = await WriteAsync((state, now) => decide(state, now) is { } e
            ? new TurnDecision<DateTimeOffset>([e], now)
            : TurnDecision<DateTimeOffset>.Nothing(now)).ConfigureAwait(true);
        var affected = outcome.Changed ? TreeCommands.CountAffected(outcome.Before, outcome.After, grantId, outcome.Value) : 0;
        if (outcome.Changed)
        {
            services.Metrics?.StatusChange(kind, affected);
        }

        return new StatusChangeResponse(affected, outcome.After.Version, FeedSeq: outcome.Changed ? outcome.FeedSeq : null);
    }

    // History comes from the events themselves: fold those appended at or before the instant.
    private async Task<TreeState> StateAtAsync(string grantId, DateTimeOffset at)
    {
        Existing(grantId);
        var events = await services.Store.ReadTreeAsync(TreeId, 0).ConfigureAwait(true);
        var state = TreeState.Fold(TreeId, events.TakeWhile(e => e.At <= at));
        return state.Find(grantId) is null
            ? throw new NotFoundException($"Grant {grantId} did not exist at {at:O}.")
            : state;
    }

    private TreeState Existing(string grantId)
    {
        var state = State;
        if (state.Find(grantId) is null)
        {
            ForgetIfEmpty();
            throw new NotFoundException($"No grant {grantId}.");
        }

        return state;
    }

    // A tree with no events was activated by a look-up of an id nobody created: let it go at once rather than
    // keep an empty activation for every guessed id until idle collection.
    private void ForgetIfEmpty()
    {
        if (!State.Exists)
        {
            this.DeactivateOnIdle();
        }
    }

    private GrantView View(TreeState state, string id) =>
        GrantViews.ToView(state, TreeCommands.FindGrant(state, id), services.Time.GetUtcNow());
}
