using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Budget;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Tests.Model;

/// <summary>
/// Builds a tree the way an activation does, without one: each command decides against the current state and its
/// events are folded in as the next versions. The clock moves only when the test sets <see cref="Now"/>.
/// </summary>
internal sealed class TreeBuilder
{
    public static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly string TokenHash = new('a', 64);

    private readonly List<StoredEvent> _events = [];

    public TreeBuilder(long? budget = 100, TimeSpan? lifetime = null, int? maxDepth = null, string[]? scope = null, string user = "user-1", string agent = "agent-root")
    {
        RootId = GrantId.NewRoot();
        State = TreeState.Empty(RootId);
        var request = new CreateGrantRequest(user, agent, scope ?? ["*"], budget, T0 + (lifetime ?? TimeSpan.FromDays(1)), null, maxDepth);
        Append(TreeCommands.CreateRoot(request, RootId, TokenHash, Now));
    }

    public string RootId { get; }

    public DateTimeOffset Now { get; set; } = T0;

    public TreeState State { get; private set; }

    public IReadOnlyList<StoredEvent> Events => _events;

    public GrantNode this[string grantId] => State.Grants[grantId];

    /// <summary>A delegation under <paramref name="parentId"/>; by default it expires with its parent.</summary>
    public string Delegate(string parentId, long? budget, TimeSpan? lifetime = null, int? maxDepth = null, string[]? scope = null, string agent = "sub-agent")
    {
        var id = GrantId.NewChild(RootId);
        var expiresAt = lifetime is { } l ? Now + l : State.Grants[parentId].Record.ExpiresAt;
        var request = new DelegateRequest(agent, scope ?? ["*"], budget, expiresAt, null, maxDepth);
        Append(TreeCommands.Delegate(State, parentId, request, id, TokenHash, Now));
        return id;
    }

    public LeaseReserved Reserve(string grantId, long units, TimeSpan? ttl = null)
    {
        var reserved = TreeCommands.ReserveLease(State, grantId, units, "holder-1", LeaseId.New(RootId), ttl ?? TimeSpan.FromMinutes(1), Now);
        Append(reserved);
        return reserved;
    }

    public void Settle(string leaseId, long used) => Append(TreeCommands.SettleLease(State, leaseId, used, Now));

    public void Revoke(string grantId) => Append(TreeCommands.Revoke(State, grantId, "test", "admin"));

    public void Suspend(string grantId) => Append(TreeCommands.Suspend(State, grantId, "test", "admin"));

    public void Resume(string grantId) => Append(TreeCommands.Resume(State, grantId, "test", "admin", Now));

    public EffectiveState Effective(string grantId) => State.EffectiveOf(State.Grants[grantId], Now);

    /// <summary>Folds <paramref name="event"/> as the next version; null (a no-op decision) appends nothing.</summary>
    public void Append(TreeEvent? @event)
    {
        if (@event is null)
        {
            return;
        }

        var stored = new StoredEvent(_events.Count + 1, RootId, State.Version + 1, Now, @event);
        State = State.Apply(stored);
        _events.Add(stored);
    }
}
