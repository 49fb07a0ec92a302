using Delegation.Tests.Operations;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The audit scenario on a silo with <c>Delegation:Store=redis</c> (events, feed, decision log and enforcer registry on
/// the test Redis), under a key prefix of its own.
/// </summary>
public sealed class RedisAuditScenario : AuditScenario
{
    private readonly RedisTestPrefix _keys = new();

    public override OpsSilo CreateSilo() =>
        new(new OpsSiloOptions { Time = Clock, Store = "redis", Redis = (RedisTestServer.Endpoint, _keys.Prefix) });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _keys.DisposeAsync();
    }
}
