using Delegation.Tests.Cluster;

namespace Delegation.Tests.Infrastructure;

/// <summary>A silo with <c>Delegation:Store=redis</c> on the test Redis (<c>DELEGATION_TEST_REDIS</c>), under a key prefix of its own.</summary>
public sealed class RedisSiloFactory : SiloFactory
{
    /// <summary>A Redis-store silo, its keys under a fresh prefix (the throwaway server is deleted after the run).</summary>
    public RedisSiloFactory()
        : base(new SiloFactoryOptions { Store = "redis", Redis = (RedisTestServer.Endpoint, $"dlg-test:{Guid.NewGuid():N}:") })
    {
    }
}
