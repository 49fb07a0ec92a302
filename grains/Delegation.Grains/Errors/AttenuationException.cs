
namespace Delegation.Grains.Errors;

/// <summary>A delegation would not be narrower than its parent, or its parent is not active (HTTP 422).</summary>
[GenerateSerializer, Alias("delegation.AttenuationException")]
public sealed class AttenuationException(string code, string message) : DelegationException(code, message);
