namespace Delegation.Silo.OAuth;

/// <summary>What an audience (<c>audience</c> or <c>resource</c> of a token request) may be.</summary>
public static class AudienceRules
{
    /// <summary>The longest audience accepted.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// A logical name (visible ASCII, no spaces) or an absolute URI without a fragment (RFC 8707 for <c>resource</c>).
    /// </summary>
    public static bool IsValid(string? audience) =>
        !string.IsNullOrEmpty(audience)
        && audience.Length <= MaxLength
        && audience.All(c => c is > ' ' and < (char)127)
        && (!audience.Contains(':', StringComparison.Ordinal) || IsResource(audience));

    /// <summary>An absolute URI without a fragment, as RFC 8707 requires of <c>resource</c>.</summary>
    public static bool IsResource(string? resource) =>
        resource is { Length: > 0 and <= MaxLength }
        && Uri.TryCreate(resource, UriKind.Absolute, out var uri)
        && uri.Fragment.Length == 0
        && !resource.Contains('#', StringComparison.Ordinal);
}
