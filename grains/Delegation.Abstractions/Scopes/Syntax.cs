using System.Globalization;
using System.Text;

namespace Delegation.Scopes;

/// <summary>
/// The character rules shared by permission patterns and concrete requests, and the wording of every
/// error they produce. The wording is returned to users verbatim, so it lives in one place.
/// </summary>
internal static class Syntax
{
    public const char ActionSeparator = ':';
    public const char ResourceSeparator = '/';
    public const char ResourceMarker = '@';

    private const int MaxQuotedLength = 64;

    // ASCII only on purpose: Unicode letters bring look-alikes and normalization forms that would let two
    // permissions that read the same match different requests.
    public static bool IsActionChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    public static bool IsResourceChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '~' or '+' or '=' or ',';

    public static string EmptySegment(string part) => $"empty {part} segment";

    /// <summary>Whether a resource segment is '.' or '..', which a path normalizer would remove or climb over.</summary>
    public static bool IsDotSegment(ReadOnlySpan<char> segment) => segment is "." or "..";

    public static string InvalidCharacter(char c, string part, string segment) =>
        $"invalid character {Character(c)} in {part} segment {Quote(segment)}";

    /// <summary>Formats <c>noun[ index][ ('text')]: reason</c>, the one shape of every error message.</summary>
    public static string Message(string noun, int index, string? text, string reason)
    {
        var builder = new StringBuilder(noun);
        if (index > 0)
        {
            builder.Append(' ').Append(index.ToString(CultureInfo.InvariantCulture));
        }

        if (text is not null)
        {
            builder.Append(" (").Append(Quote(text)).Append(')');
        }

        return builder.Append(": ").Append(reason).ToString();
    }

    /// <summary>
    /// Quotes user input for an error message: truncated, so that a huge input cannot bloat a response or a
    /// log line, and with control characters escaped, so that it cannot forge one.
    /// </summary>
    public static string Quote(string text)
    {
        var shown = text.Length > MaxQuotedLength ? text.AsSpan(0, MaxQuotedLength) : text.AsSpan();
        var builder = new StringBuilder(shown.Length + 5).Append('\'');
        foreach (var c in shown)
        {
            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append('\'');
        return text.Length > MaxQuotedLength ? builder.Append("...").ToString() : builder.ToString();
    }

    private static string Character(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || (char.IsWhiteSpace(c) && c != ' ')
            ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")
            : $"'{c}'";
}
