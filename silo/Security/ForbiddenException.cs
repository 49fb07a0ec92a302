using Delegation.Api;
using Delegation.Grains.Errors;

namespace Delegation.Silo.Security;

/// <summary>A valid credential that may not do this (HTTP 403).</summary>
public sealed class ForbiddenException(string message) : DelegationException(ErrorCodes.Forbidden, message);
