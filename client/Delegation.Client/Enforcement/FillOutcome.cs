namespace Delegation.Client;

/// <summary>The outcome of filling the cache for one token or grant id.</summary>
internal enum FillOutcome
{
    /// <summary>An entry answers for it now (a chain, or an invalid token).</summary>
    Cached,

    /// <summary>No such grant.</summary>
    NotFound,

    /// <summary>No silo answered.</summary>
    Unavailable,

    /// <summary>A silo answered with something the cache cannot use; ask the silo for the decision instead.</summary>
    Failed,
}
