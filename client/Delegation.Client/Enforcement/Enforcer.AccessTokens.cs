using Delegation.Grants;
using Delegation.OAuth;

namespace Delegation.Client;

public sealed partial class Enforcer
{
    /// <summary>
    /// Checks a DPoP-bound JWT access token (<c>Authorization: DPoP ...</c>): the token as
    /// <see cref="CheckAsync(string, string, string?, long, CancellationToken)"/> checks a JWT, and the proof (signature
    /// by the key the token is bound to, method, URL, <c>iat</c> within the window, <c>ath</c>, <c>jti</c> not seen
    /// before). A bearer token presented this way, a bad proof or a replayed one is denied with <c>invalid_token</c>.
    /// </summary>
    /// <param name="accessToken">The JWT.</param>
    /// <param name="proof">The proof and the request it came with.</param>
    /// <param name="action">A concrete action.</param>
    /// <param name="resource">A concrete resource, or null.</param>
    /// <param name="cost">Budget units to spend when allowed.</param>
    /// <param name="cancellationToken">Cancels a check that has to wait for the authority.</param>
    /// <returns>The decision.</returns>
    public ValueTask<EnforcerDecision> CheckAsync(
        string accessToken, DpopPresentation proof, string action, string? resource = null, long cost = 0, CancellationToken cancellationToken = default) =>
        CheckAsync(accessToken, proof, action, resource, cost, approvalId: null, cancellationToken);

    /// <summary>
    /// The retry of a DPoP-bound request that needed a person's approval: the token and proof checked as
    /// <see cref="CheckAsync(string, DpopPresentation, string, string?, long, CancellationToken)"/> does, then the
    /// approval presented as <see cref="CheckAsync(string, string, string?, long, string?, CancellationToken)"/> does.
    /// </summary>
    /// <param name="accessToken">The JWT.</param>
    /// <param name="proof">The proof and the request it came with.</param>
    /// <param name="action">A concrete action.</param>
    /// <param name="resource">A concrete resource, or null.</param>
    /// <param name="cost">Budget units to spend when allowed.</param>
    /// <param name="approvalId">The approval to present, or null.</param>
    /// <param name="cancellationToken">Cancels a check that has to wait for the authority.</param>
    /// <returns>The decision.</returns>
    public async ValueTask<EnforcerDecision> CheckAsync(
        string accessToken, DpopPresentation proof, string action, string? resource, long cost, string? approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        if (_accessTokens is null || !IsAccessToken(accessToken))
        {
            return EnforcerDecision.Deny(DenyReason.InvalidToken, null, fromCache: false);
        }

        var verified = await _accessTokens.VerifyAsync(accessToken, cancellationToken).ConfigureAwait(false);
        if (verified.GrantId is not { } grantId)
        {
            return EnforcerDecision.Deny(verified.Reason, null, fromCache: false);
        }

        var now = _time.GetUtcNow();
        var check = await DpopProofs.CheckAsync(proof.Proof, proof.Method, proof.Url, accessToken, now, DpopProofs.DefaultWindow).ConfigureAwait(false);
        if (verified.BoundTo is null || !check.IsValid || check.Thumbprint != verified.BoundTo
            || !_dpopReplays.TryUse(check.Thumbprint + "." + check.JwtId, now, now + (2 * DpopProofs.DefaultWindow)))
        {
            return EnforcerDecision.Deny(DenyReason.InvalidToken, grantId, fromCache: false);
        }

        return await CheckAsync(grantId, action, resource, cost, approvalId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True for what can only be a compact JWS: grant tokens start with <c>dgt_</c>, grant ids with <c>g_</c>.</summary>
    internal static bool IsAccessToken(string token) => token.StartsWith("eyJ", StringComparison.Ordinal);

    // The JWT's signature, audience, issuer and lifetime are verified offline; then its grant is checked like a bare
    // grant id (near-cache, feed), so a revoked grant's JWT is denied as soon as the feed says so, not at its exp.
    // A DPoP-bound token is denied here: it is only good with its proof.
    private async Task<EnforcerDecision> CheckAccessTokenAsync(
        string token, string action, string? resource, long cost, string? approvalId, CancellationToken cancellationToken)
    {
        if (_accessTokens is null)
        {
            return EnforcerDecision.Deny(DenyReason.InvalidToken, null, fromCache: false);
        }

        var verified = await _accessTokens.VerifyAsync(token, cancellationToken).ConfigureAwait(false);
        if (verified.GrantId is not { } grantId)
        {
            return EnforcerDecision.Deny(verified.Reason, null, fromCache: false);
        }

        return verified.BoundTo is null
            ? await CheckAsync(grantId, action, resource, cost, approvalId, cancellationToken).ConfigureAwait(false)
            : EnforcerDecision.Deny(DenyReason.InvalidToken, grantId, fromCache: false);
    }
}
