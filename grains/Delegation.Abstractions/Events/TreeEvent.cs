using System.Text.Json.Serialization;
using Orleans;

namespace Delegation.Events;

/// <summary>
/// One change to a delegation tree. A tree's state is the fold of its events; the events of all trees, in the
/// store's global sequence, are the feed that keeps every cache fresh and the audit trail of every change.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(GrantCreated), "grant_created")]
[JsonDerivedType(typeof(GrantDelegated), "grant_delegated")]
[JsonDerivedType(typeof(GrantRevoked), "grant_revoked")]
[JsonDerivedType(typeof(GrantSuspended), "grant_suspended")]
[JsonDerivedType(typeof(GrantResumed), "grant_resumed")]
[JsonDerivedType(typeof(GrantExpired), "grant_expired")]
[JsonDerivedType(typeof(LeaseReserved), "lease_reserved")]
[JsonDerivedType(typeof(LeaseSettled), "lease_settled")]
[JsonDerivedType(typeof(LeaseExpired), "lease_expired")]
[JsonDerivedType(typeof(ApprovalRequested), "approval_requested")]
[JsonDerivedType(typeof(ApprovalDecided), "approval_decided")]
[JsonDerivedType(typeof(ApprovalUsed), "approval_used")]
[GenerateSerializer, Immutable, Alias("delegation.TreeEvent")]
public abstract record TreeEvent
{
    /// <summary>The wire name of the event type, as it appears in the feed and the store.</summary>
    [JsonIgnore]
    public string TypeName => this switch
    {
        GrantCreated => "grant_created",
        GrantDelegated => "grant_delegated",
        GrantRevoked => "grant_revoked",
        GrantSuspended => "grant_suspended",
        GrantResumed => "grant_resumed",
        GrantExpired => "grant_expired",
        LeaseReserved => "lease_reserved",
        LeaseSettled => "lease_settled",
        LeaseExpired => "lease_expired",
        ApprovalRequested => "approval_requested",
        ApprovalDecided => "approval_decided",
        ApprovalUsed => "approval_used",
        _ => GetType().Name,
    };
}
