using System.Security.Cryptography;
using Delegation.Grants;

namespace Delegation.Grains.Budget;

/// <summary>Lease ids embed their tree id, like grant ids, so a settle routes to its tree without a lookup.</summary>
public static class LeaseId
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private const string Marker = "_l";
    private const int RandomLength = 12;

    /// <summary>A new lease id in tree <paramref name="treeId"/>.</summary>
    public static string New(string treeId)
    {
        Span<byte> bytes = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[RandomLength];
        for (var i = 0; i < RandomLength; i++)
        {
            chars[i] = Alphabet[bytes[i] & 31];
        }

        return string.Concat(treeId, Marker, chars);
    }

    /// <summary>The tree of a lease id, or false when the text is not shaped like one.</summary>
    public static bool TryGetTree(string? leaseId, out string treeId)
    {
        treeId = string.Empty;
        if (leaseId is null || leaseId.Length != GrantId.RootLength + Marker.Length + RandomLength
            || !GrantId.IsValid(leaseId.AsSpan(0, GrantId.RootLength))
            || !leaseId.AsSpan(GrantId.RootLength, Marker.Length).SequenceEqual(Marker))
        {
            return false;
        }

        treeId = leaseId[..GrantId.RootLength];
        return true;
    }
}
