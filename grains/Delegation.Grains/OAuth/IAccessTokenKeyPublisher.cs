using Delegation.Api;

namespace Delegation.Grains.OAuth;

/// <summary>The silo's source of its published signing keys (the silo's key ring), read by <see cref="AccessTokenKeysGrain"/>.</summary>
public interface IAccessTokenKeyPublisher
{
    /// <summary>The key set now, or null when this silo signs no tokens (no signing secret configured).</summary>
    /// <returns>The key set, or null.</returns>
    AccessTokenKeySet? Current();
}
