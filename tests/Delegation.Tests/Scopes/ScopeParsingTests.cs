using Delegation.Scopes;

namespace Delegation.Tests.Scopes;

public class ScopeParsingTests
{
    [Fact]
    public void A_scope_keeps_its_permissions_in_order()
    {
        var scope = Scope.Parse(["tickets:read@x/**", "*", "b@**"]);

        Assert.Equal(["tickets:read@x/**", "*", "b@**"], scope.Permissions.Select(p => $"{p.Action}{(p.Resource is null ? "" : "@" + p.Resource)}"));
        Assert.Equal(["tickets:read@x/**", "*", "b"], scope.ToStrings());
    }

    [Fact]
    public void Scopes_listing_the_same_permissions_in_any_order_are_equal()
    {
        var one = Scope.Parse(["a@x", "b", "a@x"]);
        var other = Scope.Parse(["b@**", "a@x"]);

        Assert.Equal(one, other);
        Assert.Equal(one.GetHashCode(), other.GetHashCode());
        Assert.NotEqual(one, Scope.Parse(["a@x"]));
    }

    [Fact]
    public void A_null_scope_is_rejected()
    {
        Assert.False(Scope.TryParse(null, out var scope, out var error));
        Assert.Null(scope);
        Assert.Equal("scope must contain at least one permission", error);
    }

    [Fact]
    public void An_empty_scope_is_rejected()
    {
        var exception = Assert.Throws<ScopeFormatException>(() => Scope.Parse([]));

        Assert.Equal("scope must contain at least one permission", exception.Message);
        Assert.Equal(0, exception.Index);
        Assert.Null(exception.PermissionText);
    }

    [Fact]
    public void A_scope_of_64_permissions_is_accepted_and_one_of_65_is_rejected()
    {
        var permissions = Enumerable.Range(0, Scope.MaxPermissions).Select(i => $"a{i}").ToList();
        Assert.Equal(64, Scope.Parse(permissions).Permissions.Count);

        permissions.Add("b");
        Assert.False(Scope.TryParse(permissions, out _, out var error));
        Assert.Equal("scope must contain at most 64 permissions", error);
    }

    [Fact]
    public void A_scope_stops_reading_at_its_65th_permission()
    {
        Assert.False(Scope.TryParse(Enumerable.Repeat("a", int.MaxValue), out _, out var error));
        Assert.Equal("scope must contain at most 64 permissions", error);
    }

    [Theory]
    [InlineData(new[] { "a", "tickets:*:read" }, "permission 2 ('tickets:*:read'): '*' may only be the last segment of an action")]
    [InlineData(new[] { "a@x//y" }, "permission 1 ('a@x//y'): empty resource segment")]
    [InlineData(new[] { "a", " " }, "permission 2 (' '): empty permission")]
    [InlineData(new[] { "a::b", "c@" }, "permission 1 ('a::b'): empty action segment")]
    [InlineData(new[] { "a", "b", "c@x y" }, "permission 3 ('c@x y'): invalid character ' ' in resource segment 'x y'")]
    public void The_first_malformed_permission_is_reported_with_its_1_based_position(string[] permissions, string message)
    {
        Assert.False(Scope.TryParse(permissions, out _, out var error));
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<ScopeFormatException>(() => Scope.Parse(permissions)).Message);
    }

    [Fact]
    public void A_null_entry_is_reported_without_text()
    {
        var exception = Assert.Throws<ScopeFormatException>(() => Scope.Parse(["a", null!]));

        Assert.Equal("permission 2: empty permission", exception.Message);
        Assert.Equal(2, exception.Index);
        Assert.Null(exception.PermissionText);
    }

    [Fact]
    public void The_exception_names_the_offending_permission_in_full()
    {
        var tooLong = "a@" + new string('b', 600);
        var exception = Assert.Throws<ScopeFormatException>(() => Scope.Parse(["a", "b", tooLong]));

        Assert.Equal(3, exception.Index);
        Assert.Equal(tooLong, exception.PermissionText);
        Assert.Equal("longer than 512 characters", exception.Reason);
        Assert.Equal($"permission 3 ('a@{new string('b', 62)}'...): longer than 512 characters", exception.Message);
    }
}
