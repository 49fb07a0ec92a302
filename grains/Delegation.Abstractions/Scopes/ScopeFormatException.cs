namespace Delegation.Scopes;

/// <summary>
/// A permission or a scope is malformed. <see cref="Exception.Message"/> is the exact user-facing error,
/// e.g. <c>permission 2 ('tickets:*:read'): '*' may only be the last segment of an action</c>.
/// </summary>
public sealed class ScopeFormatException : FormatException
{
    /// <summary>Creates the exception for a malformed permission or scope.</summary>
    /// <param name="message">The user-facing error.</param>
    /// <param name="reason">What is wrong, without saying where.</param>
    /// <param name="permissionText">The offending permission text, or null.</param>
    /// <param name="index">The 1-based position of the offending permission, or 0.</param>
    public ScopeFormatException(string message, string reason, string? permissionText, int index)
        : base(message)
    {
        Reason = reason;
        PermissionText = permissionText;
        Index = index;
    }

    /// <summary>What is wrong, without saying where, e.g. <c>empty resource segment</c>.</summary>
    public string Reason { get; }

    /// <summary>
    /// The offending permission exactly as given (not truncated, unlike in the message); null when the
    /// entry was null or the error concerns the scope as a whole.
    /// </summary>
    public string? PermissionText { get; }

    /// <summary>
    /// The 1-based position of the offending permission in the scope, as in the message; 0 when the error
    /// concerns the scope as a whole or a permission parsed on its own.
    /// </summary>
    public int Index { get; }
}
