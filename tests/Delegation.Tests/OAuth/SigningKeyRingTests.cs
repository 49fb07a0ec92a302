using Delegation.Api;
using Delegation.Grants;
using Delegation.Silo.OAuth;
using Delegation.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Delegation.Tests.OAuth;

/// <summary>The signing key ring: derived keys shared by every silo with the secret, and rotation that outlives tokens.</summary>
public sealed class SigningKeyRingTests
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(6);

    [Fact]
    public void Two_silos_with_one_secret_sign_with_and_publish_the_same_keys_and_another_secret_gives_others()
    {
        var time = new ManualTimeProvider();
        var a = new SigningKeyRing(Secret, Period, time);
        var b = new SigningKeyRing((byte[])Secret.Clone(), Period, time);
        var other = new SigningKeyRing([.. Secret.Reverse()], Period, time);

        Assert.Equal(a.Published.Select(k => k.KeyId), b.Published.Select(k => k.KeyId));
        Assert.Equal(a.Current.KeyId, b.Current.KeyId);
        Assert.Empty(a.Published.Select(k => k.KeyId).Intersect(other.Published.Select(k => k.KeyId)));
        Assert.Equal(3, a.Published.Select(k => k.KeyId).Distinct().Count());
    }

    [Fact]
    public async Task A_token_signed_just_before_a_rotation_verifies_after_it_until_its_key_leaves_the_jwks()
    {
        // Thirty seconds before the end of a period, so the token's five minutes run into the next one.
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(((1_900_000_000 / 360) + 1) * 360 - 30));
        var ring = new SigningKeyRing(Secret, Period, time);
        var tokens = new AccessTokens(ring, Options.Create(new OAuthOptions { KeyRotationPeriod = Period }), time);
        var issued = tokens.Issue("https://authority.test", Chain(time.GetUtcNow().AddHours(1)), ["tools"]);
        var signer = ring.Current.KeyId;

        time.Advance(TimeSpan.FromMinutes(2));
        var afterRotation = await tokens.ValidateAsync(issued.Token, checkLifetime: true);
        var rotated = ring.Current.KeyId;
        time.Advance(TimeSpan.FromMinutes(4));
        var expired = await tokens.ValidateAsync(issued.Token, checkLifetime: true);
        time.Advance(TimeSpan.FromMinutes(6));
        var keyGone = await tokens.ValidateAsync(issued.Token, checkLifetime: false);

        Assert.NotEqual(signer, rotated);
        Assert.Equal("g_aaaaaaaaaaaaaaaa", afterRotation?.GrantId);
        Assert.Null(expired);
        Assert.Null(keyGone);
        Assert.DoesNotContain(signer, ring.Published.Select(k => k.KeyId));
    }

    [Fact]
    public void A_tokens_expiry_never_passes_its_grants()
    {
        var time = new ManualTimeProvider();
        var ring = new SigningKeyRing(Secret, Period, time);
        var tokens = new AccessTokens(ring, Options.Create(new OAuthOptions()), time);
        var grantExpiry = time.GetUtcNow().AddSeconds(42);

        var issued = tokens.Issue("https://authority.test", Chain(grantExpiry), ["tools"]);

        Assert.Equal(grantExpiry.ToUnixTimeSeconds(), issued.ExpiresAt.ToUnixTimeSeconds());
    }

    private static ChainResponse Chain(DateTimeOffset expiresAt)
    {
        var record = new GrantRecord("g_aaaaaaaaaaaaaaaa", null, "g_aaaaaaaaaaaaaaaa", 0, "alice", "support-bot", ["tickets:*"], null, expiresAt, 8, null, expiresAt.AddHours(-1), new string('0', 64));
        return new ChainResponse(record.Id, record.Id, 1, [new ChainLink(record, GrantStatus.Active, 0, 0)]);
    }
}
