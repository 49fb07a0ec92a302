using Delegation.Scopes;

namespace Delegation.Tests.Scopes;

public class CoverageTests
{
    public static TheoryData<string, string, bool> PermissionPairs => new()
    {
        // Identical permissions.
        { "tickets:read@x/*", "tickets:read@x/*", true },
        // A lone '*' covers every action, and only '*' covers it.
        { "*", "tickets:read", true },
        { "*", "tickets:*", true },
        { "*", "*", true },
        { "tickets:*", "*", false },
        // A final '*' covers longer actions and narrower '*'s, never its own prefix.
        { "tickets:*", "tickets:read", true },
        { "tickets:*", "tickets:read:*", true },
        { "tickets:*", "tickets:*", true },
        { "tickets:read:*", "tickets:*", false },
        { "tickets:*", "tickets", false },
        { "tickets:read", "tickets:*", false },
        { "tickets:read", "tickets:write", false },
        // '**' versus '*'.
        { "a@x/**", "a@x/*", true },
        { "a@x/**", "a@x", true },
        { "a@x/**", "a@x/y/z/**", true },
        { "a@x/*", "a@x/**", false },
        { "a@x/*", "a@x", false },
        { "a@x/*", "a@x/y", true },
        { "a@x/y", "a@x/*", false },
        { "a@*/y", "a@x/y", true },
        { "a@x/*/**", "a@x/**", false },
        // No resource is '**', which includes the empty path.
        { "a", "a@**", true },
        { "a@**", "a", true },
        { "a", "a@x/**", true },
        { "a@*/**", "a", false },
        { "a@x/**", "a", false },
        { "a@*", "a", false },
        // Action and resource must both be covered.
        { "tickets:*@x/**", "tickets:read@x/y", true },
        { "tickets:*@x/**", "users:read@x/y", false },
        { "tickets:*@x/**", "tickets:read@y", false },
    };

    [Theory]
    [MemberData(nameof(PermissionPairs))]
    public void A_permission_covers_a_narrower_one_and_nothing_wider(string parent, string child, bool expected)
    {
        Assert.Equal(expected, Permission.Parse(parent).Covers(Permission.Parse(child)));
        Assert.Equal(expected, Scope.Parse([parent]).Covers(Scope.Parse([child])));
    }

    public static TheoryData<string[], string[], bool> ScopePairs => new()
    {
        // Identical and reordered scopes.
        { ["a@x", "b:*"], ["a@x", "b:*"], true },
        { ["a@x", "b:*"], ["b:*", "a@x"], true },
        // A child permission covered only by the union of two parent permissions.
        { ["a@x", "a@x/*/**"], ["a@x/**"], true },
        { ["a@x/*/**", "a@x"], ["a@x/**"], true },
        // A union that leaves one length uncovered does not cover, whatever the other lengths.
        { ["a@x", "a@x/*", "a@x/*/*/*/**"], ["a@x/**"], false },
        { ["a@x", "a@x/*", "a@x/*/*", "a@x/*/*/*/**"], ["a@x/**"], true },
        // Finitely many literals never cover a wildcard: the segment alphabet is infinite.
        { ["a@x/y", "a@x/z"], ["a@x/*"], false },
        { ["a:b", "a:c"], ["a:*"], false },
        { ["a@x/y", "a@x/*"], ["a@x/*"], true },
        // Only parents whose action covers the child's action count towards the union.
        { ["a:b@x", "a:*@x/*/**"], ["a:b@x/**"], true },
        { ["a:b@x", "a:c@x/*/**"], ["a:*@x/**"], false },
        { ["a:*@x", "a:*@x/*/**"], ["a:*@x/**"], true },
        // A child's '**' stands for any segments, which a parent's literal there does not cover.
        { ["a@x", "a@x/y/**"], ["a@x/**"], false },
        { ["a@x", "a@x/*/**"], ["a@x/y/**"], true },
        // Literal positions beneath a '**' parent.
        { ["a@x/**"], ["a@x/y/z", "a@x/*/z/**"], true },
        // The empty path: only '**' (or no resource) reaches it.
        { ["a@x/**", "a@*/**"], ["a"], false },
        { ["a@**"], ["a"], true },
        { ["a@x/**", "a@x"], ["a@**"], false },
        // Every child permission must be covered.
        { ["a", "b@x"], ["a@y", "b@x", "b@y"], false },
        { ["*"], ["a", "b:c@x/**", "*"], true },
    };

    [Theory]
    [MemberData(nameof(ScopePairs))]
    public void A_scope_covers_a_child_when_every_child_permission_lies_in_the_union_of_its_permissions(string[] parent, string[] child, bool expected)
    {
        Assert.Equal(expected, Scope.Parse(parent).Covers(Scope.Parse(child)));
    }

    [Fact]
    public void Neither_half_of_a_union_covers_alone()
    {
        var child = Permission.Parse("a@x/**");

        Assert.False(Permission.Parse("a@x").Covers(child));
        Assert.False(Permission.Parse("a@x/*/**").Covers(child));
    }

    [Fact]
    public void Coverage_of_a_long_gap_is_decided_past_the_longest_parent()
    {
        var gaps = Enumerable.Range(0, 60).Select(n => "a@x" + string.Concat(Enumerable.Repeat("/*", n))).ToList();
        var child = Scope.Parse(["a@x/**"]);

        Assert.False(Scope.Parse(gaps).Covers(child));
        Assert.True(Scope.Parse([.. gaps, "a@x" + string.Concat(Enumerable.Repeat("/*", 60)) + "/**"]).Covers(child));
    }
}
