using Delegation.Grants;
using Delegation.Scopes;

namespace Delegation.Client;

/// <summary>
/// One grant as the near-cache holds it: its fixed definition, its compiled scope, and its own status, which the
/// feed changes in place. Shared by every cached chain that passes through it.
/// </summary>
internal sealed class CachedGrant
{
    private int _status;

    public CachedGrant(GrantRecord record, Scope scope, GrantStatus status, long statusVersion)
    {
        Id = record.Id;
        ParentId = record.ParentId;
        ExpiresAt = record.ExpiresAt;
        Budget = record.Budget;
        Rate = record.Rate;
        if (record.ApprovalScope is { Count: > 0 } marked)
        {
            // A mark this client cannot read fails closed: every request of the grant is then asked of a silo.
            Approval = Scope.TryParseStored(marked, out var approval, out _) ? approval : null;
            ApprovalUnreadable = Approval is null;
        }
        TokenHash = record.TokenHash;
        Scope = scope;
        _status = (int)status;
        StatusVersion = statusVersion;
    }

    public string Id { get; }

    public string? ParentId { get; }

    public DateTimeOffset ExpiresAt { get; }

    public long? Budget { get; }

    public RateLimit? Rate { get; }

    /// <summary>The permissions whose requests need a person's approval, or null.</summary>
    public Scope? Approval { get; }

    /// <summary>True when the grant marks permissions for approval in a form this client cannot read.</summary>
    public bool ApprovalUnreadable { get; }

    public string TokenHash { get; }

    public Scope Scope { get; }

    /// <summary>The grant's own status; read without a lock on every check.</summary>
    public GrantStatus Status => (GrantStatus)Volatile.Read(ref _status);

    /// <summary>The tree version as of which <see cref="Status"/> is known. Guarded by the tree's lock.</summary>
    public long StatusVersion { get; private set; }

    /// <summary>Cached chains that hold this grant. Guarded by the tree's lock.</summary>
    public int References { get; set; }

    /// <summary>
    /// Sets the status known as of tree version <paramref name="version"/>, unless a newer one is already known:
    /// a chain read before a feed event must not undo it, and a feed event older than a chain must not either.
    /// Call under the tree's lock.
    /// </summary>
    public bool TrySetStatus(GrantStatus status, long version)
    {
        if (version <= StatusVersion)
        {
            return false;
        }

        StatusVersion = version;
        Volatile.Write(ref _status, (int)status);
        return true;
    }
}
