using System.Security.Cryptography;
using Delegation.Grants;

namespace Delegation.Grains.Approvals;

/// <summary>Approval request ids embed their tree id, like grant and lease ids, so a decision routes to its tree without a lookup.</summary>
public static class ApprovalId
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private const string Marker = "_a";
    private const int RandomLength = 16;

    /// <summary>A new, unguessable approval request id in tree <paramref name="treeId"/>.</summary>
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

    /// <summary>The tree of an approval id, or false when the text is not shaped like one.</summary>
    public static bool TryGetTree(string? approvalId, out string treeId)
    {
        treeId = string.Empty;
        if (approvalId is null || approvalId.Length != GrantId.RootLength + Marker.Length + RandomLength
            || !GrantId.IsValid(approvalId.AsSpan(0, GrantId.RootLength))
            || !approvalId.AsSpan(GrantId.RootLength, Marker.Length).SequenceEqual(Marker))
        {
            return false;
        }

        foreach (var c in approvalId.AsSpan(GrantId.RootLength + Marker.Length))
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        treeId = approvalId[..GrantId.RootLength];
        return true;
    }
}
