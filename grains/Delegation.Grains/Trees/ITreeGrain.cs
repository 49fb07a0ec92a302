using Delegation.Api;
using Delegation.Grains.Budget;
using Orleans.Concurrency;

namespace Delegation.Grains.Trees;

/// <summary>
/// A delegation tree, keyed by its tree id (the root grant's id, which every grant, token and lease id embeds, so
/// any silo or gateway addresses the grain without a lookup). All grants of a tree share its activation, so a
/// write on any grant is atomic for the whole tree. Writes are serialized turns; checks and views are
/// interleaved and read the published immutable snapshot, so they never queue behind a write.
/// Callers address grants through <see cref="TreeGrainFactoryExtensions.GetGrant"/>, which checks the id's shape.
/// </summary>
[Alias("delegation.ITreeGrain")]
public interface ITreeGrain : IGrainWithStringKey
{
    /// <summary>Creates the tree with its root grant (person to agent); <paramref name="grantId"/> is the tree id.</summary>
    [Alias("create-root")]
    Task<GrantCreatedResponse> CreateRootAsync(string grantId, CreateGrantRequest request);

    /// <summary>Creates a delegation under <paramref name="parentId"/>, checking every attenuation rule.</summary>
    [Alias("delegate")]
    Task<GrantCreatedResponse> DelegateAsync(string parentId, DelegateRequest request);

    /// <summary>The grant's view.</summary>
    [AlwaysInterleave, Alias("get")]
    ValueTask<GrantView> GetAsync(string grantId);

    /// <summary>The grant and its subtree.</summary>
    [AlwaysInterleave, Alias("get-tree")]
    ValueTask<TreeResponse> GetTreeAsync(string grantId);

    /// <summary>The grant as it was at <paramref name="at"/>, folded from the events appended until then.</summary>
    [AlwaysInterleave, Alias("get-as-of")]
    Task<GrantView> GetAsOfAsync(string grantId, DateTimeOffset at);

    /// <summary>The grant and its subtree as they were at <paramref name="at"/>.</summary>
    [AlwaysInterleave, Alias("get-tree-as-of")]
    Task<TreeResponse> GetTreeAsOfAsync(string grantId, DateTimeOffset at);

    /// <summary>What a check would have answered at <paramref name="at"/> (now when null), without spending.</summary>
    [AlwaysInterleave, Alias("explain")]
    Task<CheckResult> ExplainAsync(string grantId, string action, string? resource, DateTimeOffset? at);

    /// <summary>
    /// The grant and its ancestors up to the root, with token hashes, for an enforcer's cache. Read-only but not
    /// interleaved with writes: a chain never predates an event the feed has already carried.
    /// </summary>
    [ReadOnly, Alias("chain")]
    Task<ChainResponse> GetChainAsync(string grantId);

    /// <summary>Revokes the grant and so its subtree, in one write.</summary>
    [Alias("revoke")]
    Task<StatusChangeResponse> RevokeAsync(string grantId, string? reason, string actor);

    /// <summary>Suspends the grant and so its subtree.</summary>
    [Alias("suspend")]
    Task<StatusChangeResponse> SuspendAsync(string grantId, string? reason, string actor);

    /// <summary>Resumes a suspended grant.</summary>
    [Alias("resume")]
    Task<StatusChangeResponse> ResumeAsync(string grantId, string? reason, string actor);

    /// <summary>
    /// Decides a check against the live state; with a <paramref name="tokenSecret"/> the token is verified first.
    /// A cost is spent from the tree's lease on the grant's chain.
    /// </summary>
    [AlwaysInterleave, Alias("check")]
    ValueTask<CheckResult> CheckAsync(string grantId, string action, string? resource, long cost, string? tokenSecret, string? approvalId = null);

    /// <summary>
    /// For a check that needs approval: uses <paramref name="presented"/> if it approves exactly this request (once),
    /// else finds or opens the approval request to wait for. A serialized turn: the use is an appended event.
    /// </summary>
    [Alias("use-or-request-approval")]
    Task<ApprovalOutcome> UseOrRequestApprovalAsync(string grantId, string action, string? resource, long cost, string? presented);

    /// <summary>A person's yes or no (through an issuer or admin key) to a pending approval request.</summary>
    [Alias("decide-approval")]
    Task<ApprovalView> DecideApprovalAsync(string approvalId, bool approved, string actor, string? reason);

    /// <summary>The open approval requests (pending, approved, rejected, expired but not yet dropped) of the grant's subtree.</summary>
    [AlwaysInterleave, Alias("get-approvals")]
    ValueTask<IReadOnlyList<ApprovalView>> GetApprovalsAsync(string grantId);

    /// <summary>
    /// Decisions an enforcer made from its near-cache about grants of this tree: recorded in the decision log and
    /// counted by the anomaly rules like the tree's own checks. In memory, no event, so interleaved like a check.
    /// </summary>
    [AlwaysInterleave, Alias("report-decisions")]
    ValueTask ReportDecisionsAsync(IReadOnlyList<DecisionRecord> decisions);

    /// <summary>True when <paramref name="tokenSecret"/> is the grant's token secret (fixed-time comparison).</summary>
    [AlwaysInterleave, Alias("verify-token")]
    ValueTask<bool> VerifyTokenAsync(string grantId, string tokenSecret);

    /// <summary>True when <paramref name="ancestorId"/> is the grant or one of its ancestors.</summary>
    [AlwaysInterleave, Alias("is-within")]
    ValueTask<bool> IsWithinAsync(string grantId, string ancestorId);

    /// <summary>Reserves a lease of up to <paramref name="units"/> for an outside holder (an enforcer).</summary>
    [Alias("reserve-lease")]
    Task<LeaseResponse> ReserveLeaseAsync(string grantId, long units, string holder, TimeSpan lifetime);

    /// <summary>
    /// Takes a share of the rate buckets on the grant's chain for an enforcer: up to <paramref name="requests"/>
    /// requests and <paramref name="units"/> cost units (at least <paramref name="cost"/>), spendable for the share's
    /// lifetime. In memory, not an event, so interleaved like a check.
    /// </summary>
    [AlwaysInterleave, Alias("share-rate")]
    ValueTask<RateShareResponse> ShareRateAsync(string grantId, long requests, long units, long cost);

    /// <summary>Settles an outside holder's lease: <paramref name="used"/> units become spent, the rest is released.</summary>
    [Alias("settle-lease")]
    Task<SettleLeaseResponse> SettleLeaseAsync(string leaseId, long used);

    /// <summary>
    /// Renews the tree's own lease on a grant and spends <paramref name="cost"/>: called by the grain itself from an
    /// interleaved check whose lease ran short, so the renewal's append is a serialized turn like every write.
    /// </summary>
    [Alias("renew-and-spend")]
    Task<SpendOutcome> RenewAndSpendAsync(string grantId, long cost);

    /// <summary>Records whatever is due (expiries, leases' ends) and returns the tree version; the due sweep calls it for trees not active.</summary>
    [Alias("wake")]
    Task<long> WakeAsync();
}
