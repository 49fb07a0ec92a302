namespace Delegation.Client;

/// <summary>What a bearer credential must look like, shared by the client and its options validator.</summary>
internal static class CredentialRules
{
    /// <summary>Null when <paramref name="credential"/> is usable, else why not. Never echoes the credential.</summary>
    public static string? Problem(string? credential)
    {
        if (string.IsNullOrWhiteSpace(credential))
        {
            return "A credential is required: an admin, issuer or enforcer key, or a grant token (dgt_...).";
        }

        // Whitespace or control characters would break (or smuggle into) the Authorization header.
        foreach (var c in credential)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "The credential must not contain whitespace or control characters; give it without the 'Bearer ' prefix.";
            }
        }

        return null;
    }

    public static string EnsureValid(string? credential) =>
        Problem(credential) is { } problem ? throw new ArgumentException(problem, nameof(credential)) : credential!;
}
