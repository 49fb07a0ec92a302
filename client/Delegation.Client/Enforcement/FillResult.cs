namespace Delegation.Client;

/// <summary>How filling the cache for one token or grant id went.</summary>
internal readonly record struct FillResult(FillOutcome Outcome, CachedChain? Entry)
{
    public static readonly FillResult NotFound = new(FillOutcome.NotFound, null);
    public static readonly FillResult Unavailable = new(FillOutcome.Unavailable, null);
    public static readonly FillResult Failed = new(FillOutcome.Failed, null);

    public static FillResult Of(CachedChain entry) => new(FillOutcome.Cached, entry);
}
