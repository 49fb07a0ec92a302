using Delegation.Api;
using Delegation.Grains.OAuth;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.OAuth;

/// <summary>The silo's key ring as the grains see it: the JWKS and the configured issuer, for Orleans-client enforcers.</summary>
public sealed class RingKeyPublisher(SigningKeyRing ring, IOptions<OAuthOptions> options) : IAccessTokenKeyPublisher
{
    /// <inheritdoc />
    public AccessTokenKeySet? Current()
    {
        if (!ring.IsConfigured)
        {
            return null;
        }

        var issuer = options.Value.Issuer;
        return new AccessTokenKeySet(string.IsNullOrEmpty(issuer) ? null : issuer.TrimEnd('/'), JwksDocument.ToJson(ring));
    }
}
