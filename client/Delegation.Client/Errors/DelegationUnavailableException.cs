using Delegation.Api;

namespace Delegation.Client;

/// <summary><c>authority_unavailable</c>: the silo answered 503 (or a proxy answered 502 or 504), could not be reached, or did not answer in time. An enforcer denies when it sees this: it fails closed.</summary>
public sealed class DelegationUnavailableException : DelegationApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, which must not contain a secret.</param>
    /// <param name="code">The stable error code (see <see cref="ErrorCodes"/>).</param>
    /// <param name="status">The HTTP status, or null when no answer arrived.</param>
    /// <param name="detail">What went wrong with this request, exactly.</param>
    /// <param name="problem">The problem+json body, or null when the answer had none.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public DelegationUnavailableException(
        string message,
        string code,
        int? status = null,
        string? detail = null,
        ProblemResponse? problem = null,
        Exception? innerException = null)
        : base(message, code, status, detail, problem, innerException)
    {
    }
}
