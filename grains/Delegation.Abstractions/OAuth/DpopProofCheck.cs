namespace Delegation.OAuth;

/// <summary>What checking a DPoP proof found.</summary>
/// <param name="Thumbprint">The RFC 7638 thumbprint of the proof's key (base64url), when valid.</param>
/// <param name="JwtId">The proof's <c>jti</c>, when valid (for the replay cache).</param>
/// <param name="Error">Why it is not valid, for people; null when valid.</param>
public readonly record struct DpopProofCheck(string? Thumbprint, string? JwtId, string? Error)
{
    /// <summary>True when the proof is valid.</summary>
    public bool IsValid => Error is null;

    internal static DpopProofCheck Invalid(string error) => new(null, null, error);
}
