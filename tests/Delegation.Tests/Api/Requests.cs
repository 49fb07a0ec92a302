using Delegation.Api;

namespace Delegation.Tests.Api;

/// <summary>Request bodies with sensible defaults, and names no other test uses.</summary>
internal static class Requests
{
    /// <summary>The default root scope: any tickets action under projects, and reading docs.</summary>
    public static readonly IReadOnlyList<string> RootScope = ["tickets:*@projects/**", "docs:read"];

    /// <summary>A narrower scope, covered by <see cref="RootScope"/>.</summary>
    public static readonly IReadOnlyList<string> ChildScope = ["tickets:read@projects/42/**"];

    /// <summary>A name unique to this run, e.g. <c>alice-3f9a1c2e</c>.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static CreateGrantRequest Root(
        string? user = null,
        string? agent = null,
        long? budget = null,
        IReadOnlyList<string>? scope = null,
        long ttlSeconds = 3600,
        int? maxDepth = null) =>
        new(user ?? Unique("user"), agent ?? Unique("agent"), scope ?? RootScope, budget, TtlSeconds: ttlSeconds, MaxDepth: maxDepth, Purpose: "tests");

    public static DelegateRequest Child(
        string? agent = null,
        long? budget = null,
        IReadOnlyList<string>? scope = null,
        long ttlSeconds = 600) =>
        new(agent ?? Unique("sub-agent"), scope ?? ChildScope, budget, TtlSeconds: ttlSeconds, Purpose: "tests");

    /// <summary>A check of the child scope's kind of request.</summary>
    public static CheckRequest Check(string token, long? cost = null, string action = "tickets:read", string? resource = "projects/42/tickets/7") =>
        new(token, null, action, resource, cost);
}
