using System.Security.Cryptography;

namespace Delegation.Grants;

/// <summary>
/// Grant ids embed their tree: a root id is <c>g_</c> followed by 16 random characters, and a delegation's id is
/// its root's id, <c>_</c>, and 10 more. Any silo can route any grant to its tree without a lookup, and a
/// store sharded by tree id (Citus, YugabyteDB) can route it too, much like an Orleans compound key.
/// </summary>
public static class GrantId
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private const int RootRandomLength = 16;
    private const int ChildRandomLength = 10;

    /// <summary>Length of a root (tree) id.</summary>
    public const int RootLength = 2 + RootRandomLength;

    /// <summary>Length of a delegation's id.</summary>
    public const int ChildLength = RootLength + 1 + ChildRandomLength;

    /// <summary>A new root grant id, which is also the new tree's id.</summary>
    public static string NewRoot() => string.Create(RootLength, 0, static (span, _) =>
    {
        span[0] = 'g';
        span[1] = '_';
        Fill(span[2..]);
    });

    /// <summary>A new delegation id inside the tree <paramref name="rootId"/>.</summary>
    public static string NewChild(string rootId) => string.Create(ChildLength, rootId, static (span, root) =>
    {
        root.AsSpan().CopyTo(span);
        span[RootLength] = '_';
        Fill(span[(RootLength + 1)..]);
    });

    /// <summary>True when <paramref name="id"/> has the shape of a grant id.</summary>
    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length is not (RootLength or ChildLength) || id[0] != 'g' || id[1] != '_')
        {
            return false;
        }

        for (var i = 2; i < id.Length; i++)
        {
            if (i == RootLength)
            {
                if (id[i] != '_')
                {
                    return false;
                }

                continue;
            }

            if (!Alphabet.Contains(id[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The tree (root grant) id of a valid grant id.</summary>
    public static string TreeOf(string id) => id.Length == RootLength ? id : id[..RootLength];

    /// <summary>True when the id names a root grant.</summary>
    public static bool IsRoot(string id) => id.Length == RootLength;

    private static void Fill(Span<char> span)
    {
        Span<byte> bytes = stackalloc byte[span.Length];
        RandomNumberGenerator.Fill(bytes);
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[bytes[i] & 31];
        }
    }
}
