namespace Delegation.Scopes;

/// <summary>
/// Validates the parts of a concrete request (what a gateway asks about): the same segment rules as
/// permissions, without wildcards. <see cref="Scope.Allows"/> and <see cref="Permission.Matches"/> deny
/// any request these methods reject.
/// </summary>
public static class RequestSyntax
{
    /// <summary>
    /// The reason given for a <c>.</c> or <c>..</c> resource segment, in a scope or a request: resources are
    /// canonical paths, compared segment by segment, so a dot segment would be taken literally where a reader
    /// (or a gateway that normalizes paths) sees another path.
    /// </summary>
    public const string DotSegmentReason = "'.' and '..' are not allowed as resource segments: give the canonical path they stand for";

    private const string WildcardReason = "wildcard '*' is not allowed in a request";

    private enum Fault
    {
        None,
        Empty,
        EmptySegment,
        Wildcard,
        InvalidCharacter,
        DotSegment,
    }

    /// <summary>
    /// Checks a concrete action: non-empty <c>:</c>-separated segments of letters, digits, <c>_</c>,
    /// <c>-</c> and <c>.</c>.
    /// </summary>
    /// <param name="action">The action of a request.</param>
    /// <param name="error">The user-facing error when the action is invalid; otherwise null.</param>
    /// <returns>Whether the action is valid.</returns>
    public static bool TryValidateAction(string? action, out string? error)
    {
        var fault = CheckAction(action, out var at);
        error = fault switch
        {
            Fault.None => null,
            Fault.Empty => "action is required",
            _ => Syntax.Message("action", 0, action, Reason(fault, action!, at, Syntax.ActionSeparator, "action")),
        };
        return error is null;
    }

    /// <summary>
    /// Checks a concrete resource: null or empty (the empty path), or non-empty <c>/</c>-separated segments
    /// of letters, digits and <c>_ - . : ~ + = ,</c>.
    /// </summary>
    /// <param name="resource">The resource of a request, or null for none.</param>
    /// <param name="error">The user-facing error when the resource is invalid; otherwise null.</param>
    /// <returns>Whether the resource is valid.</returns>
    public static bool TryValidateResource(string? resource, out string? error)
    {
        var fault = CheckResource(resource, out var at);
        error = fault == Fault.None
            ? null
            : Syntax.Message("resource", 0, resource, Reason(fault, resource!, at, Syntax.ResourceSeparator, "resource"));
        return error is null;
    }

    /// <summary>Whether a resource is refused only for being non-canonical: it holds a <c>.</c> or <c>..</c> segment.</summary>
    /// <param name="resource">The resource of a request, or null for none.</param>
    /// <returns>Whether the resource holds a dot segment.</returns>
    public static bool IsNonCanonicalResource(string? resource) => CheckResource(resource, out _) == Fault.DotSegment;

    internal static bool IsValidAction(ReadOnlySpan<char> action) => CheckAction(action, out _) == Fault.None;

    internal static bool IsValidResource(ReadOnlySpan<char> resource) => CheckResource(resource, out _) == Fault.None;

    private static Fault CheckAction(ReadOnlySpan<char> action, out int at) =>
        action.IsEmpty ? Fail(Fault.Empty, 0, out at) : Check(action, Syntax.ActionSeparator, resource: false, out at);

    private static Fault CheckResource(ReadOnlySpan<char> resource, out int at) =>
        resource.IsEmpty ? Fail(Fault.None, 0, out at) : Check(resource, Syntax.ResourceSeparator, resource: true, out at);

    private static Fault Check(ReadOnlySpan<char> text, char separator, bool resource, out int at)
    {
        var segmentStart = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == separator)
            {
                if (i == segmentStart)
                {
                    return Fail(Fault.EmptySegment, i, out at);
                }

                if (resource && Syntax.IsDotSegment(text[segmentStart..i]))
                {
                    return Fail(Fault.DotSegment, segmentStart, out at);
                }

                segmentStart = i + 1;
            }
            else if (text[i] == '*')
            {
                return Fail(Fault.Wildcard, i, out at);
            }
            else if (!(resource ? Syntax.IsResourceChar(text[i]) : Syntax.IsActionChar(text[i])))
            {
                return Fail(Fault.InvalidCharacter, i, out at);
            }
        }

        return Fail(Fault.None, 0, out at);
    }

    private static Fault Fail(Fault fault, int index, out int at)
    {
        at = index;
        return fault;
    }

    private static string Reason(Fault fault, string text, int at, char separator, string part) => fault switch
    {
        Fault.EmptySegment => Syntax.EmptySegment(part),
        Fault.Wildcard => WildcardReason,
        Fault.DotSegment => DotSegmentReason,
        _ => Syntax.InvalidCharacter(text[at], part, SegmentAround(text, at, separator)),
    };

    private static string SegmentAround(string text, int at, char separator)
    {
        var start = text.LastIndexOf(separator, at) + 1;
        var end = text.IndexOf(separator, at);
        return text[start..(end < 0 ? text.Length : end)];
    }
}
