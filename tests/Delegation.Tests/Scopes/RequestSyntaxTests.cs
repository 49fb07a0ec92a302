using Delegation.Scopes;

namespace Delegation.Tests.Scopes;

public class RequestSyntaxTests
{
    [Theory]
    [InlineData("tickets:read")]
    [InlineData("a")]
    [InlineData("A_1-b.c:d")]
    public void Concrete_actions_are_valid(string action)
    {
        Assert.True(RequestSyntax.TryValidateAction(action, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData(null, "action is required")]
    [InlineData("", "action is required")]
    [InlineData("tickets:*", "action ('tickets:*'): wildcard '*' is not allowed in a request")]
    [InlineData("*", "action ('*'): wildcard '*' is not allowed in a request")]
    [InlineData("tickets::read", "action ('tickets::read'): empty action segment")]
    [InlineData("tickets:", "action ('tickets:'): empty action segment")]
    [InlineData("tickets:re ad", "action ('tickets:re ad'): invalid character ' ' in action segment 're ad'")]
    [InlineData("tickets@x", "action ('tickets@x'): invalid character '@' in action segment 'tickets@x'")]
    public void Invalid_actions_are_rejected_with_an_exact_message(string? action, string message)
    {
        Assert.False(RequestSyntax.TryValidateAction(action, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("projects/p:1/tickets/~u+a=b,c")]
    public void Concrete_resources_and_the_empty_path_are_valid(string? resource)
    {
        Assert.True(RequestSyntax.TryValidateResource(resource, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("x/*", "resource ('x/*'): wildcard '*' is not allowed in a request")]
    [InlineData("x/**", "resource ('x/**'): wildcard '*' is not allowed in a request")]
    [InlineData("/x", "resource ('/x'): empty resource segment")]
    [InlineData("x/", "resource ('x/'): empty resource segment")]
    [InlineData("x//y", "resource ('x//y'): empty resource segment")]
    [InlineData("x/y z/w", "resource ('x/y z/w'): invalid character ' ' in resource segment 'y z'")]
    [InlineData("x/a@b", "resource ('x/a@b'): invalid character '@' in resource segment 'a@b'")]
    public void Invalid_resources_are_rejected_with_an_exact_message(string resource, string message)
    {
        Assert.False(RequestSyntax.TryValidateResource(resource, out var error));
        Assert.Equal(message, error);
    }
}
