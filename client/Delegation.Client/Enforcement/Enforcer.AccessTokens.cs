using Delegation.Grants;

namespace Delegation.Client;

public sealed partial class Enforcer
{
    /// <summary>True for what can only be a compact JWS: grant tokens start with <c>dgt_</c>, grant ids with <c>g_</c>.</summary>
    internal static bool IsAccessToken(string token) => token.StartsWith("eyJ", StringComparison.Ordinal);

    // The JWT's signature, audience, issuer and lifetime are verified offline; then its grant is checked like a bare
    // grant id (near-cache, feed), so a revoked grant's JWT is denied as soon as the feed says so, not at its exp.
    private async Task<EnforcerDecision> CheckAccessTokenAsync(string token, string action, string? resource, long cost, CancellationToken cancellationToken)
    {
        if (_accessTokens is null)
        {
            return EnforcerDecision.Deny(DenyReason.InvalidToken, null, fromCache: false);
        }

        var verified = await _accessTokens.VerifyAsync(token, cancellationToken).ConfigureAwait(false);
        return verified.GrantId is { } grantId
            ? await CheckAsync(grantId, action, resource, cost, cancellationToken).ConfigureAwait(false)
            : EnforcerDecision.Deny(verified.Reason, null, fromCache: false);
    }
}
