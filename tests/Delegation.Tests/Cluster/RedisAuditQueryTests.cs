using Delegation.Tests.Operations;

namespace Delegation.Tests.Cluster;

/// <summary>The audit query contract of the operations tests, through a silo whose decision log is on Redis.</summary>
public sealed class RedisAuditQueryTests(RedisAuditScenario shared) : AuditQueryTests<RedisAuditScenario>(shared);
