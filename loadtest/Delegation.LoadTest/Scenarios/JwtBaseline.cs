using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// What a stateless-token design pays per request: an ES256 JWT validated with
/// <see cref="JsonWebTokenHandler"/> (signature, issuer, audience, lifetime), then its scope claim read.
/// </summary>
public sealed class JwtBaseline : IDisposable
{
    private const string Issuer = "https://issuer.loadtest.invalid";
    private const string Audience = "tools";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;

    /// <summary>Creates a signing key and a token like the one an agent would present.</summary>
    public JwtBaseline(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var signing = new ECDsaSecurityKey(_key) { KeyId = "loadtest" };
        var verifying = new ECDsaSecurityKey(ECDsa.Create(_key.ExportParameters(includePrivateParameters: false))) { KeyId = "loadtest" };
        var now = time.GetUtcNow().UtcDateTime;
        Token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", "alice"),
                new Claim("act", "support-bot/summarizer"),
                new Claim("scope", "tickets:read@projects/** tickets:list@projects/*"),
            ]),
            SigningCredentials = new SigningCredentials(signing, SecurityAlgorithms.EcdsaSha256),
        });
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = verifying,
            ValidateLifetime = true,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        };
    }

    /// <summary>The compact JWT.</summary>
    public string Token { get; }

    /// <summary>Validates the token and checks that its scope claim grants <paramref name="action"/>.</summary>
    public bool Validate(string action)
    {
        var result = _handler.ValidateTokenAsync(Token, _parameters).GetAwaiter().GetResult();
        return result.IsValid
            && result.Claims.TryGetValue("scope", out var scope)
            && scope is string text
            && text.Contains(action, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
