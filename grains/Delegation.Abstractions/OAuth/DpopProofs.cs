using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Delegation.OAuth;

/// <summary>
/// Checks RFC 9449 DPoP proofs: a JWT with <c>typ: dpop+jwt</c>, an asymmetric <c>alg</c>, the public <c>jwk</c> in
/// its header and a signature by that key (verified by Microsoft.IdentityModel), <c>htm</c> and <c>htu</c> naming this
/// request, an <c>iat</c> within the window and a <c>jti</c>; presented with an access token, <c>ath</c> is the
/// token's SHA-256. Replays are the caller's to refuse (<see cref="DpopReplayCache"/>).
/// </summary>
public static class DpopProofs
{
    /// <summary>The request header that carries the proof, and the authorization scheme of a bound token.</summary>
    public const string HeaderName = "DPoP";

    /// <summary>How far a proof's <c>iat</c> may be from now (default 60 seconds either way).</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(60);

    /// <summary>The signing algorithms accepted for proofs.</summary>
    public static readonly string[] Algorithms =
        [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256];

    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>Checks <paramref name="proof"/> for a request.</summary>
    /// <param name="proof">The <c>DPoP</c> header's value.</param>
    /// <param name="method">The request's method.</param>
    /// <param name="url">The request's URL; query and fragment are ignored, as RFC 9449 §4.3 says.</param>
    /// <param name="accessToken">The access token presented with it, or null at the token endpoint.</param>
    /// <param name="now">The time by the caller's clock.</param>
    /// <param name="window">How far <c>iat</c> may be from <paramref name="now"/>.</param>
    public static async Task<DpopProofCheck> CheckAsync(string proof, string method, Uri url, string? accessToken, DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(url);
        if (proof.Length > 8192)
        {
            return DpopProofCheck.Invalid("The DPoP proof is too long.");
        }

        JsonWebToken jwt;
        JsonWebKey key;
        try
        {
            jwt = new JsonWebToken(proof);
            using var header = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedHeader));
            if (!header.RootElement.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
            {
                return DpopProofCheck.Invalid("The DPoP proof has no jwk header.");
            }

            key = new JsonWebKey(jwk.GetRawText());
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException or SecurityTokenException)
        {
            return DpopProofCheck.Invalid("The DPoP proof is not a JWT.");
        }

        if (key.D is not null || key.P is not null || key.K is not null || key.Kty is not ("EC" or "RSA"))
        {
            return DpopProofCheck.Invalid("The DPoP proof's jwk must be a public EC or RSA key.");
        }

        var result = await Handler.ValidateTokenAsync(proof, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = Algorithms,
            ValidTypes = ["dpop+jwt"],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            TryAllIssuerSigningKeys = true,
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return DpopProofCheck.Invalid("The DPoP proof's type, algorithm or signature is not valid.");
        }

        return Claims(jwt, method, url, accessToken, now, window) is { } problem
            ? DpopProofCheck.Invalid(problem)
            : new DpopProofCheck(Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()), jwt.Id, null);
    }

    /// <summary>The value of <c>ath</c> for <paramref name="accessToken"/>: base64url of its SHA-256.</summary>
    public static string AccessTokenHash(string accessToken) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    private static string? Claims(JsonWebToken jwt, string method, Uri url, string? accessToken, DateTimeOffset now, TimeSpan window)
    {
        if (!jwt.TryGetPayloadValue<string>("htm", out var htm) || htm != method)
        {
            return "The DPoP proof's htm is not this request's method.";
        }

        if (!jwt.TryGetPayloadValue<string>("htu", out var htu) || !SameTarget(htu, url))
        {
            return "The DPoP proof's htu is not this request's URL.";
        }

        if (!jwt.TryGetPayloadValue<long>("iat", out var iat) || Math.Abs(now.ToUnixTimeSeconds() - iat) > window.TotalSeconds)
        {
            return "The DPoP proof's iat is missing or outside the accepted window.";
        }

        if (string.IsNullOrEmpty(jwt.Id) || jwt.Id.Length > 256)
        {
            return "The DPoP proof needs a jti of at most 256 characters.";
        }

        if (accessToken is not null && (!jwt.TryGetPayloadValue<string>("ath", out var ath) || ath != AccessTokenHash(accessToken)))
        {
            return "The DPoP proof's ath is not the hash of the access token presented.";
        }

        return null;
    }

    private static bool SameTarget(string htu, Uri url) =>
        Uri.TryCreate(htu, UriKind.Absolute, out var claimed)
        && Uri.Compare(claimed, url, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
