using Orleans;
namespace Delegation.Api;

/// <summary>Answer to a grant or delegation: the grant and its token, which is shown this once only.</summary>
[GenerateSerializer, Immutable, Alias("delegation.GrantCreatedResponse")]
public sealed record GrantCreatedResponse(GrantView Grant, string Token);
