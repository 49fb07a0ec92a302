using Delegation.Api;

namespace Delegation.Client;

/// <summary>409 <c>conflict</c>: the call conflicts with the current state (e.g. resuming a revoked grant).</summary>
public sealed class DelegationConflictException : DelegationApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, which must not contain a secret.</param>
    /// <param name="code">The stable error code (see <see cref="ErrorCodes"/>).</param>
    /// <param name="status">The HTTP status, or null when no answer arrived.</param>
    /// <param name="detail">What went wrong with this request, exactly.</param>
    /// <param name="problem">The problem+json body, or null when the answer had none.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public DelegationConflictException(
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
