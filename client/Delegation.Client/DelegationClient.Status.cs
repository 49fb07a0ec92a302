using Delegation.Api;

namespace Delegation.Client;

public sealed partial class DelegationClient
{
    /// <summary>
    /// Revokes a grant and, through the ancestor rule, its whole subtree: <c>POST /v1/grants/{id}/revoke</c>.
    /// Returns once the revocation is stored; enforcers learn of it from the feed.
    /// </summary>
    /// <param name="grantId">The grant to revoke.</param>
    /// <param name="reason">Why, for the audit trail; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many grants changed and the tree version after the change.</returns>
    /// <exception cref="DelegationNotFoundException">No such grant.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<StatusChangeResponse> RevokeGrantAsync(string grantId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantId);
        return ChangeStatusAsync(Routes.GrantAction(grantId, "revoke"), reason, cancellationToken);
    }

    /// <summary>
    /// Revokes a grant and its subtree, and returns only when every live enforcer has acknowledged the revocation
    /// or <paramref name="timeout"/> has passed: <c>POST /v1/grants/{id}/revoke?wait=true</c>.
    /// </summary>
    /// <param name="grantId">The grant to revoke.</param>
    /// <param name="reason">Why, for the audit trail; optional.</param>
    /// <param name="timeout">
    /// How long the silo waits for acknowledgements; null for the silo's default. Keep it below the client's
    /// HTTP timeout (<see cref="DelegationClientOptions.Timeout"/>), or the client gives up first.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The change, with <see cref="StatusChangeResponse.Propagation"/>: how many enforcers acknowledged, of how many, how fast.</returns>
    /// <exception cref="DelegationNotFoundException">No such grant.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<StatusChangeResponse> RevokeGrantAndWaitAsync(
        string grantId,
        string? reason = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantId);
        if (timeout is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero, nameof(timeout));
        }

        return ChangeStatusAsync(Routes.RevokeAndWait(grantId, timeout), reason, cancellationToken);
    }

    /// <summary>Suspends a grant and its subtree, reversibly: <c>POST /v1/grants/{id}/suspend</c>.</summary>
    /// <param name="grantId">The grant to suspend.</param>
    /// <param name="reason">Why, for the audit trail; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many grants changed and the tree version after the change.</returns>
    /// <exception cref="DelegationNotFoundException">No such grant.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<StatusChangeResponse> SuspendGrantAsync(string grantId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantId);
        return ChangeStatusAsync(Routes.GrantAction(grantId, "suspend"), reason, cancellationToken);
    }

    /// <summary>Resumes a suspended grant: <c>POST /v1/grants/{id}/resume</c>.</summary>
    /// <param name="grantId">The grant to resume.</param>
    /// <param name="reason">Why, for the audit trail; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many grants changed and the tree version after the change.</returns>
    /// <exception cref="DelegationNotFoundException">No such grant.</exception>
    /// <exception cref="DelegationConflictException">The grant cannot be resumed in its current state.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<StatusChangeResponse> ResumeGrantAsync(string grantId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantId);
        return ChangeStatusAsync(Routes.GrantAction(grantId, "resume"), reason, cancellationToken);
    }

    /// <summary>
    /// Revokes every grant held by an agent, the kill switch for a compromised agent:
    /// <c>POST /v1/agents/{agent}/revoke</c>.
    /// </summary>
    /// <param name="agent">The agent, as named in its grants; escaped into the path here.</param>
    /// <param name="reason">Why, for the audit trail; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many grants changed, in how many trees.</returns>
    /// <exception cref="DelegationApiException">The call failed, by its subclass.</exception>
    public Task<StatusChangeResponse> RevokeAgentAsync(string agent, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agent);
        return ChangeStatusAsync(Routes.RevokeAgent(agent), reason, cancellationToken);
    }

    /// <summary>
    /// Revokes every grant made on behalf of a person, e.g. when they leave: <c>POST /v1/users/{user}/revoke</c>.
    /// </summary>
    /// <param name="user">The person, as named in their grants; escaped into the path here.</param>
    /// <param name="reason">Why, for the audit trail; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many grants changed, in how many trees.</returns>
    /// <exception cref="DelegationApiException">The call failed, by its subclass.</exception>
    public Task<StatusChangeResponse> RevokeUserAsync(string user, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return ChangeStatusAsync(Routes.RevokeUser(user), reason, cancellationToken);
    }

    // The body is optional on the wire, but sending "{}" rather than nothing keeps every server-side binding happy.
    private Task<StatusChangeResponse> ChangeStatusAsync(string uri, string? reason, CancellationToken cancellationToken) =>
        SendAsync(
            HttpMethod.Post,
            uri,
            Json(new StatusChangeRequest(reason), DelegationJsonContext.Default.StatusChangeRequest),
            DelegationJsonContext.Default.StatusChangeResponse,
            cancellationToken);
}
