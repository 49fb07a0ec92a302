using System.Security.Cryptography;
using Delegation.Grants;

namespace Delegation.Grains.Budget;

/// <summary>Lease ids embed their tree id, like grant ids, so a settle routes to its tree without a lookup.</summary>
public static class LeaseId
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private const string Marker = "_l";
    private const string SiloMarker = "_s";
    private const int RandomLength = 12;

    /// <summary>
    /// A new lease id in tree <paramref name="treeId"/>. Leases a silo holds (and spends from in memory) are
    /// marked so that nobody else can settle them through the API.
    /// </summary>
    public static string New(string treeId, bool siloHeld = false)
    {
        Span<byte> bytes = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[RandomLength];
        for (var i = 0; i < RandomLength; i++)
        {
            chars[i] = Alphabet[bytes[i] & 31];
        }

        return string.Concat(treeId, siloHeld ? SiloMarker : Marker, chars);
    }

    /// <summary>True for the id of a lease a silo holds.</summary>
    public static bool IsSiloHeld(string leaseId) =>
        leaseId.Length > GrantId.RootLength + SiloMarker.Length && leaseId.AsSpan(GrantId.RootLength, SiloMarker.Length).SequenceEqual(SiloMarker);

    /// <summary>The tree of a lease id, or false when the text is not shaped like one.</summary>
    public static bool TryGetTree(string? leaseId, out string treeId)
    {
        treeId = string.Empty;
        if (leaseId is null || leaseId.Length != GrantId.RootLength + Marker.Length + RandomLength
            || !GrantId.IsValid(leaseId.AsSpan(0, GrantId.RootLength))
            || !(leaseId.AsSpan(GrantId.RootLength, Marker.Length).SequenceEqual(Marker) || leaseId.AsSpan(GrantId.RootLength, SiloMarker.Length).SequenceEqual(SiloMarker)))
        {
            return false;
        }

        treeId = leaseId[..GrantId.RootLength];
        return true;
    }
}
