using System.Text.Json.Serialization;
using Orleans;

namespace Delegation.Grants;

/// <summary>The answer to a check.</summary>
[GenerateSerializer, Alias("delegation.Decision")]
[JsonConverter(typeof(JsonStringEnumConverter<Decision>))]
public enum Decision
{
    [JsonStringEnumMemberName("deny")] Deny,
    [JsonStringEnumMemberName("allow")] Allow,
}
