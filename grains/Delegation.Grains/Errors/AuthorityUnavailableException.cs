using Delegation.Api;

namespace Delegation.Grains.Errors;

/// <summary>The store cannot be reached, so the authority refuses rather than guess (HTTP 503, fail closed).</summary>
[GenerateSerializer, Alias("delegation.AuthorityUnavailableException")]
public sealed class AuthorityUnavailableException(string message, Exception? inner = null)
    : DelegationException(ErrorCodes.AuthorityUnavailable, message)
{
    /// <summary>The failure underneath, for the logs of the silo where it happened (not sent between silos).</summary>
    [NonSerialized]
    private readonly Exception? _cause = inner;

    /// <summary>The failure underneath, for logs.</summary>
    public Exception? Cause => _cause;
}
