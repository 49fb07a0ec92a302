namespace Delegation.Client;

/// <summary>What taking one request from a rate share came to.</summary>
internal enum RateOutcome
{
    /// <summary>Taken from the entry's share (a new one if need be).</summary>
    Taken,

    /// <summary>The chain's rate is used up: deny rate_limited with the retry-after the authority gave.</summary>
    Limited,

    /// <summary>The authority refused the share for another reason (the grant is not active any more): ask it the check.</summary>
    AskSilo,

    /// <summary>No silo answered: deny authority_unavailable.</summary>
    Unavailable,
}
