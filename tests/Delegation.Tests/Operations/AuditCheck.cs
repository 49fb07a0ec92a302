using Delegation.Grants;

namespace Delegation.Tests.Operations;

/// <summary>One check of an <see cref="AuditScenario"/> as the test made it: the model the audit log is compared with.</summary>
public sealed record AuditCheck(DateTimeOffset Time, string Grant, IReadOnlyList<string> Chain, string Agent, string User, string Action, Decision Decision);
