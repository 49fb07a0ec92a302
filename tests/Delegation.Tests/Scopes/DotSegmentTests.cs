using Delegation.Scopes;

namespace Delegation.Tests.Scopes;

/// <summary>Resources are canonical paths: a '.' or '..' segment is refused in scopes and in requests, never taken literally.</summary>
public class DotSegmentTests
{
    [Theory]
    [InlineData("docs:read@projects/42/../43/**")]
    [InlineData("docs:read@projects/./42/**")]
    [InlineData("docs:read@..")]
    [InlineData("docs:read@projects/42/.")]
    public void A_permission_with_a_dot_segment_is_refused_as_non_canonical(string text)
    {
        var failure = Assert.Throws<ScopeFormatException>(() => Scope.Parse([text]));

        Assert.Equal(RequestSyntax.DotSegmentReason, failure.Reason);
        Assert.Contains("'.' and '..'", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("projects/42/../43/secret")]
    [InlineData("projects/42/./secret")]
    [InlineData("..")]
    [InlineData("projects/42/..")]
    public void A_request_with_a_dot_segment_is_refused_and_never_allowed(string resource)
    {
        var scope = Scope.Parse(["docs:*@projects/42/**", "docs:read"]);

        Assert.False(RequestSyntax.TryValidateResource(resource, out var error));
        Assert.Contains("'.' and '..'", error, StringComparison.Ordinal);
        Assert.True(RequestSyntax.IsNonCanonicalResource(resource));
        Assert.False(scope.Allows("docs:read", resource));
    }

    [Theory]
    [InlineData("projects/.../x")]
    [InlineData("projects/.hidden/x")]
    [InlineData("projects/v1.2/x")]
    public void Segments_that_only_contain_dots_among_other_characters_are_ordinary(string resource)
    {
        Assert.True(RequestSyntax.TryValidateResource(resource, out _));
        Assert.False(RequestSyntax.IsNonCanonicalResource(resource));
        Assert.True(Scope.Parse(["docs:read@" + resource]).Allows("docs:read", resource));
    }

    [Fact]
    public void A_scope_stored_before_dot_segments_were_refused_still_loads_and_its_dot_segments_match_nothing()
    {
        var stored = Scope.ParseStored(["docs:read@projects/42/../43/**", "docs:read@projects/7/**"]);

        Assert.False(stored.Allows("docs:read", "projects/43/secret"));
        Assert.False(stored.Allows("docs:read", "projects/42/../43/secret"));
        Assert.True(stored.Allows("docs:read", "projects/7/x"));
    }

    [Fact]
    public void An_enforcer_caches_a_stored_dot_segment_scope_as_the_silo_loads_it()
    {
        Assert.True(Scope.TryParseStored(["docs:read@projects/42/../43/**", "docs:read@projects/7/**"], out var stored, out _));
        Assert.False(Scope.TryParse(["docs:read@projects/42/../43/**"], out _, out var refused));

        Assert.False(stored.Allows("docs:read", "projects/43/secret"));
        Assert.True(stored.Allows("docs:read", "projects/7/x"));
        Assert.NotNull(refused);
    }
}
