using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Delegation.Silo.OAuth;

/// <summary>
/// The ES256 keys access tokens are signed with, one per rotation period, each derived from the signing secret
/// (HKDF-SHA256 over the period's number, rejection-sampled to a P-256 private scalar). Every silo with the same
/// secret and clock derives the same keys, so a cluster signs with and publishes the same keys with nothing stored
/// beyond the secret. The JWKS publishes the previous period's key (its tokens are still alive: a token lives at most
/// one period), the current one and the next (so verifiers have it before the first token it signs).
/// </summary>
public sealed class SigningKeyRing
{
    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("delegation/oauth/es256-signing-key");

    // The order n of P-256; a private scalar must be in [1, n - 1].
    private static readonly byte[] CurveOrder = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    private readonly byte[]? _secret;
    private readonly long _periodSeconds;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, SigningKey> _keys = new();

    /// <summary>A ring over <paramref name="secret"/>; null when no secret is configured (then nothing can be signed).</summary>
    public SigningKeyRing(byte[]? secret, TimeSpan period, TimeProvider time)
    {
        _secret = secret;
        _periodSeconds = (long)period.TotalSeconds;
        _time = time;
    }

    /// <summary>False when the silo has no signing secret (a shared store without <c>Delegation:OAuth:SigningSecret</c>).</summary>
    public bool IsConfigured => _secret is not null;

    /// <summary>The key that signs now.</summary>
    public SigningKey Current => For(CurrentEpoch);

    /// <summary>The keys the JWKS publishes: previous, current and next period's.</summary>
    public IReadOnlyList<SigningKey> Published
    {
        get
        {
            if (!IsConfigured)
            {
                return [];
            }

            var epoch = CurrentEpoch;
            foreach (var old in _keys.Keys.Where(e => e < epoch - 1))
            {
                _keys.TryRemove(old, out _);
            }

            return [For(epoch - 1), For(epoch), For(epoch + 1)];
        }
    }

    private long CurrentEpoch => _time.GetUtcNow().ToUnixTimeSeconds() / _periodSeconds;

    private SigningKey For(long epoch) => _keys.GetOrAdd(epoch, Derive);

    private SigningKey Derive(long epoch)
    {
        var secret = _secret ?? throw new InvalidOperationException("No signing secret is configured.");
        for (var attempt = 0; ; attempt++)
        {
            var info = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"epoch/{epoch}/{attempt}"));
            var d = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, Salt, info);
            if (!IsValidScalar(d))
            {
                continue;
            }

            var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            var publicOnly = ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false));
            var verifying = new ECDsaSecurityKey(publicOnly);
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(verifying);
            var kid = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
            jwk.Kid = kid;
            jwk.Use = "sig";
            jwk.Alg = SecurityAlgorithms.EcdsaSha256;
            verifying.KeyId = kid;
            return new SigningKey(epoch, kid, new ECDsaSecurityKey(ecdsa) { KeyId = kid }, verifying, jwk);
        }
    }

    private static bool IsValidScalar(ReadOnlySpan<byte> d) =>
        d.IndexOfAnyExcept((byte)0) >= 0 && d.SequenceCompareTo(CurveOrder) < 0;
}
