using Delegation.Api;

namespace Delegation.Client;

public sealed partial class DelegationClient
{
    /// <summary>Creates a root grant, person to agent: <c>POST /v1/grants</c> (issuer or admin).</summary>
    /// <param name="request">Who, for whom, what, how much and until when.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The grant and its token. The token is shown this once only: keep it.</returns>
    /// <exception cref="DelegationValidationException">The request is invalid (validation_failed, invalid_scope).</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<GrantCreatedResponse> CreateGrantAsync(CreateGrantRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(
            HttpMethod.Post,
            Routes.Grants,
            Json(request, DelegationJsonContext.Default.CreateGrantRequest),
            DelegationJsonContext.Default.GrantCreatedResponse,
            cancellationToken);
    }

    /// <summary>
    /// Delegates a narrower grant to a sub-agent: <c>POST /v1/grants/{id}/delegations</c> (the holder of the
    /// parent's token, an issuer or an admin).
    /// </summary>
    /// <param name="parentGrantId">The grant to delegate from.</param>
    /// <param name="request">The sub-agent and the attenuated scope, budget, expiry and depth.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The delegation and its token. The token is shown this once only: keep it.</returns>
    /// <exception cref="DelegationAttenuationException">The delegation would widen its parent (its <c>Code</c> says how).</exception>
    /// <exception cref="DelegationNotFoundException">The parent grant does not exist.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<GrantCreatedResponse> DelegateAsync(string parentGrantId, DelegateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(parentGrantId);
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(
            HttpMethod.Post,
            Routes.Delegations(parentGrantId),
            Json(request, DelegationJsonContext.Default.DelegateRequest),
            DelegationJsonContext.Default.GrantCreatedResponse,
            cancellationToken);
    }

    /// <summary>Reads one grant with its budget, status and effective status: <c>GET /v1/grants/{id}</c>.</summary>
    /// <param name="grantId">The grant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The grant as the API shows it.</returns>
    /// <exception cref="DelegationNotFoundException">No such grant.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<GrantView> GetGrantAsync(string grantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantId);
        return SendAsync(HttpMethod.Get, Routes.Grant(grantId), null, DelegationJsonContext.Default.GrantView, cancellationToken);
    }

    /// <summary>Reads a grant and its whole subtree at one tree version: <c>GET /v1/grants/{id}/tree</c>.</summary>
    /// <param name="grantId">The subtree's root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The grants, depth first (each grant before its children).</returns>
    /// <exception cref="DelegationNotFoundException">No such grant.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<TreeResponse> GetTreeAsync(string grantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantId);
        return SendAsync(HttpMethod.Get, Routes.Tree(grantId), null, DelegationJsonContext.Default.TreeResponse, cancellationToken);
    }
}
