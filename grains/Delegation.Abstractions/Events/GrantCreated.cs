using Delegation.Grants;

namespace Delegation.Events;

/// <summary>A person granted an agent a root grant; this is always a tree's first event.</summary>
public sealed record GrantCreated(GrantRecord Grant) : TreeEvent;
