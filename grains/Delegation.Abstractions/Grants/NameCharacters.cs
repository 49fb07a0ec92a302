using System.Buffers;
using System.Globalization;
using System.Text;

namespace Delegation.Grants;

/// <summary>
/// Characters that make a name read as something it is not: controls, invisible format characters (zero-width
/// spaces and joiners, bidirectional overrides and isolates, the byte order mark), line and paragraph separators,
/// whitespace other than the plain space, and lone surrogates. New user and agent names may not hold them; any
/// text shown to a person shows them escaped as <c>\u{XXXX}</c>.
/// </summary>
public static class NameCharacters
{
    /// <summary>Whether <paramref name="rune"/> is one a name may not hold.</summary>
    /// <param name="rune">The character.</param>
    /// <returns>Whether it is invisible, a control, or spacing other than U+0020.</returns>
    public static bool IsOdd(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control
            or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned
        || (Rune.IsWhiteSpace(rune) && rune.Value != ' ');

    /// <summary>The first character of <paramref name="text"/> a name may not hold, as <c>U+XXXX</c>; null if none.</summary>
    /// <param name="text">The name.</param>
    /// <returns>The code point of the first odd character, or null.</returns>
    public static string? FirstOdd(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
            {
                return CodePoint(text[i]);
            }

            if (IsOdd(rune))
            {
                return CodePoint(rune.Value);
            }

            i += used;
        }

        return null;
    }

    /// <summary>
    /// <paramref name="text"/> with every odd character (see <see cref="IsOdd"/>) and every lone surrogate shown
    /// as <c>\u{XXXX}</c>, so that a stored name reads as what it holds.
    /// </summary>
    /// <param name="text">Text from the server: a name, a reason, a purpose.</param>
    /// <returns>The text, escaped where needed; the same instance when nothing needed escaping.</returns>
    public static string Visible(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used);
            var odd = status != OperationStatus.Done || IsOdd(rune);
            if (odd)
            {
                builder ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
                builder.Append(CultureInfo.InvariantCulture, $"\\u{{{(status == OperationStatus.Done ? rune.Value : text[i]):X4}}}");
            }
            else
            {
                builder?.Append(text, i, used);
            }

            i += Math.Max(used, 1);
        }

        return builder?.ToString() ?? text;
    }

    private static string CodePoint(int value) => string.Create(CultureInfo.InvariantCulture, $"U+{value:X4}");
}
