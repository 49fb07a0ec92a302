using Delegation.Api;

namespace Delegation.Client;

/// <summary>422: a delegation would widen its parent. <see cref="DelegationApiException.Code"/> says how: <c>scope_not_covered</c>, <c>budget_exceeds_parent</c>, <c>expiry_exceeds_parent</c>, <c>depth_exceeded</c> or <c>parent_not_active</c>.</summary>
public sealed class DelegationAttenuationException : DelegationApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, which must not contain a secret.</param>
    /// <param name="code">The stable error code (see <see cref="ErrorCodes"/>).</param>
    /// <param name="status">The HTTP status, or null when no answer arrived.</param>
    /// <param name="detail">What went wrong with this request, exactly.</param>
    /// <param name="problem">The problem+json body, or null when the answer had none.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public DelegationAttenuationException(
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
