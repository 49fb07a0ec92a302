using Microsoft.IdentityModel.Tokens;

namespace Delegation.Silo.OAuth;

/// <summary>One ES256 signing key of the ring: the key of one rotation epoch.</summary>
/// <param name="Epoch">The rotation period it signs in (whole periods since the Unix epoch).</param>
/// <param name="KeyId">Its <c>kid</c>: the RFC 7638 JWK thumbprint of the public key.</param>
/// <param name="Signing">The private key, for signing.</param>
/// <param name="Verifying">The public key alone, for verifying.</param>
/// <param name="PublicJwk">The public key as the JWKS publishes it.</param>
public sealed record SigningKey(long Epoch, string KeyId, ECDsaSecurityKey Signing, ECDsaSecurityKey Verifying, JsonWebKey PublicJwk);
