using Delegation.Grants;
using Orleans;

namespace Delegation.Api;

/// <summary>One grant of a chain as an enforcer caches it: its definition (with the token hash), status and spending.</summary>
[GenerateSerializer, Immutable, Alias("delegation.ChainLink")]
public sealed record ChainLink(GrantRecord Grant, GrantStatus Status, long Spent, long Reserved);
