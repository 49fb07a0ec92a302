namespace Delegation.Scopes;

/// <summary>
/// An action pattern read in place from a permission's text: literal segments, optionally followed by a <c>*</c>
/// that stands for one or more further segments. A lone <c>*</c> is the empty literal prefix followed by that
/// wildcard. A view (nothing is stored per pattern): <see cref="Permission"/> keeps only its canonical text and the
/// lengths that locate the literals in it.
/// </summary>
internal readonly ref struct ActionPattern
{
    private const string Wildcard = "*";

    // The literal segments joined by ':' (without the trailing ":*"); empty for a lone '*'.
    private readonly ReadOnlySpan<char> literals;

    public ActionPattern(ReadOnlySpan<char> literals, int count, bool isOpen)
    {
        this.literals = literals;
        Count = count;
        IsOpen = isOpen;
    }

    /// <summary>The number of literal segments (before any <c>*</c>).</summary>
    public int Count { get; }

    /// <summary>Whether the pattern ends with <c>*</c>.</summary>
    public bool IsOpen { get; }

    /// <summary>
    /// Checks an action pattern as written; returns the reason it is invalid, or null with the number of literal
    /// segments and whether it ends with <c>*</c>.
    /// </summary>
    public static string? Check(ReadOnlySpan<char> text, out int count, out bool isOpen)
    {
        count = 0;
        isOpen = false;
        if (text.IsEmpty)
        {
            return "empty action";
        }

        var reader = new SegmentReader(text, Syntax.ActionSeparator);
        while (reader.TryNext(out var segment))
        {
            var isLast = reader.IsDone;
            var reason = CheckSegment(segment, isLast);
            if (reason is not null)
            {
                return reason;
            }

            if (isLast && segment.SequenceEqual(Wildcard))
            {
                isOpen = true;
            }
            else
            {
                count++;
            }
        }

        return null;
    }

    /// <summary>Whether the pattern allows <paramref name="action"/>, which must be a valid concrete action.</summary>
    /// <remarks>
    /// Compared as text: segments hold no <c>:</c> and a valid action has no empty segment, so equal segments are equal
    /// texts, and a prefix of whole segments is a text prefix followed by <c>:</c>.
    /// </remarks>
    public bool Matches(ReadOnlySpan<char> action)
    {
        if (!IsOpen)
        {
            return action.SequenceEqual(literals);
        }

        // An open pattern needs at least one more segment: a lone '*' takes any action.
        return literals.IsEmpty
            || (action.Length > literals.Length && action[literals.Length] == Syntax.ActionSeparator && action.StartsWith(literals));
    }

    /// <summary>Whether every action this pattern's <paramref name="child"/> allows, this pattern allows.</summary>
    public bool Covers(ActionPattern child)
    {
        // Segments hold no ':', so equal segment sequences are equal joined texts.
        if (!IsOpen)
        {
            return !child.IsOpen && literals.SequenceEqual(child.literals);
        }

        // The child's shortest action has this many segments; ours needs at least one past our literals.
        var childShortest = child.Count + (child.IsOpen ? 1 : 0);
        return childShortest > Count && StartsWithSegments(child.literals, literals);
    }

    // Whether the first segments of text are those of prefix (whole segments: "ab" does not start "abc").
    private static bool StartsWithSegments(ReadOnlySpan<char> text, ReadOnlySpan<char> prefix) =>
        prefix.IsEmpty || (text.StartsWith(prefix) && (text.Length == prefix.Length || text[prefix.Length] == Syntax.ActionSeparator));

    private static string? CheckSegment(ReadOnlySpan<char> segment, bool isLast)
    {
        if (segment.IsEmpty)
        {
            return Syntax.EmptySegment("action");
        }

        if (segment.SequenceEqual(Wildcard))
        {
            return isLast ? null : "'*' may only be the last segment of an action";
        }

        if (segment.Contains('*'))
        {
            return "'*' must be a whole action segment";
        }

        foreach (var c in segment)
        {
            if (!Syntax.IsActionChar(c))
            {
                return Syntax.InvalidCharacter(c, "action", segment.ToString());
            }
        }

        return null;
    }
}
