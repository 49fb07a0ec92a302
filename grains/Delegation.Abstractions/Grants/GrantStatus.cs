using System.Text.Json.Serialization;
using Orleans;

namespace Delegation.Grants;

/// <summary>The status a grant holds by itself; the effective status also looks at its ancestors.</summary>
[GenerateSerializer, Alias("delegation.GrantStatus")]
[JsonConverter(typeof(JsonStringEnumConverter<GrantStatus>))]
public enum GrantStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("suspended")] Suspended,
    [JsonStringEnumMemberName("revoked")] Revoked,
    [JsonStringEnumMemberName("expired")] Expired,
}
