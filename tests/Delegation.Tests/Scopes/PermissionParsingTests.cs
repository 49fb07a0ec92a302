using Delegation.Scopes;

namespace Delegation.Tests.Scopes;

public class PermissionParsingTests
{
    [Theory]
    [InlineData("tickets:read", "tickets:read", null)]
    [InlineData("tickets:*", "tickets:*", null)]
    [InlineData("*", "*", null)]
    [InlineData("tickets:read@projects/*/tickets/**", "tickets:read", "projects/*/tickets/**")]
    [InlineData("a@**", "a", "**")]
    [InlineData("x_1-2.3@p:1/~u/a+b=c,d", "x_1-2.3", "p:1/~u/a+b=c,d")]
    public void Valid_permissions_keep_their_parts_as_written(string text, string action, string? resource)
    {
        var permission = Permission.Parse(text);

        Assert.Equal(action, permission.Action);
        Assert.Equal(resource, permission.Resource);
    }

    [Theory]
    [InlineData("tickets:read", "tickets:read")]
    [InlineData("tickets:read@x/**", "tickets:read@x/**")]
    [InlineData("tickets:read@**", "tickets:read")]
    [InlineData("*@**", "*")]
    public void The_canonical_text_drops_only_a_resource_that_means_everything(string text, string canonical)
    {
        Assert.Equal(canonical, Permission.Parse(text).ToString());
    }

    [Fact]
    public void A_resource_of_double_star_equals_no_resource()
    {
        Assert.Equal(Permission.Parse("a"), Permission.Parse("a@**"));
        Assert.Equal(Permission.Parse("a").GetHashCode(), Permission.Parse("a@**").GetHashCode());
        Assert.NotEqual(Permission.Parse("a"), Permission.Parse("a@*"));
        Assert.NotEqual(Permission.Parse("a"), Permission.Parse("A"));
    }

    [Theory]
    [InlineData("", "permission (''): empty permission")]
    [InlineData("  ", "permission ('  '): empty permission")]
    [InlineData("@x", "permission ('@x'): empty action")]
    [InlineData("a::b", "permission ('a::b'): empty action segment")]
    [InlineData(":a", "permission (':a'): empty action segment")]
    [InlineData("a:", "permission ('a:'): empty action segment")]
    [InlineData("tickets:*:read", "permission ('tickets:*:read'): '*' may only be the last segment of an action")]
    [InlineData("*:read", "permission ('*:read'): '*' may only be the last segment of an action")]
    [InlineData("tick*", "permission ('tick*'): '*' must be a whole action segment")]
    [InlineData("tickets:**", "permission ('tickets:**'): '*' must be a whole action segment")]
    [InlineData("tickets read", "permission ('tickets read'): invalid character ' ' in action segment 'tickets read'")]
    [InlineData(" a", "permission (' a'): invalid character ' ' in action segment ' a'")]
    [InlineData("a/b", "permission ('a/b'): invalid character '/' in action segment 'a/b'")]
    [InlineData("t\u00efckets", "permission ('t\u00efckets'): invalid character '\u00ef' in action segment 't\u00efckets'")]
    [InlineData("a\tb", "permission ('a\\u0009b'): invalid character U+0009 in action segment 'a\\u0009b'")]
    [InlineData("a@", "permission ('a@'): empty resource after '@'")]
    [InlineData("a@x@y", "permission ('a@x@y'): more than one '@'")]
    [InlineData("a@x//y", "permission ('a@x//y'): empty resource segment")]
    [InlineData("a@/x", "permission ('a@/x'): empty resource segment")]
    [InlineData("a@x/", "permission ('a@x/'): empty resource segment")]
    [InlineData("a@**/x", "permission ('a@**/x'): '**' may only be the last segment of a resource")]
    [InlineData("a@x*", "permission ('a@x*'): '*' must be a whole resource segment ('*' or '**')")]
    [InlineData("a@***", "permission ('a@***'): '*' must be a whole resource segment ('*' or '**')")]
    [InlineData("a@x y", "permission ('a@x y'): invalid character ' ' in resource segment 'x y'")]
    [InlineData("a@x/y?z", "permission ('a@x/y?z'): invalid character '?' in resource segment 'y?z'")]
    [InlineData("a::*@x//y", "permission ('a::*@x//y'): empty action segment")]
    public void Malformed_permissions_are_rejected_with_an_exact_message(string text, string message)
    {
        Assert.False(Permission.TryParse(text, out var permission, out var error));
        Assert.Null(permission);
        Assert.Equal(message, error);

        var exception = Assert.Throws<ScopeFormatException>(() => Permission.Parse(text));
        Assert.Equal(message, exception.Message);
        Assert.Equal(text, exception.PermissionText);
        Assert.Equal(0, exception.Index);
    }

    [Fact]
    public void A_null_permission_is_rejected()
    {
        Assert.False(Permission.TryParse(null, out _, out var error));
        Assert.Equal("permission: empty permission", error);
    }

    [Fact]
    public void A_permission_of_512_characters_is_accepted_and_one_of_513_is_rejected_with_its_text_shortened()
    {
        var longest = "a@" + new string('b', Permission.MaxLength - 2);
        Assert.True(Permission.TryParse(longest, out _, out _));

        var tooLong = longest + "b";
        Assert.False(Permission.TryParse(tooLong, out _, out var error));
        Assert.Equal($"permission ('a@{new string('b', 62)}'...): longer than 512 characters", error);
    }

    [Fact]
    public void The_exception_carries_the_reason_without_the_location()
    {
        var exception = Assert.Throws<ScopeFormatException>(() => Permission.Parse("a@x//y"));

        Assert.Equal("empty resource segment", exception.Reason);
        Assert.IsAssignableFrom<FormatException>(exception);
    }
}
