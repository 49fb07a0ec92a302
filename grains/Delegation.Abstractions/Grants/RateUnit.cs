using System.Text.Json.Serialization;
using Orleans;

namespace Delegation.Grants;

/// <summary>What a grant's rate limit counts: each request as one, or each request's cost in budget units.</summary>
[GenerateSerializer, Alias("delegation.RateUnit")]
[JsonConverter(typeof(JsonStringEnumConverter<RateUnit>))]
public enum RateUnit
{
    /// <summary>Every check counts one, whatever its cost.</summary>
    [JsonStringEnumMemberName("requests")] Requests,

    /// <summary>Every check counts its cost.</summary>
    [JsonStringEnumMemberName("cost")] Cost,
}
