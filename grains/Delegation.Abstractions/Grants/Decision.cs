using System.Text.Json.Serialization;

namespace Delegation.Grants;

/// <summary>The answer to a check.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Decision>))]
public enum Decision
{
    [JsonStringEnumMemberName("deny")] Deny,
    [JsonStringEnumMemberName("allow")] Allow,
}
