using System.Globalization;

namespace Delegation.Client;

/// <summary>
/// The API's relative URIs. No leading slash, so a base address with a path prefix (behind a proxy) keeps it;
/// every caller-supplied segment is escaped.
/// </summary>
internal static class Routes
{
    public const string Health = "healthz";
    public const string Grants = "v1/grants";
    public const string Check = "v1/check";
    public const string Leases = "v1/leases";
    public const string RateShares = "v1/rate-shares";
    public const string Enforcers = "v1/enforcers";
    public const string Acknowledge = "v1/enforcers/ack";
    public const string Decisions = "v1/decisions";

    public static string Grant(string grantId) => $"v1/grants/{Escape(grantId)}";

    public static string Tree(string grantId) => $"v1/grants/{Escape(grantId)}/tree";

    public static string Chain(string grantId) => $"v1/grants/{Escape(grantId)}/chain";

    public static string Delegations(string grantId) => $"v1/grants/{Escape(grantId)}/delegations";

    public static string GrantAction(string grantId, string action) => $"v1/grants/{Escape(grantId)}/{action}";

    public static string RevokeAndWait(string grantId, TimeSpan? timeout) => timeout is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"v1/grants/{Escape(grantId)}/revoke?wait=true&timeoutMs={(long)Math.Ceiling(t.TotalMilliseconds)}")
        : $"v1/grants/{Escape(grantId)}/revoke?wait=true";

    public static string RevokeAgent(string agent) => $"v1/agents/{Escape(agent)}/revoke";

    public static string RevokeUser(string user) => $"v1/users/{Escape(user)}/revoke";

    public static string Approvals(string grantId) => $"v1/grants/{Escape(grantId)}/approvals";

    public static string PendingApprovals(int limit) => string.Create(CultureInfo.InvariantCulture, $"v1/approvals?status=pending&limit={limit}");

    public static string Decide(string approvalId, string decision) => $"v1/approvals/{Escape(approvalId)}/{decision}";

    public static string Settle(string leaseId) => $"v1/leases/{Escape(leaseId)}/settle";

    public static string Feed(long after) => string.Create(CultureInfo.InvariantCulture, $"v1/feed?after={after}");

    public static string Feed(long after, string enforcer) =>
        string.Create(CultureInfo.InvariantCulture, $"v1/feed?after={after}&enforcer={Escape(enforcer)}");

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
