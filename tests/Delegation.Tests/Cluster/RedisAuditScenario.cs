using Delegation.Storage.Redis;
using Delegation.Tests.Operations;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The audit scenario on a silo whose decision log is the Redis one, under a key prefix of its own (the event store
/// stays in memory until the silo can be configured with <c>Delegation:Store=redis</c>).
/// </summary>
public sealed class RedisAuditScenario : AuditScenario
{
    private readonly RedisTestPrefix _keys = new();

    public override OpsSilo CreateSilo() =>
        new(new OpsSiloOptions { Time = Clock, DecisionLog = new RedisDecisionLog(RedisTestPrefix.ConnectAsync().GetAwaiter().GetResult(), _keys.Prefix) });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _keys.DisposeAsync();
    }
}
