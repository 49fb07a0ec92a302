using Delegation.Api;

namespace Delegation.Grains.OAuth;

/// <summary>
/// The authority's published token-signing keys, for Orleans clients (gateways inside the cluster) that verify its JWT
/// access tokens offline without an HTTP hop. A stateless worker: every silo derives the same keys from the same
/// secret, so any activation answers alike. Use key 0.
/// </summary>
[Alias("delegation.IAccessTokenKeysGrain")]
public interface IAccessTokenKeysGrain : IGrainWithIntegerKey
{
    /// <summary>The issuer and the JWKS; refused with <c>authority_unavailable</c> when this silo signs no tokens.</summary>
    /// <returns>The key set.</returns>
    [Alias("get")]
    Task<AccessTokenKeySet> GetAsync();
}
