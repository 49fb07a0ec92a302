using Delegation.Api;
using Delegation.Grains.Budget;
using Delegation.Grains.Errors;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Grains.Runtime;

/// <summary>A grant reference: finds its tree's activation and runs the call there.</summary>
internal sealed partial class GrantGrain(string grantId, GrainContext context) : IGrantGrain
{
    public string GrantId { get; } = grantId;

    private bool IsWellFormed => Grants.GrantId.IsValid(GrantId);

    private string TreeId => Grants.GrantId.TreeOf(GrantId);

    public async Task<GrantCreatedResponse> CreateRootAsync(CreateGrantRequest request, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed || !Grants.GrantId.IsRoot(GrantId))
        {
            throw new RequestValidationException($"'{GrantId}' is not a root grant id.");
        }

        var (token, hash) = GrantToken.Issue(GrantId);
        var outcome = await WriteAsync(
            (state, now) =>
            {
                if (state.Exists)
                {
                    throw new ConflictException($"Grant {GrantId} already exists.");
                }

                return new TurnDecision<bool>([TreeCommands.CreateRoot(request, GrantId, hash, now)], true);
            },
            cancellationToken).ConfigureAwait(false);
        context.Metrics?.GrantCreated(root: true);
        return new GrantCreatedResponse(View(outcome.After, GrantId), token);
    }

    public async Task<GrantCreatedResponse> DelegateAsync(DelegateRequest request, CancellationToken cancellationToken = default)
    {
        var activation = await ExistingAsync(cancellationToken).ConfigureAwait(false);
        var childId = Grants.GrantId.NewChild(TreeId);
        var (token, hash) = GrantToken.Issue(childId);
        var outcome = await WriteAsync(
            activation,
            (state, now) => new TurnDecision<bool>([TreeCommands.Delegate(state, GrantId, request, childId, hash, now)], true),
            cancellationToken).ConfigureAwait(false);
        context.Metrics?.GrantCreated(root: false);
        return new GrantCreatedResponse(View(outcome.After, childId), token);
    }

    public async ValueTask<GrantView> GetAsync(CancellationToken cancellationToken = default)
    {
        var state = (await ExistingAsync(cancellationToken).ConfigureAwait(false)).Snapshot;
        return View(state, GrantId);
    }

    public async ValueTask<TreeResponse> GetTreeAsync(CancellationToken cancellationToken = default)
    {
        var state = (await ExistingAsync(cancellationToken).ConfigureAwait(false)).Snapshot;
        return GrantViews.ToTree(state, TreeCommands.FindGrant(state, GrantId), context.Time.GetUtcNow());
    }

    public Task<StatusChangeResponse> RevokeAsync(string? reason, string actor, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync("revoke", (state, _) => TreeCommands.Revoke(state, GrantId, reason, actor), cancellationToken);

    public Task<StatusChangeResponse> SuspendAsync(string? reason, string actor, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync("suspend", (state, _) => TreeCommands.Suspend(state, GrantId, reason, actor), cancellationToken);

    public Task<StatusChangeResponse> ResumeAsync(string? reason, string actor, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync("resume", (state, now) => TreeCommands.Resume(state, GrantId, reason, actor, now), cancellationToken);

    public async ValueTask<ChainResponse> GetChainAsync(CancellationToken cancellationToken = default)
    {
        var activation = await ExistingAsync(cancellationToken).ConfigureAwait(false);

        // Another silo may have written since this activation last looked; an enforcer caching this chain must
        // not get a state older than feed events it has already passed over.
        await activation.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var state = activation.Snapshot;
        var links = new List<ChainLink>();
        for (var node = state.Find(GrantId); node is not null; node = node.Record.ParentId is { } p ? state.Find(p) : null)
        {
            links.Add(new ChainLink(node.Record, node.Status, node.Spent, node.Reserved));
        }

        return new ChainResponse(GrantId, TreeId, state.Version, links);
    }

    public async ValueTask<bool> VerifyTokenAsync(string tokenSecret, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed)
        {
            return false;
        }

        var activation = await context.Directory.GetExistingAsync(TreeId, cancellationToken).ConfigureAwait(false);
        return activation?.Snapshot.Find(GrantId) is { } node && GrantToken.Verify(tokenSecret, node.Record.TokenHash);
    }

    public async ValueTask<bool> IsWithinAsync(string ancestorId, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed || !Grants.GrantId.IsValid(ancestorId) || Grants.GrantId.TreeOf(ancestorId) != TreeId)
        {
            return false;
        }

        var state = (await ExistingAsync(cancellationToken).ConfigureAwait(false)).Snapshot;
        for (var node = state.Find(GrantId); node is not null; node = node.Record.ParentId is { } p ? state.Find(p) : null)
        {
            if (node.Id == ancestorId)
            {
                return true;
            }
        }

        return false;
    }

    public async Task<LeaseResponse> ReserveLeaseAsync(long units, string holder, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var activation = await ExistingAsync(cancellationToken).ConfigureAwait(false);
        var leaseId = LeaseId.New(TreeId);
        var outcome = await WriteAsync(
            activation,
            (state, now) =>
            {
                var reserved = TreeCommands.ReserveLease(state, GrantId, units, holder, leaseId, lifetime, now);
                return new TurnDecision<Events.LeaseReserved>([reserved], reserved);
            },
            cancellationToken).ConfigureAwait(false);
        context.Metrics?.LeaseUnits("reserved", outcome.Value.Units);
        return new LeaseResponse(outcome.Value.LeaseId, GrantId, outcome.Value.Units, outcome.Value.ExpiresAt);
    }

    private async Task<StatusChangeResponse> ChangeStatusAsync(string kind, Func<TreeState, DateTimeOffset, Events.TreeEvent?> decide, CancellationToken cancellationToken)
    {
        var activation = await ExistingAsync(cancellationToken).ConfigureAwait(false);
        var outcome = await WriteAsync(
            activation,
            (state, now) => decide(state, now) is { } e ? new TurnDecision<DateTimeOffset>([e], now) : TurnDecision<DateTimeOffset>.Nothing(now),
            cancellationToken).ConfigureAwait(false);
        var affected = outcome.Changed ? TreeCommands.CountAffected(outcome.Before, outcome.After, GrantId, outcome.Value) : 0;
        if (outcome.Changed)
        {
            context.Metrics?.StatusChange(kind, affected);
        }

        return new StatusChangeResponse(affected, outcome.After.Version, FeedSeq: outcome.Changed ? outcome.FeedSeq : null);
    }

    private GrantView View(TreeState state, string id) =>
        GrantViews.ToView(state, TreeCommands.FindGrant(state, id), context.Time.GetUtcNow());

    private async ValueTask<TreeActivation> ExistingAsync(CancellationToken cancellationToken)
    {
        var activation = IsWellFormed
            ? await context.Directory.GetExistingAsync(TreeId, cancellationToken).ConfigureAwait(false)
            : null;
        if (activation is null || activation.Snapshot.Find(GrantId) is null)
        {
            throw new NotFoundException($"No grant {GrantId}.");
        }

        return activation;
    }

    private async Task<TurnOutcome<T>> WriteAsync<T>(Func<TreeState, DateTimeOffset, TurnDecision<T>> decide, CancellationToken cancellationToken)
    {
        while (true)
        {
            var activation = await context.Directory.GetAsync(TreeId, cancellationToken).ConfigureAwait(false);
            try
            {
                return await activation.WriteAsync(decide, cancellationToken).ConfigureAwait(false);
            }
            catch (ActivationDeactivatedException)
            {
                // Collected between lookup and turn: ask the directory again.
            }
        }
    }

    private Task<TurnOutcome<T>> WriteAsync<T>(TreeActivation activation, Func<TreeState, DateTimeOffset, TurnDecision<T>> decide, CancellationToken cancellationToken) =>
        RetryOnDeactivation(activation, decide, cancellationToken);

    private async Task<TurnOutcome<T>> RetryOnDeactivation<T>(TreeActivation activation, Func<TreeState, DateTimeOffset, TurnDecision<T>> decide, CancellationToken cancellationToken)
    {
        try
        {
            return await activation.WriteAsync(decide, cancellationToken).ConfigureAwait(false);
        }
        catch (ActivationDeactivatedException)
        {
            return await WriteAsync(decide, cancellationToken).ConfigureAwait(false);
        }
    }
}
