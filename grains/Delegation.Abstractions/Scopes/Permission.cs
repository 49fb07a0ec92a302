using System.Diagnostics.CodeAnalysis;

namespace Delegation.Scopes;

/// <summary>
/// One permission <c>action[@resource]</c>, compiled at parse time so that matching a request walks spans
/// and allocates nothing.
/// </summary>
/// <remarks>
/// Action: <c>:</c>-separated segments; a final <c>*</c> matches one or more segments and a lone <c>*</c>
/// matches every action. Resource: <c>/</c>-separated segments; <c>*</c> matches exactly one segment and a
/// final <c>**</c> matches zero or more. No resource means <c>**</c>. Matching is case-sensitive.
/// Segments are non-empty; action segments hold ASCII letters, digits and <c>_ - .</c>, resource segments
/// also <c>: ~ + = ,</c>. Errors read <c>permission ('text'): reason</c>, or
/// <c>permission N ('text'): reason</c> (1-based) when parsed as part of a <see cref="Scope"/>.
/// </remarks>
public sealed class Permission : IEquatable<Permission>
{
    /// <summary>The longest permission text accepted, in characters.</summary>
    public const int MaxLength = 512;

    private readonly string canonical;

    private Permission(string action, string? resource, ActionPattern actionPattern, ResourcePattern resourcePattern)
    {
        Action = action;
        Resource = resource;
        ActionPattern = actionPattern;
        ResourcePattern = resourcePattern;
        canonical = resource is null || ResourcePattern.IsEverything(resource) ? action : $"{action}{Syntax.ResourceMarker}{resource}";
    }

    /// <summary>The action pattern as written, e.g. <c>tickets:*</c>.</summary>
    public string Action { get; }

    /// <summary>The resource pattern as written after <c>@</c>, or null when the permission has none.</summary>
    public string? Resource { get; }

    internal ActionPattern ActionPattern { get; }

    internal ResourcePattern ResourcePattern { get; }

    /// <summary>Parses one permission.</summary>
    /// <param name="text">The permission, e.g. <c>tickets:read@projects/*/tickets/**</c>.</param>
    /// <returns>The permission.</returns>
    /// <exception cref="ScopeFormatException">The text is not a valid permission.</exception>
    public static Permission Parse(string text) =>
        TryParse(text, 0, out var permission, out var failure) ? permission : throw failure.ToException();

    /// <summary>Parses one permission without throwing.</summary>
    /// <param name="text">The permission text.</param>
    /// <param name="permission">The permission, when the text is valid.</param>
    /// <param name="error">The user-facing error, when it is not.</param>
    /// <returns>Whether the text is a valid permission.</returns>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out Permission? permission,
        [NotNullWhen(false)] out string? error)
    {
        var parsed = TryParse(text, 0, out permission, out var failure);
        error = failure?.Message;
        return parsed;
    }

    /// <summary>
    /// Whether this permission allows a concrete request. A request that is not concrete and valid (see
    /// <see cref="RequestSyntax"/>) is never allowed. Allocates nothing.
    /// </summary>
    /// <param name="action">The concrete action, e.g. <c>tickets:read</c>.</param>
    /// <param name="resource">The concrete resource path; empty for none (the empty path).</param>
    /// <returns>Whether the request is allowed.</returns>
    public bool Matches(ReadOnlySpan<char> action, ReadOnlySpan<char> resource) =>
        RequestSyntax.IsValidAction(action) && RequestSyntax.IsValidResource(resource) && MatchesValid(action, resource);

    /// <summary>Whether this permission alone allows every request <paramref name="child"/> allows.</summary>
    /// <param name="child">The narrower permission.</param>
    /// <returns>Whether this permission covers <paramref name="child"/>.</returns>
    public bool Covers(Permission child)
    {
        ArgumentNullException.ThrowIfNull(child);
        return Coverage.UnionCovers([this], child);
    }

    /// <summary>
    /// The canonical text: as written, except that a resource of <c>**</c> is dropped (it means the same
    /// as none). Two permissions are equal iff their canonical texts are, iff they allow the same requests.
    /// </summary>
    /// <returns>The canonical text.</returns>
    public override string ToString() => canonical;

    /// <inheritdoc />
    public bool Equals(Permission? other) => other is not null && string.Equals(canonical, other.canonical, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Permission);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(canonical);

    internal static bool TryParse(
        string? text,
        int index,
        [NotNullWhen(true)] out Permission? permission,
        [NotNullWhen(false)] out ParseFailure? failure,
        bool acceptDotSegments = false)
    {
        var reason = Compile(text, acceptDotSegments, out permission);
        failure = reason is null ? null : ParseFailure.InPermission(reason, text, index);
        return permission is not null;
    }

    internal bool MatchesValid(ReadOnlySpan<char> action, ReadOnlySpan<char> resource) =>
        ActionPattern.Matches(action) && ResourcePattern.Matches(resource);

    private static string? Compile(string? text, bool acceptDotSegments, out Permission? permission)
    {
        permission = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "empty permission";
        }

        if (text.Length > MaxLength)
        {
            return $"longer than {MaxLength} characters";
        }

        var at = text.IndexOf(Syntax.ResourceMarker);
        if (at >= 0 && text.IndexOf(Syntax.ResourceMarker, at + 1) >= 0)
        {
            return "more than one '@'";
        }

        var action = at < 0 ? text : text[..at];
        var resource = at < 0 ? null : text[(at + 1)..];
        var actionPattern = ActionPattern.Parse(action, out var reason);
        if (actionPattern is null)
        {
            return reason;
        }

        var resourcePattern = resource is null ? ResourcePattern.Everything : ResourcePattern.Parse(resource, out reason, acceptDotSegments);
        if (resourcePattern is null)
        {
            return reason;
        }

        permission = new Permission(action, resource, actionPattern, resourcePattern);
        return null;
    }
}
