namespace Delegation.Tests.Enforcement.Transports;

/// <summary>The enforcer's guarantees over HTTP.</summary>
public sealed class HttpEnforcerGuaranteeTests : EnforcerGuaranteeTests
{
    protected override EnforcerTransportFixture NewFixture() => new HttpTransportFixture();
}
