namespace Delegation.Silo.Security;

/// <summary>When a holder (a grant token) may act on the grant an endpoint's <c>{id}</c> names.</summary>
public enum HolderRule
{
    /// <summary>Never: only the policy's roles may call.</summary>
    None,

    /// <summary>When the grant is the holder's own: a holder delegates only from its own grant.</summary>
    OwnGrant,

    /// <summary>When the grant is the holder's own or under it: a holder acts on its grant and its subtree.</summary>
    OwnSubtree,
}
