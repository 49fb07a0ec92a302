using Delegation.Tests.Operations;

namespace Delegation.Tests.Cluster;

/// <summary>The audit query contract of the operations tests, through a silo on PostgreSQL (its decision log included).</summary>
public sealed class PostgresAuditQueryTests(PostgresAuditScenario shared) : AuditQueryTests<PostgresAuditScenario>(shared);
