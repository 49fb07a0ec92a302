using Delegation.Api;

namespace Delegation.Grains.Errors;

/// <summary>No grant or lease with that id (HTTP 404).</summary>
[GenerateSerializer, Alias("delegation.NotFoundException")]
public sealed class NotFoundException(string message) : DelegationException(ErrorCodes.NotFound, message);
