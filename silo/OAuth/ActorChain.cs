using System.Text.Json;
using Delegation.Api;

namespace Delegation.Silo.OAuth;

/// <summary>
/// The RFC 8693 §4.1 <c>act</c> claim of a grant's chain: the holder is the current actor, and each ancestor's agent
/// the prior actor nested inside, up to the root grant's agent. The person is the token's <c>sub</c>, not an actor.
/// </summary>
public static class ActorChain
{
    /// <summary>The claim as nested dictionaries, for the token handler.</summary>
    public static Dictionary<string, object> Claim(ChainResponse chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        Dictionary<string, object>? inner = null;
        for (var i = chain.Links.Count - 1; i >= 0; i--)
        {
            var actor = new Dictionary<string, object>(StringComparer.Ordinal) { ["sub"] = chain.Links[i].Grant.Agent };
            if (inner is not null)
            {
                actor["act"] = inner;
            }

            inner = actor;
        }

        return inner ?? throw new ArgumentException("A chain has at least its grant.", nameof(chain));
    }

    /// <summary>Writes the claim as the value of the current property.</summary>
    public static void Write(Utf8JsonWriter writer, ChainResponse chain)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(chain);
        foreach (var link in chain.Links)
        {
            writer.WriteStartObject();
            writer.WriteString("sub", link.Grant.Agent);
            if (!ReferenceEquals(link, chain.Links[^1]))
            {
                writer.WritePropertyName("act");
            }
        }

        foreach (var _ in chain.Links)
        {
            writer.WriteEndObject();
        }
    }
}
