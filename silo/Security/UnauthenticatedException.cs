using Delegation.Api;
using Delegation.Grains.Errors;

namespace Delegation.Silo.Security;

/// <summary>No valid credential (HTTP 401).</summary>
public sealed class UnauthenticatedException(string message) : DelegationException(ErrorCodes.Unauthorized, message);
