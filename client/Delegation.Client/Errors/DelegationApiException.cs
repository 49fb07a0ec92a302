using Delegation.Api;

namespace Delegation.Client;

/// <summary>
/// The delegation authority refused or failed a call. Each failure kind has its own subclass; this base type is
/// thrown as such only for answers the API does not define (e.g. 500 internal_error).
/// </summary>
public class DelegationApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, which must not contain a secret.</param>
    /// <param name="code">The stable error code (see <see cref="ErrorCodes"/>).</param>
    /// <param name="status">The HTTP status, or null when no answer arrived.</param>
    /// <param name="detail">What went wrong with this request, exactly.</param>
    /// <param name="problem">The problem+json body, or null when the answer had none.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public DelegationApiException(
        string message,
        string code,
        int? status = null,
        string? detail = null,
        ProblemResponse? problem = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        Status = status;
        Detail = detail;
        Problem = problem;
    }

    /// <summary>
    /// The stable error code (see <see cref="ErrorCodes"/>): the problem's <c>code</c> or, when the answer carried
    /// none, the code its status implies (<c>http_&lt;status&gt;</c> for a status the API does not use).
    /// </summary>
    public string Code { get; }

    /// <summary>The HTTP status, or null when no answer arrived (the silo could not be reached or timed out).</summary>
    public int? Status { get; }

    /// <summary>What went wrong with this request: the problem's detail, or the start of a non-problem body.</summary>
    public string? Detail { get; }

    /// <summary>The problem+json body, or null when the answer had none (or no answer arrived).</summary>
    public ProblemResponse? Problem { get; }
}
