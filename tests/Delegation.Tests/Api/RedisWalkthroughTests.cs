using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Api;

/// <summary>The README walkthrough on a silo whose store is Redis (events, feed, decision log, enforcer registry).</summary>
public sealed class RedisWalkthroughTests(RedisSiloFactory silo) : WalkthroughTests(silo), IClassFixture<RedisSiloFactory>;
