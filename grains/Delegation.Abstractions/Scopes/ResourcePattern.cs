namespace Delegation.Scopes;

/// <summary>
/// A resource pattern read in place from a permission's text: fixed positions, each a literal or <c>*</c> (any one
/// segment), optionally followed by <c>**</c> (zero or more further segments). No resource at all is a lone
/// <c>**</c>: no positions, open. A view (nothing is stored per pattern): <see cref="Permission"/> keeps only its
/// canonical text and the lengths that locate the positions in it.
/// </summary>
internal readonly ref struct ResourcePattern
{
    private const string AnySegment = "*";
    private const string AnyPath = "**";

    // The fixed positions joined by '/' (without the trailing "/**"); empty when there are none.
    private readonly ReadOnlySpan<char> positions;

    public ResourcePattern(ReadOnlySpan<char> positions, int fixedLength, bool isOpen, bool hasAnySegment)
    {
        this.positions = positions;
        FixedLength = fixedLength;
        IsOpen = isOpen;
        HasAnySegment = hasAnySegment;
    }

    /// <summary>Whether the pattern ends with <c>**</c>.</summary>
    public bool IsOpen { get; }

    /// <summary>The number of positions before any <c>**</c>: the shortest path the pattern matches.</summary>
    public int FixedLength { get; }

    /// <summary>Whether some fixed position is <c>*</c>.</summary>
    public bool HasAnySegment { get; }

    /// <summary>Whether <paramref name="text"/> is the lone <c>**</c>, the same as no resource.</summary>
    public static bool IsEverything(ReadOnlySpan<char> text) => text.SequenceEqual(AnyPath);

    /// <summary>
    /// Checks the text after <c>@</c>; returns the reason it is invalid, or null with the number of fixed positions
    /// whether it ends with <c>**</c> and whether a position is <c>*</c>. <paramref name="acceptDotSegments"/> keeps a <c>.</c> or <c>..</c> segment
    /// as a literal, for scopes stored before they were refused: no valid request holds one, so such a literal
    /// matches nothing.
    /// </summary>
    public static string? Check(ReadOnlySpan<char> text, bool acceptDotSegments, out int fixedLength, out bool isOpen, out bool hasAnySegment)
    {
        fixedLength = 0;
        isOpen = false;
        hasAnySegment = false;
        if (text.IsEmpty)
        {
            return "empty resource after '@'";
        }

        var reader = new SegmentReader(text, Syntax.ResourceSeparator);
        while (reader.TryNext(out var segment))
        {
            var isLast = reader.IsDone;
            var reason = !acceptDotSegments && Syntax.IsDotSegment(segment)
                ? RequestSyntax.DotSegmentReason
                : CheckSegment(segment, isLast);
            if (reason is not null)
            {
                return reason;
            }

            if (isLast && segment.SequenceEqual(AnyPath))
            {
                isOpen = true;
            }
            else
            {
                fixedLength++;
                hasAnySegment |= IsAnySegment(segment);
            }
        }

        return null;
    }

    /// <summary>Whether the pattern allows <paramref name="resource"/>, which must be a valid concrete path.</summary>
    /// <remarks>
    /// Without a <c>*</c> position the positions are compared as text (segments hold no <c>/</c> and a valid path has
    /// no empty segment); with one, segment by segment.
    /// </remarks>
    public bool Matches(ReadOnlySpan<char> resource)
    {
        if (!HasAnySegment)
        {
            return !IsOpen ? resource.SequenceEqual(positions)
                : positions.IsEmpty || (resource.StartsWith(positions) && (resource.Length == positions.Length || resource[positions.Length] == Syntax.ResourceSeparator));
        }

        var pattern = new SegmentReader(positions, Syntax.ResourceSeparator);
        var reader = new SegmentReader(resource, Syntax.ResourceSeparator);
        while (pattern.TryNext(out var position))
        {
            if (!reader.TryNext(out var segment) || (!IsAnySegment(position) && !segment.SequenceEqual(position)))
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
        var mine = new SegmentReader(positions, Syntax.ResourceSeparator);
        var theirs = new SegmentReader(child.positions, Syntax.ResourceSeparator);
        while (mine.TryNext(out var position))
        {
            // Read the child's position first, so that both walk in step. A '*' of the child equals no literal of ours.
            var childHas = theirs.TryNext(out var childPosition);
            if (!IsAnySegment(position) && !(childHas && childPosition.SequenceEqual(position)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAnySegment(ReadOnlySpan<char> position) => position.Length == 1 && position[0] == '*';

    private static string? CheckSegment(ReadOnlySpan<char> segment, bool isLast)
    {
        if (segment.IsEmpty)
        {
            return Syntax.EmptySegment("resource");
        }

        if (segment.SequenceEqual(AnyPath))
        {
            return isLast ? null : "'**' may only be the last segment of a resource";
        }

        if (IsAnySegment(segment))
        {
            return null;
        }

        if (segment.Contains('*'))
        {
            return "'*' must be a whole resource segment ('*' or '**')";
        }

        foreach (var c in segment)
        {
            if (!Syntax.IsResourceChar(c))
            {
                return Syntax.InvalidCharacter(c, "resource", segment.ToString());
            }
        }

        return null;
    }
}
