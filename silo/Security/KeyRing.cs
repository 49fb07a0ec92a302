using System.Security.Cryptography;
using System.Text;

namespace Delegation.Silo.Security;

/// <summary>
/// The configured keys, kept only as SHA-256 hashes and compared in fixed time. Every key is compared on every
/// lookup, so the time taken does not tell which role (if any) a presented key nearly matched.
/// </summary>
public sealed class KeyRing
{
    private readonly List<(byte[] Hash, CallerRole Role)> _keys = [];

    /// <summary>Adds a key for a role.</summary>
    public void Add(string key, CallerRole role) => _keys.Add((Hash(key), role));

    /// <summary>The role of <paramref name="presented"/>, or null when it matches no key.</summary>
    public CallerRole? Find(string presented)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        CallerRole? found = null;
        foreach (var (keyHash, role) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                found = role;
            }
        }

        return found;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
