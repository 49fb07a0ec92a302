using Delegation.Api;

namespace Delegation.Grains.Runtime;

/// <summary>
/// A grant, addressed by its id. Orleans-shaped on purpose: async methods on an interface keyed by a string,
/// immutable messages in and out, so hosting the grains on Orleans later is a port rather than a rewrite.
/// Every grant of a tree shares the tree's activation, so a call on any grant is atomic for the whole tree.
/// </summary>
public interface IGrantGrain
{
    /// <summary>The grant id this reference addresses.</summary>
    string GrantId { get; }

    /// <summary>Creates this grant as a new root grant (person to agent); the id must be a fresh root id.</summary>
    Task<GrantCreatedResponse> CreateRootAsync(CreateGrantRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates a delegation under this grant, checking every attenuation rule.</summary>
    Task<GrantCreatedResponse> DelegateAsync(DelegateRequest request, CancellationToken cancellationToken = default);

    /// <summary>The grant's view.</summary>
    ValueTask<GrantView> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>The grant and its subtree.</summary>
    ValueTask<TreeResponse> GetTreeAsync(CancellationToken cancellationToken = default);

    /// <summary>The grant as it was at <paramref name="at"/>, folded from the events appended until then.</summary>
    ValueTask<GrantView> GetAsOfAsync(DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The grant and its subtree as they were at <paramref name="at"/>.</summary>
    ValueTask<TreeResponse> GetTreeAsOfAsync(DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// What a check of <paramref name="action"/> on <paramref name="resource"/> would have answered at
    /// <paramref name="at"/> (now when null), and why: status, scope and budget, without spending anything.
    /// </summary>
    ValueTask<CheckResult> ExplainAsync(string action, string? resource, DateTimeOffset? at, CancellationToken cancellationToken = default);

    /// <summary>The grant and its ancestors up to the root, with token hashes, for an enforcer's cache.</summary>
    ValueTask<ChainResponse> GetChainAsync(CancellationToken cancellationToken = default);

    /// <summary>Revokes the grant and so its subtree, in one write.</summary>
    Task<StatusChangeResponse> RevokeAsync(string? reason, string actor, CancellationToken cancellationToken = default);

    /// <summary>Suspends the grant and so its subtree.</summary>
    Task<StatusChangeResponse> SuspendAsync(string? reason, string actor, CancellationToken cancellationToken = default);

    /// <summary>Resumes a suspended grant.</summary>
    Task<StatusChangeResponse> ResumeAsync(string? reason, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decides a check against the live state; with a <paramref name="tokenSecret"/> the token is verified first.
    /// A cost is spent from the silo's lease on the grant's chain.
    /// </summary>
    ValueTask<CheckResult> CheckAsync(string action, string? resource, long cost, string? tokenSecret, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="tokenSecret"/> is this grant's token secret (fixed-time comparison).</summary>
    ValueTask<bool> VerifyTokenAsync(string tokenSecret, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="ancestorId"/> is this grant or one of its ancestors.</summary>
    ValueTask<bool> IsWithinAsync(string ancestorId, CancellationToken cancellationToken = default);

    /// <summary>Reserves a lease of up to <paramref name="units"/> for an outside holder (an enforcer).</summary>
    Task<LeaseResponse> ReserveLeaseAsync(long units, string holder, TimeSpan lifetime, CancellationToken cancellationToken = default);
}
