namespace Delegation.Scopes;

/// <summary>
/// A compiled resource pattern: fixed positions, each a literal or <c>*</c> (any one segment), optionally
/// followed by <c>**</c> (zero or more further segments). No resource at all compiles to a lone <c>**</c>.
/// </summary>
internal sealed class ResourcePattern
{
    private const string AnySegment = "*";
    private const string AnyPath = "**";

    // A null entry is a '*' position; every other entry is a literal.
    private readonly string?[] positions;

    private ResourcePattern(string?[] positions, bool isOpen)
    {
        this.positions = positions;
        IsOpen = isOpen;
    }

    /// <summary>The pattern that matches every path, the meaning of a permission without a resource.</summary>
    public static ResourcePattern Everything { get; } = new([], isOpen: true);

    /// <summary>Whether the pattern ends with <c>**</c>.</summary>
    public bool IsOpen { get; }

    /// <summary>The number of positions before any <c>**</c>: the shortest path the pattern matches.</summary>
    public int FixedLength => positions.Length;

    /// <summary>Whether <paramref name="text"/> is the lone <c>**</c>, the same as no resource.</summary>
    public static bool IsEverything(string text) => text == AnyPath;

    /// <summary>
    /// Parses the text after <c>@</c>; on failure returns null and the reason. <paramref name="acceptDotSegments"/>
    /// keeps a <c>.</c> or <c>..</c> segment as a literal, for scopes stored before they were refused: no valid
    /// request holds one, so such a literal matches nothing.
    /// </summary>
    public static ResourcePattern? Parse(string text, out string? reason, bool acceptDotSegments = false)
    {
        if (text.Length == 0)
        {
            reason = "empty resource after '@'";
            return null;
        }

        var segments = text.Split(Syntax.ResourceSeparator);
        for (var i = 0; i < segments.Length; i++)
        {
            reason = !acceptDotSegments && Syntax.IsDotSegment(segments[i])
                ? RequestSyntax.DotSegmentReason
                : Check(segments[i], isLast: i == segments.Length - 1);
            if (reason is not null)
            {
                return null;
            }
        }

        reason = null;
        var isOpen = segments[^1] == AnyPath;
        var fixedPart = isOpen ? segments[..^1] : segments;
        var compiled = Array.ConvertAll(fixedPart, s => s == AnySegment ? null : s);
        return new ResourcePattern(compiled, isOpen);
    }

    /// <summary>Whether the pattern allows <paramref name="resource"/>, which must be a valid concrete path.</summary>
    public bool Matches(ReadOnlySpan<char> resource)
    {
        var reader = new SegmentReader(resource, Syntax.ResourceSeparator);
        foreach (var position in positions)
        {
            if (!reader.TryNext(out var segment) || (position is not null && !segment.SequenceEqual(position)))
            {
                return false;
            }
        }

        return IsOpen || !reader.TryNext(out _);
    }

    /// <summary>
    /// Whether, at every one of this pattern's fixed positions, it allows everything <paramref name="child"/>
    /// allows there: this position is <c>*</c>, or both are the same literal. The child's positions past
    /// its own fixed part are generic (any segment), so only a <c>*</c> here covers them.
    /// </summary>
    public bool CoversPositionsOf(ResourcePattern child)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            var mine = positions[i];
            if (mine is not null && (i >= child.positions.Length || child.positions[i] != mine))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Check(string segment, bool isLast)
    {
        if (segment.Length == 0)
        {
            return Syntax.EmptySegment("resource");
        }

        if (segment == AnyPath)
        {
            return isLast ? null : "'**' may only be the last segment of a resource";
        }

        if (segment == AnySegment)
        {
            return null;
        }

        if (segment.Contains('*', StringComparison.Ordinal))
        {
            return "'*' must be a whole resource segment ('*' or '**')";
        }

        foreach (var c in segment)
        {
            if (!Syntax.IsResourceChar(c))
            {
                return Syntax.InvalidCharacter(c, "resource", segment);
            }
        }

        return null;
    }
}
