using System.Buffers.Text;
using System.Security.Cryptography;
using Delegation.Api;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Delegation.Silo.OAuth;

/// <summary>
/// Signs RFC 9068 access tokens (ES256, <c>typ: at+jwt</c>) for a grant, and validates the silo's own tokens when
/// they come back as a subject token, for introspection or for revocation. The JWS work is Microsoft.IdentityModel's.
/// </summary>
public sealed class AccessTokens(SigningKeyRing ring, IOptions<OAuthOptions> options, TimeProvider time)
{
    /// <summary>The claim naming the grant a token was issued for.</summary>
    public const string GrantIdClaim = "grant_id";

    /// <summary>The JOSE <c>typ</c> of RFC 9068 access tokens.</summary>
    public const string TokenType = "at+jwt";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Signs a token for the first grant of <paramref name="chain"/>, for <paramref name="audiences"/>.</summary>
    /// <param name="issuer">The <c>iss</c>.</param>
    /// <param name="chain">The grant and its ancestors (for <c>sub</c>, <c>act</c>, <c>scope</c> and the expiry).</param>
    /// <param name="audiences">One or more audiences.</param>
    /// <param name="extraClaims">More claims (a DPoP key's <c>cnf</c>), or null.</param>
    public IssuedAccessToken Issue(string issuer, ChainResponse chain, IReadOnlyList<string> audiences, IDictionary<string, object>? extraClaims = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(audiences);
        var grant = chain.Links[0].Grant;
        var now = time.GetUtcNow();
        var expires = now + options.Value.AccessTokenLifetime;
        if (grant.ExpiresAt < expires)
        {
            expires = grant.ExpiresAt;
        }

        // Whole seconds, as the claims carry them, so exp never exceeds the grant's expiry after rounding.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        expires = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds());
        var scope = string.Join(' ', grant.Scope);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = grant.User,
            ["aud"] = audiences.Count == 1 ? audiences[0] : audiences.ToArray(),
            ["client_id"] = grant.Agent,
            ["jti"] = NewId(),
            ["scope"] = scope,
            [GrantIdClaim] = grant.Id,
            ["act"] = ActorChain.Claim(chain),
        };
        if (extraClaims is not null)
        {
            foreach (var (name, value) in extraClaims)
            {
                claims[name] = value;
            }
        }

        var key = ring.Current;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = issuer,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.Signing, SecurityAlgorithms.EcdsaSha256),
        });
        return new IssuedAccessToken(token, expires, scope);
    }

    /// <summary>
    /// The grant one of our tokens names, or null when <paramref name="token"/> is not a token this silo's keys signed
    /// (or, with <paramref name="checkLifetime"/>, has expired or is not yet valid). The issuer is not compared: only
    /// this authority holds the keys, and it may be reached at several addresses.
    /// </summary>
    public async Task<ValidatedAccessToken?> ValidateAsync(string token, bool checkLifetime)
    {
        if (!ring.IsConfigured || !LooksLikeJwt(token))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = ring.Published.Select(k => (SecurityKey)k.Verifying).ToArray(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = [TokenType],
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = true,
            ValidateLifetime = checkLifetime,
            LifetimeValidator = (notBefore, expires, _, _) => notBefore <= now.AddSeconds(30) && expires > now,
        }).ConfigureAwait(false);
        return result.IsValid
            && result.SecurityToken is JsonWebToken jwt
            && jwt.TryGetPayloadValue<string>(GrantIdClaim, out var grantId)
            && Grants.GrantId.IsValid(grantId)
                ? new ValidatedAccessToken(grantId, jwt)
                : null;
    }

    /// <summary>True when <paramref name="token"/> is shaped like a compact JWS (three base64url parts, a JSON header).</summary>
    public static bool LooksLikeJwt(string token) =>
        token.StartsWith("eyJ", StringComparison.Ordinal) && token.AsSpan().Count('.') == 2 && token.Length <= 16 * 1024;

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
