using Delegation.Grants;
using Orleans;

namespace Delegation.Events;

/// <summary>A person granted an agent a root grant; this is always a tree's first event.</summary>
[GenerateSerializer, Immutable, Alias("delegation.GrantCreated")]
public sealed record GrantCreated(GrantRecord Grant) : TreeEvent;
