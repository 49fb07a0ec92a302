using Delegation.Scopes;

namespace Delegation.Tests.Scopes;

public class MatchingTests
{
    public static TheoryData<string, string, string, bool> Requests => new()
    {
        // A final '*' in an action matches one or more segments.
        { "tickets:*", "tickets:read", "", true },
        { "tickets:*", "tickets:read:all", "", true },
        { "tickets:*", "tickets", "", false },
        { "tickets:*", "ticketsx:read", "", false },
        { "tickets:*", "other:tickets:read", "", false },
        // A lone '*' matches every action.
        { "*", "a", "", true },
        { "*", "a:b:c", "x/y", true },
        // Literal actions match exactly, case-sensitively.
        { "tickets:read", "tickets:read", "", true },
        { "tickets:read", "tickets:read:all", "", false },
        { "tickets:read", "tickets", "", false },
        { "tickets:read", "Tickets:read", "", false },
        // No resource means '**': every path, the empty one included.
        { "a", "a", "", true },
        { "a", "a", "x/y/z", true },
        { "a@**", "a", "", true },
        { "a@**", "a", "x", true },
        // '*' matches exactly one segment.
        { "a@*", "a", "", false },
        { "a@*", "a", "x", true },
        { "a@*", "a", "x/y", false },
        { "a@x/*", "a", "x/y", true },
        { "a@x/*", "a", "x", false },
        { "a@x/*", "a", "x/y/z", false },
        { "a@x/*/z", "a", "x/y/z", true },
        { "a@x/*/z", "a", "x/y/w", false },
        // A final '**' matches zero or more segments.
        { "a@x/**", "a", "x", true },
        { "a@x/**", "a", "x/y", true },
        { "a@x/**", "a", "x/y/z", true },
        { "a@x/**", "a", "", false },
        { "a@x/**", "a", "y", false },
        { "a@x/**", "a", "xy", false },
        // Literal resources match exactly, case-sensitively, including every allowed character.
        { "a@x", "a", "x", true },
        { "a@x", "a", "X", false },
        { "a@x", "a", "", false },
        { "a@projects/p:1/~u+a=b,c", "a", "projects/p:1/~u+a=b,c", true },
        // Requests that are not concrete and valid are denied, whatever the permission.
        { "*", "tickets:*", "", false },
        { "*", "*", "", false },
        { "*", "", "", false },
        { "*", " a", "", false },
        { "*", "a:", "", false },
        { "*", "a", "x//y", false },
        { "*", "a", "/x", false },
        { "*", "a", "x/", false },
        { "*", "a", "*", false },
        { "*", "a", "x/**", false },
        { "*", "a", "x y", false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void A_permission_matches_exactly_the_requests_its_pattern_describes(string permission, string action, string resource, bool expected)
    {
        Assert.Equal(expected, Permission.Parse(permission).Matches(action, resource));
        Assert.Equal(expected, Scope.Parse([permission]).Allows(action, resource));
    }

    [Fact]
    public void A_scope_allows_what_any_of_its_permissions_allows()
    {
        var scope = Scope.Parse(["tickets:read@projects/*/tickets/**", "users:read@users/me"]);

        Assert.True(scope.Allows("tickets:read", "projects/p1/tickets"));
        Assert.True(scope.Allows("tickets:read", "projects/p1/tickets/t9/comments"));
        Assert.True(scope.Allows("users:read", "users/me"));
        Assert.False(scope.Allows("users:read", "users/them"));
        Assert.False(scope.Allows("tickets:write", "projects/p1/tickets"));
        Assert.False(scope.Allows("tickets:read", "projects/tickets"));
    }

    [Fact]
    public void Checking_a_request_allocates_nothing()
    {
        var scope = Scope.Parse(["tickets:read@projects/*/tickets/**", "users:*@users/me", "admin"]);
        var permission = scope.Permissions[0];
        var hits = 0;
        Check();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Check();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001 * 5, hits);

        void Check()
        {
            hits += scope.Allows("tickets:read", "projects/p1/tickets/t9") ? 1 : 0;
            hits += scope.Allows("users:read:all", "users/me") ? 1 : 0;
            hits += scope.Allows("admin", "") ? 1 : 0;
            hits += scope.Allows("billing:pay", "x") ? 0 : 1;
            hits += permission.Matches("tickets:read", "projects/p1/tickets") ? 1 : 0;
        }
    }
}
