using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grants;

namespace Delegation.Grains.Trees;

/// <summary>
/// A grant, addressed by its id: every call goes to the tree grain the id embeds. An id that is not shaped like a
/// grant id never reaches a grain: reads answer not found, checks unknown_grant (invalid_token with a token).
/// </summary>
public readonly struct GrantReference(IGrainFactory grains, string grantId)
{
    // Undelivered creates are sent again this many times in all (each rejection means nothing was processed).
    private const int MaxCreateAttempts = 6;

    /// <summary>The grant id.</summary>
    public string GrantId { get; } = grantId;

    private bool IsWellFormed => Grants.GrantId.IsValid(GrantId);

    private ITreeGrain Tree => IsWellFormed
        ? grains.GetTree(Grants.GrantId.TreeOf(GrantId))
        : throw new NotFoundException($"No grant {GrantId}.");

    /// <summary>Creates this grant as a new root grant (person to agent); the id must be a fresh root id.</summary>
    public async Task<GrantCreatedResponse> CreateRootAsync(CreateGrantRequest request)
    {
        if (!IsWellFormed || !Grants.GrantId.IsRoot(GrantId))
        {
            throw new RequestValidationException($"'{GrantId}' is not a root grant id.");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Tree.CreateRootAsync(GrantId, request).ConfigureAwait(false);
            }
            catch (OrleansMessageRejectionException e) when (e.GetType() == typeof(OrleansMessageRejectionException) && attempt < MaxCreateAttempts)
            {
                // A look-up of the id before it existed let its empty activation go, and the create met it on its
                // way out: Orleans rejected the message undelivered, so sending it again cannot create twice. Checks
                // probing the id can keep activating and letting go of it, so wait a little longer each time.
                await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Creates a delegation under this grant, checking every attenuation rule.</summary>
    public Task<GrantCreatedResponse> DelegateAsync(DelegateRequest request) => Tree.DelegateAsync(GrantId, request);

    /// <summary>The grant's view.</summary>
    public ValueTask<GrantView> GetAsync()
    {
        var (tree, id) = (Tree, GrantId);
        return ResendIfRejected(() => tree.GetAsync(id));
    }

    /// <summary>The grant and its subtree.</summary>
    public ValueTask<TreeResponse> GetTreeAsync() => Tree.GetTreeAsync(GrantId);

    /// <summary>The grant as it was at <paramref name="at"/>.</summary>
    public Task<GrantView> GetAsOfAsync(DateTimeOffset at) => Tree.GetAsOfAsync(GrantId, at);

    /// <summary>The grant and its subtree as they were at <paramref name="at"/>.</summary>
    public Task<TreeResponse> GetTreeAsOfAsync(DateTimeOffset at) => Tree.GetTreeAsOfAsync(GrantId, at);

    /// <summary>What a check would answer at <paramref name="at"/> (now when null), and why, without spending.</summary>
    public Task<CheckResult> ExplainAsync(string action, string? resource, DateTimeOffset? at) => Tree.ExplainAsync(GrantId, action, resource, at);

    /// <summary>The grant and its ancestors, with token hashes, for an enforcer's cache.</summary>
    public Task<ChainResponse> GetChainAsync() => Tree.GetChainAsync(GrantId);

    /// <summary>Revokes the grant and so its subtree, in one write.</summary>
    public Task<StatusChangeResponse> RevokeAsync(string? reason, string actor) => Tree.RevokeAsync(GrantId, reason, actor);

    /// <summary>Suspends the grant and so its subtree.</summary>
    public Task<StatusChangeResponse> SuspendAsync(string? reason, string actor) => Tree.SuspendAsync(GrantId, reason, actor);

    /// <summary>Resumes a suspended grant.</summary>
    public Task<StatusChangeResponse> ResumeAsync(string? reason, string actor) => Tree.ResumeAsync(GrantId, reason, actor);

    /// <summary>Decides a check; with a <paramref name="tokenSecret"/> the token is verified first. A cost is spent from the tree's lease.</summary>
    public async ValueTask<CheckResult> CheckAsync(string action, string? resource, long cost, string? tokenSecret, string? approvalId = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CheckOnceAsync(action, resource, cost, tokenSecret, approvalId).ConfigureAwait(false);
            }
            catch (OrleansMessageRejectionException e) when (IsResendable(e, attempt))
            {
            }
        }
    }

    /// <summary>
    /// <see cref="CheckAsync"/> without sending again a call that Orleans rejected undelivered: for a caller that already
    /// awaits in a loop of its own (the check endpoint, whose one async frame then serves both), with
    /// <see cref="IsResendable"/> deciding when to send again.
    /// </summary>
    public ValueTask<CheckResult> CheckOnceAsync(string action, string? resource, long cost, string? tokenSecret, string? approvalId = null)
    {
        if (IsWellFormed)
        {
            return Tree.CheckAsync(GrantId, action, resource, cost, tokenSecret, approvalId);
        }

        CheckRules.Validate(action, resource, cost);
        return ValueTask.FromResult(CheckResult.Deny(GrantId, tokenSecret is null ? DenyReason.UnknownGrant : DenyReason.InvalidToken));
    }

    /// <summary>
    /// True when a call that failed with <paramref name="rejection"/> on its <paramref name="attempt"/>-th sending may be
    /// sent again: Orleans rejected it undelivered (so it was never processed), and fewer than three were sent.
    /// </summary>
    public static bool IsResendable(OrleansMessageRejectionException rejection, int attempt) =>
        rejection?.GetType() == typeof(OrleansMessageRejectionException) && attempt < 3;

    /// <summary>True when <paramref name="tokenSecret"/> is this grant's token secret (fixed-time comparison).</summary>
    public ValueTask<bool> VerifyTokenAsync(string tokenSecret)
    {
        if (!IsWellFormed)
        {
            return ValueTask.FromResult(false);
        }

        var (tree, id) = (Tree, GrantId);
        return ResendIfRejected(() => tree.VerifyTokenAsync(id, tokenSecret));
    }

    /// <summary>True when <paramref name="ancestorId"/> is this grant or one of its ancestors.</summary>
    public ValueTask<bool> IsWithinAsync(string ancestorId) =>
        IsWellFormed && Grants.GrantId.IsValid(ancestorId) && Grants.GrantId.TreeOf(ancestorId) == Grants.GrantId.TreeOf(GrantId)
            ? Tree.IsWithinAsync(GrantId, ancestorId)
            : ValueTask.FromResult(false);

    /// <summary>Reserves a lease of up to <paramref name="units"/> for an outside holder (an enforcer).</summary>
    public Task<LeaseResponse> ReserveLeaseAsync(long units, string holder, TimeSpan lifetime) => Tree.ReserveLeaseAsync(GrantId, units, holder, lifetime);

    /// <summary>The open approval requests of the grant's subtree.</summary>
    public ValueTask<IReadOnlyList<ApprovalView>> GetApprovalsAsync() => Tree.GetApprovalsAsync(GrantId);

    /// <summary>Takes a share of the rate buckets on the grant's chain for an enforcer.</summary>
    public ValueTask<RateShareResponse> ShareRateAsync(long requests, long units, long cost) => Tree.ShareRateAsync(GrantId, requests, units, cost);

    // A look-up of a tree nobody created lets its empty activation go at once; a call that meets it on its way out is
    // rejected by Orleans undelivered, so sending it again is safe (it was never processed) and finds a new activation.
    // Only that exact exception: a subclass such as SiloUnavailableException may follow a call that was processed.
    private static async ValueTask<T> ResendIfRejected<T>(Func<ValueTask<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (OrleansMessageRejectionException e) when (IsResendable(e, attempt))
            {
            }
        }
    }
}
