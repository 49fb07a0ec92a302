namespace Delegation.Tests.Scopes.Reference;

/// <summary>
/// The resource pattern as it was compiled before patterns were read in place from the permission's text (an array
/// of positions, null for '*', a string per literal): kept as the reference the compact representation is compared with.
/// </summary>
internal sealed class ReferenceResourcePattern
{
    private readonly string?[] positions;

    private ReferenceResourcePattern(string?[] positions, bool isOpen)
    {
        this.positions = positions;
        IsOpen = isOpen;
    }

    public static ReferenceResourcePattern Everything { get; } = new([], isOpen: true);

    public bool IsOpen { get; }

    public int FixedLength => positions.Length;

    public static ReferenceResourcePattern? Parse(string text, bool acceptDotSegments)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var segments = text.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if ((!acceptDotSegments && segments[i] is "." or "..") || !IsValid(segments[i], isLast: i == segments.Length - 1))
            {
                return null;
            }
        }

        var isOpen = segments[^1] == "**";
        var fixedPart = isOpen ? segments[..^1] : segments;
        return new ReferenceResourcePattern(Array.ConvertAll(fixedPart, s => s == "*" ? null : s), isOpen);
    }

    public bool Matches(string resource)
    {
        var segments = resource.Length == 0 ? [] : resource.Split('/');
        for (var i = 0; i < positions.Length; i++)
        {
            if (i >= segments.Length || (positions[i] is { } literal && segments[i] != literal))
            {
                return false;
            }
        }

        return IsOpen || segments.Length == positions.Length;
    }

    public bool CoversPositionsOf(ReferenceResourcePattern child)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            if (positions[i] is { } mine && (i >= child.positions.Length || child.positions[i] != mine))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValid(string segment, bool isLast) =>
        segment.Length > 0 && (segment == "**" ? isLast
            : segment == "*" || segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '~' or '+' or '=' or ','));
}
