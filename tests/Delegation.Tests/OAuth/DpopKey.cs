using System.Security.Cryptography;
using Delegation.OAuth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Delegation.Tests.OAuth;

/// <summary>A client's DPoP key: signs RFC 9449 proofs with Microsoft.IdentityModel, as a client library would.</summary>
public sealed class DpopKey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>A proof for <paramref name="method"/> <paramref name="url"/>, with <c>ath</c> when an access token is given.</summary>
    public string Proof(string method, string url, string? accessToken = null, DateTimeOffset? issuedAt = null, string? jti = null)
    {
        var publicKey = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(_key.ExportParameters(false))));
        var claims = new Dictionary<string, object>
        {
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = (issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
        };
        if (accessToken is not null)
        {
            claims["ath"] = DpopProofs.AccessTokenHash(accessToken);
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "dpop+jwt",
            Claims = claims,
            AdditionalHeaderClaims = new Dictionary<string, object>
            {
                ["jwk"] = new Dictionary<string, object> { ["kty"] = publicKey.Kty, ["crv"] = publicKey.Crv, ["x"] = publicKey.X, ["y"] = publicKey.Y },
            },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_key), SecurityAlgorithms.EcdsaSha256),
            IncludeKeyIdInHeader = false,
        });
    }

    public void Dispose() => _key.Dispose();
}
