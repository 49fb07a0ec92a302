using Delegation.Api;
using Delegation.Grains.Errors;

namespace Delegation.Silo.Api;

/// <summary>The request body is larger than the configured limit (HTTP 413).</summary>
public sealed class PayloadTooLargeException(int limit)
    : DelegationException(ErrorCodes.PayloadTooLarge, $"The request body is larger than {limit} bytes.");
