using Delegation.Api;

namespace Delegation.Grains.Errors;

/// <summary>The request itself is malformed: a missing field, a bad value, an invalid scope (HTTP 400).</summary>
[GenerateSerializer, Alias("delegation.RequestValidationException")]
public sealed class RequestValidationException(string message, string code = ErrorCodes.ValidationFailed)
    : DelegationException(code, message);
