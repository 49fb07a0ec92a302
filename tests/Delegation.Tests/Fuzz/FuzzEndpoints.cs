namespace Delegation.Tests.Fuzz;

/// <summary>
/// Every endpoint the fuzz suite aims at, each with a request that would be valid. Names and grants are the fixture's
/// placeholders, except where a success would disable the fixture (the kill switches aim at names of their own).
/// A feed request that is accepted is an endless stream: the suite takes its 200 and closes it. An acknowledgement
/// names a stream that is not open (409 <c>feed_connection_closed</c>), so mutations probe everything before that.
/// </summary>
internal static class FuzzEndpoints
{
    public static readonly (string Method, string Path, string? Body)[] All =
    [
        ("POST", "/v1/grants", """{"user":"fuzz-user","agent":"fuzz-agent","scope":["docs:read@projects/1/**"],"budget":5,"ttlSeconds":60,"maxDepth":2,"purpose":"fuzz"}"""),
        ("GET", "/v1/grants?agent={rootAgent}", null),
        ("GET", "/v1/grants?user={user}", null),
        ("POST", "/v1/grants/{root}/delegations", """{"agent":"fuzz-sub","scope":["tickets:read@projects/42/**"],"budget":1,"ttlSeconds":60}"""),
        ("GET", "/v1/grants/{root}", null),
        ("GET", "/v1/grants/{child}?at=2030-01-01T00:00:30Z", null),
        ("GET", "/v1/grants/{root}/tree", null),
        ("GET", "/v1/grants/{root}/chain", null),
        ("GET", "/v1/grants/{root}/explain?action=tickets:read&resource=projects/42/1", null),
        ("POST", "/v1/grants/{child}/revoke?wait=false", """{"reason":"fuzz"}"""),
        ("POST", "/v1/grants/{child}/suspend", """{"reason":"fuzz"}"""),
        ("POST", "/v1/grants/{child}/resume", "{}"),
        ("POST", "/v1/agents/fuzz-nobody/revoke", """{"reason":"fuzz"}"""),
        ("POST", "/v1/users/fuzz-nobody/revoke", "{}"),
        ("POST", "/v1/check", """{"grantId":"{root}","action":"tickets:read","resource":"projects/42/1","cost":0}"""),
        ("POST", "/v1/check", """{"token":"{rootToken}","action":"tickets:read","resource":"projects/42/1"}"""),
        ("POST", "/v1/leases", """{"grantId":"{root}","units":1,"holder":"fuzz-gateway","ttlSeconds":30}"""),
        ("POST", "/v1/leases/{lease}/settle", """{"used":0}"""),
        ("GET", "/v1/feed?after=0", null),
        ("GET", "/v1/feed?after=1&enforcer=fuzz-enforcer", null),
        ("POST", "/v1/enforcers/ack", """{"enforcer":"fuzz-enforcer","seq":0,"connection":"fuzz-connection"}"""),
        ("POST", "/v1/rate-shares", """{"grantId":"{root}","requests":2,"units":0,"cost":0}"""),
        ("GET", "/v1/enforcers", null),
        ("GET", "/v1/grants/{root}/approvals", null),
        ("GET", "/v1/approvals?status=pending&limit=10", null),
        ("POST", "/v1/approvals/{root}_aaaaaaaaaaaaaaaa/approve", """{"reason":"fuzz"}"""),
        ("GET", "/v1/audit?agent={rootAgent}&decision=deny&limit=5", null),
        ("POST", "/v1/decisions", """{"decisions":[]}"""),
        ("GET", "/v1/stats", null),
        ("GET", "/healthz", null),
        ("POST", "/v1/dashboard/session", null),
        ("GET", "/v1/nothing-here", null),
    ];

    public static readonly string[] Credentials = ["none", "admin", "issuer", "enforcer", "root", "child", "revoked", "forged", "garbage"];
}
