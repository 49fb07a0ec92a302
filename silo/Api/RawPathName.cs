using System.Text;
using Delegation.Grains.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Delegation.Silo.Api;

/// <summary>
/// The name a kill switch's path carries (<c>/v1/agents/{name}/revoke</c>), read from the request target exactly as
/// the client sent it. Kestrel leaves an escaped <c>/</c> escaped in the routed value but unescapes <c>%25</c>, so
/// <c>team%2Fbot</c> (the name <c>team/bot</c>) and <c>team%252Fbot</c> (the name <c>team%2Fbot</c>) route to the
/// same value: only the raw target tells them apart. A target that cannot be read exactly is refused, never guessed.
/// </summary>
public static class RawPathName
{
    /// <summary>The name before the path's last segment, unescaped exactly once; the routed value where no raw target exists.</summary>
    /// <param name="context">The request.</param>
    /// <param name="routed">The value routing bound, used to confirm the raw segment is the one routing chose.</param>
    /// <param name="field">The name's field, for the error message.</param>
    /// <exception cref="RequestValidationException">The path holds dot segments or escapes that are not UTF-8.</exception>
    public static string Read(HttpContext context, string routed, string field)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            return routed;
        }

        var segments = PathOf(raw).Split('/');
        foreach (var segment in segments)
        {
            if (Unescape(segment, field) is "." or "..")
            {
                throw new RequestValidationException("The path must not hold '.' or '..' segments: escape them, or name the endpoint exactly.");
            }
        }

        var end = segments[^1].Length == 0 ? segments.Length - 1 : segments.Length;
        var name = end >= 2 ? Unescape(segments[end - 2], field) : routed;
        if (!SameAfterRouting(name, routed))
        {
            throw new RequestValidationException($"The {field} in the path could not be read exactly; escape it as one path segment.");
        }

        return name;
    }

    // Origin form ("/v1/..."), or absolute form ("http://host/v1/..."): the path without query or fragment.
    private static string PathOf(string target)
    {
        var end = target.IndexOfAny(['?', '#']);
        var path = end < 0 ? target : target[..end];
        if (!path.StartsWith('/') && path.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0)
        {
            var slash = path.IndexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path[slash..];
        }

        return path;
    }

    // Routing saw the segment with every escape but %2F undone: the two agree once escaped slashes are slashes.
    private static bool SameAfterRouting(string name, string routed) =>
        string.Equals(
            name.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase),
            routed.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase),
            StringComparison.Ordinal);

    private static string Unescape(string segment, string field)
    {
        if (!segment.Contains('%', StringComparison.Ordinal))
        {
            return segment;
        }

        var bytes = new List<byte>(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(segment[i].ToString()));
                continue;
            }

            if (i + 2 >= segment.Length || !byte.TryParse(segment.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var value))
            {
                throw new RequestValidationException($"The {field} in the path has a '%' that is not followed by two hex digits; escape '%' as %25.");
            }

            bytes.Add(value);
            i += 2;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new RequestValidationException($"The {field} in the path is not valid UTF-8 once unescaped.");
        }
    }
}
