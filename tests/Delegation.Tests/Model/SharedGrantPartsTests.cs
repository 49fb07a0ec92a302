using System.Text.Json;
using Delegation.Events;
using Delegation.Grains.Model;

namespace Delegation.Tests.Model;

/// <summary>
/// A tree holds grants alike once: a child with its parent's or its latest sibling's scope and agent holds the same
/// instances (texts and parsed scope), also when the tree is folded back from stored events; different ones stay apart.
/// </summary>
public sealed class SharedGrantPartsTests
{
    private static readonly string[] ChildScope = ["tickets:read@projects/**", "tickets:list@projects/*"];

    [Fact]
    public void Children_alike_share_their_scope_and_agent_and_a_different_child_does_not()
    {
        var tree = new TreeBuilder(scope: ["tickets:*@projects/**"]);
        var first = tree.Delegate(tree.RootId, 10, scope: [.. ChildScope], agent: new string("worker".AsSpan()));
        var second = tree.Delegate(tree.RootId, 10, scope: [.. ChildScope], agent: new string("worker".AsSpan()));
        var other = tree.Delegate(tree.RootId, 10, scope: ["tickets:read@projects/7/**"], agent: "auditor");
        var sameAsParent = tree.Delegate(first, 5, scope: [.. ChildScope], agent: "helper");

        Assert.Same(tree[first].Scope, tree[second].Scope);
        Assert.Same(tree[first].Record.Scope, tree[second].Record.Scope);
        Assert.Same(tree[first].Record.Agent, tree[second].Record.Agent);
        Assert.NotSame(tree[second].Scope, tree[other].Scope);
        Assert.Equal(["tickets:read@projects/7/**"], tree[other].Record.Scope);
        Assert.Same(tree[first].Scope, tree[sameAsParent].Scope);
        Assert.True(tree.State.Grants[sameAsParent].Scope.Allows("tickets:read", "projects/9/a"));
    }

    [Fact]
    public void A_tree_folded_from_stored_events_shares_the_parsed_scope_of_grants_alike()
    {
        var tree = new TreeBuilder(scope: ["tickets:*@projects/**"]);
        var first = tree.Delegate(tree.RootId, 10, scope: [.. ChildScope]);
        var second = tree.Delegate(tree.RootId, 10, scope: [.. ChildScope]);
        var other = tree.Delegate(tree.RootId, 10, scope: ["tickets:list@projects/*"]);

        // Read back as a store would: every text a new instance.
        var stored = tree.Events.Select(e => new StoredEvent(
            e.Seq, e.TreeId, e.Version, e.At, JsonSerializer.Deserialize<TreeEvent>(JsonSerializer.Serialize(e.Event))!)).ToList();
        var folded = TreeState.Fold(tree.RootId, stored);

        Assert.NotSame(folded.Grants[first].Record.Scope, folded.Grants[second].Record.Scope);
        Assert.Same(folded.Grants[first].Scope, folded.Grants[second].Scope);
        Assert.NotSame(folded.Grants[second].Scope, folded.Grants[other].Scope);
        Assert.Equal(StateDump.Of(tree.State), StateDump.Of(folded));
    }
}
