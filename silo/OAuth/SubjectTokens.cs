using Delegation.Grains.Trees;
using Delegation.Grants;

namespace Delegation.Silo.OAuth;

/// <summary>
/// Reads the token an OAuth request presents (a subject token, a token to introspect or to revoke): a grant token
/// (<c>dgt_</c>, its secret checked against the stored hash) or one of our JWT access tokens (signature checked).
/// </summary>
public sealed class SubjectTokens(IGrainFactory grains, AccessTokens accessTokens)
{
    /// <summary>The RFC 8693 token type of an access token (our JWTs and grant tokens are both presented as one).</summary>
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    /// <summary>The RFC 8693 token type of a JWT.</summary>
    public const string JwtType = "urn:ietf:params:oauth:token-type:jwt";

    /// <summary>The grant <paramref name="token"/> proves, with the JWT when it is one; null when it proves none.</summary>
    /// <param name="token">The presented token.</param>
    /// <param name="checkLifetime">For a JWT: false accepts an expired one (revocation still names its grant).</param>
    public async Task<(string GrantId, ValidatedAccessToken? Jwt)?> ResolveAsync(string token, bool checkLifetime = true)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.StartsWith(GrantToken.Prefix, StringComparison.Ordinal))
        {
            return GrantToken.TryParse(token, out var grantId, out var secret)
                && await grains.GetGrant(grantId).VerifyTokenAsync(secret).ConfigureAwait(false)
                    ? (grantId, null)
                    : null;
        }

        return await accessTokens.ValidateAsync(token, checkLifetime).ConfigureAwait(false) is { } jwt
            ? (jwt.GrantId, jwt)
            : null;
    }
}
