namespace Delegation.Scopes;

/// <summary>
/// A compiled action pattern: literal segments, optionally followed by a <c>*</c> that stands for one or
/// more further segments. A lone <c>*</c> is the empty literal prefix followed by that wildcard.
/// </summary>
internal sealed class ActionPattern
{
    private const string Wildcard = "*";

    private readonly string[] literals;

    private ActionPattern(string[] literals, bool isOpen)
    {
        this.literals = literals;
        IsOpen = isOpen;
    }

    /// <summary>Whether the pattern ends with <c>*</c>.</summary>
    public bool IsOpen { get; }

    /// <summary>Parses <paramref name="text"/>; on failure returns null and the reason.</summary>
    public static ActionPattern? Parse(string text, out string? reason)
    {
        if (text.Length == 0)
        {
            reason = "empty action";
            return null;
        }

        var segments = text.Split(Syntax.ActionSeparator);
        for (var i = 0; i < segments.Length; i++)
        {
            reason = Check(segments[i], isLast: i == segments.Length - 1);
            if (reason is not null)
            {
                return null;
            }
        }

        reason = null;
        var isOpen = segments[^1] == Wildcard;
        return new ActionPattern(isOpen ? segments[..^1] : segments, isOpen);
    }

    /// <summary>Whether the pattern allows <paramref name="action"/>, which must be a valid concrete action.</summary>
    public bool Matches(ReadOnlySpan<char> action)
    {
        var reader = new SegmentReader(action, Syntax.ActionSeparator);
        foreach (var literal in literals)
        {
            if (!reader.TryNext(out var segment) || !segment.SequenceEqual(literal))
            {
                return false;
            }
        }

        // An open pattern needs at least one more segment; a closed one needs none.
        return reader.TryNext(out _) == IsOpen;
    }

    /// <summary>Whether every action this pattern's <paramref name="child"/> allows, this pattern allows.</summary>
    public bool Covers(ActionPattern child)
    {
        if (!IsOpen)
        {
            return !child.IsOpen && literals.AsSpan().SequenceEqual(child.literals);
        }

        // The child's shortest action has this many segments; ours needs at least one past our literals.
        var childShortest = child.literals.Length + (child.IsOpen ? 1 : 0);
        return childShortest > literals.Length && child.literals.AsSpan(0, literals.Length).SequenceEqual(literals);
    }

    private static string? Check(string segment, bool isLast)
    {
        if (segment.Length == 0)
        {
            return Syntax.EmptySegment("action");
        }

        if (segment == Wildcard)
        {
            return isLast ? null : "'*' may only be the last segment of an action";
        }

        if (segment.Contains('*', StringComparison.Ordinal))
        {
            return "'*' must be a whole action segment";
        }

        foreach (var c in segment)
        {
            if (!Syntax.IsActionChar(c))
            {
                return Syntax.InvalidCharacter(c, "action", segment);
            }
        }

        return null;
    }
}
