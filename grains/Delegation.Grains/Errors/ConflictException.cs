using Delegation.Api;

namespace Delegation.Grains.Errors;

/// <summary>The request does not fit the grant's current state, e.g. resuming a revoked grant (HTTP 409).</summary>
[GenerateSerializer, Alias("delegation.ConflictException")]
public sealed class ConflictException(string message, string code = ErrorCodes.Conflict) : DelegationException(code, message);
