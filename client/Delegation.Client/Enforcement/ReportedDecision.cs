using Delegation.Grants;

namespace Delegation.Client;

/// <summary>
/// A decision this enforcer made, waiting to be reported: references the check already held and a few numbers, so
/// queuing it allocates nothing. The report's record (chain, agent, user) is built from the cache when it is sent.
/// </summary>
internal readonly record struct ReportedDecision(
    string Key, string? GrantId, string Action, string? Resource, long Cost, Decision Decision, DenyReason Reason, string? DecidedBy, long UtcTicks);
