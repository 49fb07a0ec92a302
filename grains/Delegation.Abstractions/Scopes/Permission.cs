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

    private const string EveryPath = "**";

    // A tree grain holds a permission per grant and scope entry, so this type is paid a million times in a large silo:
    // it keeps only its canonical text (the very string it was parsed from whenever that text is canonical, which the
    // scope texts a grant record holds are) and the lengths that locate its patterns in it. The patterns are read in
    // place from the text (ActionPattern, ResourcePattern), which allocates nothing. Fits 32 bytes with the header.
    private readonly string canonical;
    private readonly ushort actionLength;
    private readonly ushort actionCount;
    private readonly ushort resourceFixedLength;
    private readonly Shape shape;

    private Permission(string canonical, int actionLength, int actionCount, int resourceFixedLength, Shape shape)
    {
        this.canonical = canonical;
        this.actionLength = (ushort)actionLength;
        this.actionCount = (ushort)actionCount;
        this.resourceFixedLength = (ushort)resourceFixedLength;
        this.shape = shape;
    }

    [Flags]
    private enum Shape : byte
    {
        None = 0,

        /// <summary>The action ends with <c>*</c>.</summary>
        ActionOpen = 1,

        /// <summary>The resource ends with <c>**</c> (so does no resource at all).</summary>
        ResourceOpen = 2,

        /// <summary>The resource was written as a lone <c>**</c>, which the canonical text drops.</summary>
        WrittenEveryPath = 4,

        /// <summary>Some fixed position of the resource is <c>*</c>.</summary>
        ResourceAnySegment = 8,
    }

    /// <summary>The action pattern as written, e.g. <c>tickets:*</c>. Cut from the canonical text on each call.</summary>
    public string Action => actionLength == canonical.Length ? canonical : canonical[..actionLength];

    /// <summary>
    /// The resource pattern as written after <c>@</c>, or null when the permission has none. Cut from the canonical
    /// text on each call.
    /// </summary>
    public string? Resource =>
        (shape & Shape.WrittenEveryPath) != 0 ? EveryPath
        : actionLength == canonical.Length ? null
        : canonical[(actionLength + 1)..];

    internal ActionPattern ActionPattern
    {
        get
        {
            var isOpen = (shape & Shape.ActionOpen) != 0;

            // An open action drops its final "*" and the ':' before it (a lone '*' has no literals).
            var literals = !isOpen ? actionLength : actionCount == 0 ? 0 : actionLength - 2;
            return new(canonical.AsSpan(0, literals), actionCount, isOpen);
        }
    }

    internal ResourcePattern ResourcePattern
    {
        get
        {
            var isOpen = (shape & Shape.ResourceOpen) != 0;
            var resource = actionLength == canonical.Length ? [] : canonical.AsSpan(actionLength + 1);

            // An open resource drops its final "**" and the '/' before it (the canonical text has no lone "**").
            return new(isOpen && !resource.IsEmpty ? resource[..^3] : resource, resourceFixedLength, isOpen, (shape & Shape.ResourceAnySegment) != 0);
        }
    }

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

        var action = at < 0 ? text.AsSpan() : text.AsSpan(0, at);
        var reason = ActionPattern.Check(action, out var actionCount, out var actionOpen);
        if (reason is not null)
        {
            return reason;
        }

        var shape = actionOpen ? Shape.ActionOpen : Shape.None;
        var resourceFixedLength = 0;
        if (at < 0)
        {
            shape |= Shape.ResourceOpen;
        }
        else
        {
            reason = ResourcePattern.Check(text.AsSpan(at + 1), acceptDotSegments, out resourceFixedLength, out var resourceOpen, out var anySegment);
            if (reason is not null)
            {
                return reason;
            }

            shape |= (resourceOpen ? Shape.ResourceOpen : Shape.None) | (anySegment ? Shape.ResourceAnySegment : Shape.None);
            if (ResourcePattern.IsEverything(text.AsSpan(at + 1)))
            {
                shape |= Shape.WrittenEveryPath;
            }
        }

        // The text given is kept when it is canonical; only "action@**" is cut to its action.
        var canonical = (shape & Shape.WrittenEveryPath) != 0 ? text[..at] : text;
        permission = new Permission(canonical, action.Length, actionCount, resourceFixedLength, shape);
        return null;
    }
}
