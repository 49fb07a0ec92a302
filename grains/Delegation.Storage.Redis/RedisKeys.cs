namespace Delegation.Storage.Redis;

/// <summary>
/// The names of every key this project writes, all under one prefix (default <c>dlg:</c>), so several deployments
/// or test runs can share one server, and so a future Redis Cluster can hash-tag them. Each store type adds its own
/// keys here, never inline.
/// </summary>
/// <param name="Prefix">The prefix of every key, e.g. <c>dlg:</c> or <c>dlg:test-1234:</c>.</param>
public sealed record RedisKeys(string Prefix = "dlg:")
{
    /// <summary>A key under the prefix.</summary>
    public string Of(string name) => Prefix + name;
}
