using Delegation.Events;
using Delegation.Grants;

namespace Delegation.Tests.Storage;

/// <summary>Events with every field set to something a store could get wrong (offsets, ticks, nulls, order).</summary>
internal static class SampleEvents
{
    /// <summary>A fixed instant with sub-millisecond ticks, so a store that rounds is caught.</summary>
    public static readonly DateTimeOffset T0 = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1_234_567);

    public static GrantRecord Root(string treeId, string user, string agent) => new(
        Id: treeId,
        ParentId: null,
        RootId: treeId,
        Depth: 0,
        User: user,
        Agent: agent,
        Scope: ["tickets:*@/queues/support/**", "mail:send", "*"],
        Budget: 10_000,
        ExpiresAt: T0.AddDays(30).ToOffset(TimeSpan.FromHours(2)),
        MaxDepth: 4,
        Purpose: "support triage, \"quoted\" and ünïcode",
        CreatedAt: T0,
        TokenHash: new string('a', 64),
        Rate: new RateLimit(600, 60, 50, RateUnit.Cost),
        ApprovalScope: ["tickets:delete@/queues/support/**"]);

    public static GrantRecord Child(GrantRecord parent, string agent) => new(
        Id: GrantId.NewChild(parent.RootId),
        ParentId: parent.Id,
        RootId: parent.RootId,
        Depth: parent.Depth + 1,
        User: parent.User,
        Agent: agent,
        Scope: ["tickets:read@/queues/support/*"],
        Budget: null,
        ExpiresAt: T0.AddDays(1).ToOffset(TimeSpan.FromHours(-5)),
        MaxDepth: parent.MaxDepth,
        Purpose: null,
        CreatedAt: T0.AddTicks(1),
        TokenHash: new string('b', 64),
        Rate: new RateLimit(5, 1, 5));

    /// <summary>A small event whose id tells which writer appended it.</summary>
    public static TreeEvent Marker(string id) => new GrantExpired(id);

    /// <summary>One event of every kind, in a tree that begins with its root grant.</summary>
    public static IReadOnlyList<TreeEvent> OneOfEach(string treeId)
    {
        var root = Root(treeId, "user-round-trip", "agent-round-trip");
        var child = Child(root, "sub-agent-round-trip");
        return
        [
            new GrantCreated(root),
            new GrantDelegated(child),
            new LeaseReserved("lease-1", child.Id, 250, "silo-a", T0.AddMinutes(5).ToOffset(TimeSpan.FromMinutes(330))),
            new LeaseSettled("lease-1", 17),
            new LeaseReserved("lease-2", root.Id, long.MaxValue, "enforcer-b", T0.AddTicks(-1)),
            new LeaseExpired("lease-2"),
            new GrantSuspended(child.Id, "anomaly: 400 calls/s", "admin"),
            new GrantResumed(child.Id, null, root.Id),
            new ApprovalRequested(treeId + "_a2222222222222222", child.Id, "tickets:delete", "/queues/support/7", 3, T0, T0.AddMinutes(15).ToOffset(TimeSpan.FromHours(1))),
            new ApprovalDecided(treeId + "_a2222222222222222", true, "issuer", "ok \"once\"", T0.AddTicks(7)),
            new ApprovalUsed(treeId + "_a2222222222222222"),
            new GrantRevoked(child.Id, null, "issuer"),
            new GrantRevoked(root.Id, "offboarding", "admin"),
            new GrantExpired(root.Id),
        ];
    }
}
