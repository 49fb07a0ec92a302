using System.Text.Json.Serialization;
using Orleans;

namespace Delegation.Grants;

/// <summary>Why a check was denied. A deny is an answer (HTTP 200), never an error.</summary>
[GenerateSerializer, Alias("delegation.DenyReason")]
[JsonConverter(typeof(JsonStringEnumConverter<DenyReason>))]
public enum DenyReason
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("unknown_grant")] UnknownGrant,
    [JsonStringEnumMemberName("invalid_token")] InvalidToken,
    [JsonStringEnumMemberName("revoked")] Revoked,
    [JsonStringEnumMemberName("ancestor_revoked")] AncestorRevoked,
    [JsonStringEnumMemberName("expired")] Expired,
    [JsonStringEnumMemberName("ancestor_expired")] AncestorExpired,
    [JsonStringEnumMemberName("suspended")] Suspended,
    [JsonStringEnumMemberName("ancestor_suspended")] AncestorSuspended,
    [JsonStringEnumMemberName("scope_mismatch")] ScopeMismatch,
    [JsonStringEnumMemberName("budget_exhausted")] BudgetExhausted,
    [JsonStringEnumMemberName("authority_unavailable")] AuthorityUnavailable,
    [JsonStringEnumMemberName("rate_limited")] RateLimited,
    [JsonStringEnumMemberName("approval_required")] ApprovalRequired,
}
