namespace Delegation.Scopes;

/// <summary>Why parsing failed, kept as data so that the Try methods need not throw.</summary>
internal sealed record ParseFailure(string Message, string Reason, string? PermissionText, int Index)
{
    /// <summary>A malformed permission; <paramref name="index"/> is 1-based, or 0 for a lone permission.</summary>
    public static ParseFailure InPermission(string reason, string? text, int index) =>
        new(Syntax.Message("permission", index, text, reason), reason, text, index);

    /// <summary>A scope that is malformed as a whole (no permissions, too many).</summary>
    public static ParseFailure InScope(string reason) => new(reason, reason, null, 0);

    public ScopeFormatException ToException() => new(Message, Reason, PermissionText, Index);
}
