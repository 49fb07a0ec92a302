namespace Delegation.Silo.OAuth;

/// <summary>
/// An RFC 6749 §5.2 error of an OAuth endpoint: answered as <c>{"error", "error_description", "code"}</c> JSON, not
/// problem+json, because OAuth clients read that shape. <see cref="Code"/> is our stable code where one applies.
/// </summary>
public sealed class OAuthException(string error, string description, string? code = null, int status = StatusCodes.Status400BadRequest)
    : Exception(description)
{
    /// <summary>The RFC 6749 error code (<c>invalid_request</c>, <c>invalid_grant</c>, ...).</summary>
    public string Error { get; } = error;

    /// <summary>Our stable code behind it (<c>scope_not_covered</c>, ...), or null.</summary>
    public string? Code { get; } = code;

    /// <summary>The HTTP status: 400, or 401 for <c>invalid_client</c>.</summary>
    public int Status { get; } = status;

    /// <summary>A malformed request (<c>invalid_request</c>).</summary>
    public static OAuthException InvalidRequest(string description, string? code = "validation_failed") => new("invalid_request", description, code);

    /// <summary>Client authentication failed (<c>invalid_client</c>, 401).</summary>
    public static OAuthException InvalidClient(string description) => new("invalid_client", description, "unauthorized", StatusCodes.Status401Unauthorized);
}
