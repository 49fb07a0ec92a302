namespace Delegation.Api;

/// <summary>
/// Body of <c>POST /v1/rate-shares</c> (enforcer, admin): an enforcer takes a share of a rate-limited chain's
/// buckets, to allow that many requests locally without asking per request.
/// </summary>
/// <param name="GrantId">The grant checked; the share is taken from it and every rate-limited ancestor.</param>
/// <param name="Requests">Requests wanted (for links counting requests), at least 1.</param>
/// <param name="Units">Cost units wanted (for links counting cost), at least 0.</param>
/// <param name="Cost">The cost of the request at hand: a share with fewer units than this is no use, so none is given.</param>
public sealed record RateShareRequest(string? GrantId, long? Requests, long? Units = null, long? Cost = null);
