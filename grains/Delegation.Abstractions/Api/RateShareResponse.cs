using Orleans;

namespace Delegation.Api;

/// <summary>
/// A share of a chain's rate buckets, taken from the authority's buckets: the holder may allow up to
/// <see cref="Requests"/> requests costing up to <see cref="Units"/> in all within <see cref="ValidForMs"/> of
/// receiving it; what is left then is dropped, never given back. Across any number of enforcers a grant with rate r
/// and burst B thus allows at most B + r·(W + L) in any window W, where L is the share's lifetime (plus the answer's
/// transit time).
/// </summary>
/// <param name="GrantId">The grant the share is for.</param>
/// <param name="Requests">Requests granted; 0 when the chain's buckets could not spare even one.</param>
/// <param name="Units">Cost units granted (for links counting cost); <see cref="long.MaxValue"/> when no link counts cost.</param>
/// <param name="ValidForMs">How long the share may be spent from, in milliseconds from receipt.</param>
/// <param name="RetryAfterMs">When nothing was granted, how long until the buckets could spare the request.</param>
/// <param name="LimitedBy">When nothing was granted, the grant whose rate is used up.</param>
[GenerateSerializer, Immutable, Alias("delegation.RateShareResponse")]
public sealed record RateShareResponse(string GrantId, long Requests, long Units, long ValidForMs, long? RetryAfterMs = null, string? LimitedBy = null);
