namespace Delegation.Tests.Enforcement.Transports;

/// <summary>The enforcer's guarantees over the Orleans client.</summary>
public sealed class OrleansEnforcerGuaranteeTests : EnforcerGuaranteeTests
{
    protected override EnforcerTransportFixture NewFixture() => new OrleansTransportFixture();
}
