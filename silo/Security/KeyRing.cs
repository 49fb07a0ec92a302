using System.Security.Cryptography;
using System.Text;

namespace Delegation.Silo.Security;

/// <summary>
/// The configured keys, kept only as SHA-256 hashes and compared in fixed time. Every key is compared on every
/// lookup, so the time taken does not tell which role (if any) a presented key nearly matched.
/// </summary>
public sealed class KeyRing
{
    // A credential longer than this is no key of ours (keys are tens of characters); it is hashed from the heap.
    private const int StackLimit = 256;

    private readonly List<(byte[] Hash, CallerRole Role)> _keys = [];

    /// <summary>Adds a key for a role.</summary>
    public void Add(string key, CallerRole role) => _keys.Add((SHA256.HashData(Encoding.UTF8.GetBytes(key)), role));

    /// <summary>The role of <paramref name="presented"/>, or null when it matches no key.</summary>
    public CallerRole? Find(ReadOnlySpan<char> presented)
    {
        var byteCount = Encoding.UTF8.GetByteCount(presented);
        Span<byte> utf8 = byteCount <= StackLimit ? stackalloc byte[StackLimit] : new byte[byteCount];
        utf8 = utf8[..Encoding.UTF8.GetBytes(presented, utf8)];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, hash);
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
}
