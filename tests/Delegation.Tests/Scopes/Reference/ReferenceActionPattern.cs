namespace Delegation.Tests.Scopes.Reference;

/// <summary>
/// The action pattern as it was compiled before patterns were read in place from the permission's text (a string
/// per literal segment): kept as the reference the compact representation is compared with.
/// </summary>
internal sealed class ReferenceActionPattern
{
    private const string Wildcard = "*";

    private readonly string[] literals;

    private ReferenceActionPattern(string[] literals, bool isOpen)
    {
        this.literals = literals;
        IsOpen = isOpen;
    }

    public bool IsOpen { get; }

    public static ReferenceActionPattern? Parse(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var segments = text.Split(':');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!IsValid(segments[i], isLast: i == segments.Length - 1))
            {
                return null;
            }
        }

        var isOpen = segments[^1] == Wildcard;
        return new ReferenceActionPattern(isOpen ? segments[..^1] : segments, isOpen);
    }

    public bool Matches(string action)
    {
        var segments = action.Split(':');
        for (var i = 0; i < literals.Length; i++)
        {
            if (i >= segments.Length || segments[i] != literals[i])
            {
                return false;
            }
        }

        return (segments.Length > literals.Length) == IsOpen;
    }

    public bool Covers(ReferenceActionPattern child)
    {
        if (!IsOpen)
        {
            return !child.IsOpen && literals.SequenceEqual(child.literals);
        }

        var childShortest = child.literals.Length + (child.IsOpen ? 1 : 0);
        return childShortest > literals.Length && child.literals.Take(literals.Length).SequenceEqual(literals);
    }

    private static bool IsValid(string segment, bool isLast) =>
        segment.Length > 0 && (segment == Wildcard ? isLast : segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'));
}
