using Delegation.Events;
using Delegation.Grains.Storage;
using Delegation.Grants;

namespace Delegation.Tests.Storage;

public abstract partial class EventStoreConformanceTests
{
    [Fact]
    public async Task Grants_are_found_by_agent_and_root_grants_by_user()
    {
        var a = SampleEvents.Root(GrantId.NewRoot(), "user-1", "agent-x");
        var aChild = SampleEvents.Child(a, "agent-y");
        var b = SampleEvents.Root(GrantId.NewRoot(), "user-1", "agent-y");
        var bChild = SampleEvents.Child(b, "agent-x");
        var c = SampleEvents.Root(GrantId.NewRoot(), "user-2", "agent-z");
        await AppendAsync(a.Id, 0, [new GrantCreated(a), new GrantDelegated(aChild)]);
        await AppendAsync(b.Id, 0, [new GrantCreated(b)]);
        await AppendAsync(b.Id, 1, [new GrantDelegated(bChild), new GrantRevoked(bChild.Id, null, "admin")]);
        await AppendAsync(c.Id, 0, [new GrantCreated(c)]);

        AssertLocators([a, bChild], await Store.FindGrantsByAgentAsync("agent-x"));
        AssertLocators([aChild, b], await Store.FindGrantsByAgentAsync("agent-y"));
        AssertLocators([c], await Store.FindGrantsByAgentAsync("agent-z"));
        AssertLocators([a, b], await Store.FindRootGrantsByUserAsync("user-1"));
        AssertLocators([c], await Store.FindRootGrantsByUserAsync("user-2"));
        Assert.Empty(await Store.FindGrantsByAgentAsync("agent-unknown"));
        Assert.Empty(await Store.FindRootGrantsByUserAsync("user-unknown"));
        Assert.Empty(await Store.FindGrantsByAgentAsync("AGENT-X"));
    }

    [Fact]
    public async Task NextDueAt_is_set_replaced_and_cleared_by_each_append()
    {
        var t = SampleEvents.T0;
        var (a, b, c, d, e) = (GrantId.NewRoot(), GrantId.NewRoot(), GrantId.NewRoot(), GrantId.NewRoot(), GrantId.NewRoot());
        await Store.AppendAsync(a, 0, Markers("a", 1), t, t.AddMinutes(3));
        await Store.AppendAsync(b, 0, Markers("b", 1), t, t.AddMinutes(1).ToOffset(TimeSpan.FromHours(-8)));
        await Store.AppendAsync(c, 0, Markers("c", 1), t, t.AddMinutes(2));
        await Store.AppendAsync(d, 0, Markers("d", 1), t, null);
        await Store.AppendAsync(e, 0, Markers("e", 1), t, t.AddMinutes(10));
        var now = t.AddMinutes(5);

        Assert.Equal([b, c, a], await Store.FindTreesDueAsync(now, 10));
        Assert.Equal([b, c], await Store.FindTreesDueAsync(now, 2));
        Assert.Empty(await Store.FindTreesDueAsync(now, 0));
        Assert.Equal([b, c], await Store.FindTreesDueAsync(t.AddMinutes(2), 10));
        Assert.Equal([b], await Store.FindTreesDueAsync(t.AddMinutes(2).AddTicks(-1), 10));
        Assert.Empty(await Store.FindTreesDueAsync(t, 10));

        await Store.AppendAsync(b, 1, Markers("b-later", 1), t, t.AddMinutes(20));
        Assert.Equal([c, a], await Store.FindTreesDueAsync(now, 10));

        await Store.AppendAsync(a, 1, Markers("a-done", 1), t, null);
        Assert.Equal([c], await Store.FindTreesDueAsync(now, 10));

        await Store.AppendAsync(d, 1, Markers("d-soon", 1), t, t.AddMinutes(4));
        Assert.Equal([c, d, e, b], await Store.FindTreesDueAsync(t.AddHours(1), 10));
    }

    private static void AssertLocators(IEnumerable<GrantRecord> expected, IReadOnlyList<GrantLocator> actual) =>
        Assert.Equal(
            expected.Select(g => new GrantLocator(g.Id, g.RootId)).OrderBy(l => l.GrantId, StringComparer.Ordinal),
            actual.OrderBy(l => l.GrantId, StringComparer.Ordinal));
}
