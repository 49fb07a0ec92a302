using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Delegation.Grants;

/// <summary>
/// Grant tokens are <c>dgt_&lt;grantId&gt;.&lt;secret&gt;</c>: the holder's bearer credential. The secret is 256 random
/// bits in base64url; only its SHA-256 is stored, so an enforcer that knows the hash verifies a token locally.
/// </summary>
public static class GrantToken
{
    /// <summary>The prefix every grant token starts with.</summary>
    public const string Prefix = "dgt_";

    private const int SecretBytes = 32;

    /// <summary>Creates a token for <paramref name="grantId"/> and returns it with the hash to store.</summary>
    public static (string Token, string Hash) Issue(string grantId)
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var secretText = Base64Url.EncodeToString(secret);
        return (Prefix + grantId + "." + secretText, HashSecret(secretText));
    }

    /// <summary>
    /// Splits a token into its grant id and secret. False for anything that is not shaped like a token;
    /// says nothing about whether the secret is right.
    /// </summary>
    public static bool TryParse(string? token, out string grantId, out string secret)
    {
        grantId = string.Empty;
        secret = string.Empty;
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var dot = token.IndexOf('.', Prefix.Length);
        if (dot < 0 || dot == token.Length - 1)
        {
            return false;
        }

        var id = token.AsSpan(Prefix.Length, dot - Prefix.Length);
        if (!GrantId.IsValid(id))
        {
            return false;
        }

        grantId = id.ToString();
        secret = token[(dot + 1)..];
        return secret.Length <= 128;
    }

    /// <summary>SHA-256 of the secret's UTF-8 bytes, lower-case hex.</summary>
    public static string HashSecret(string secret)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Compares the secret against a stored hash in time independent of where they differ.</summary>
    public static bool Verify(string secret, string storedHash)
    {
        Span<byte> actual = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), actual);
        Span<byte> expected = stackalloc byte[32];
        if (storedHash.Length != 64 || Convert.FromHexString(storedHash, expected, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
