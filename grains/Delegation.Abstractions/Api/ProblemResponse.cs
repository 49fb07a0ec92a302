namespace Delegation.Api;

/// <summary>An RFC 9457 problem+json body as the API returns it, with the stable <paramref name="Code"/>.</summary>
/// <param name="Type">A URI naming the problem type.</param>
/// <param name="Title">A short summary of the problem type.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">What went wrong with this request, exactly.</param>
/// <param name="Code">The stable error code (see <see cref="ErrorCodes"/>).</param>
/// <param name="Errors">Field-level messages, when several things were wrong at once.</param>
public sealed record ProblemResponse(
    string? Type,
    string? Title,
    int? Status,
    string? Detail,
    string? Code,
    IReadOnlyDictionary<string, string[]>? Errors = null);
