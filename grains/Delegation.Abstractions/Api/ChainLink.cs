using Delegation.Grants;

namespace Delegation.Api;

/// <summary>One grant of a chain as an enforcer caches it: its definition (with the token hash), status and spending.</summary>
public sealed record ChainLink(GrantRecord Grant, GrantStatus Status, long Spent, long Reserved);
