using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Delegation.Api;
using Delegation.Grants;

namespace Delegation.Cli.Grants;

/// <summary>The API's names of enum values (<c>ancestor_revoked</c>, <c>active</c>), so the CLI says what the API says.</summary>
internal static class WireNames
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string Of(GrantStatus status) => Of(status, DelegationJsonContext.Default.GrantStatus);

    public static string Of(DenyReason reason) => Of(reason, DelegationJsonContext.Default.DenyReason);

    public static string Of(Decision decision) => Of(decision, DelegationJsonContext.Default.Decision);

    private static string Of<T>(T value, JsonTypeInfo<T> typeInfo)
        where T : struct, Enum =>
        Names.GetOrAdd(value, static (_, state) => JsonSerializer.Serialize(state.value, state.typeInfo).Trim('"'), (value, typeInfo));
}
