namespace Delegation.Tests.SampleGateway;

/// <summary>The sample gateway in HTTP mode.</summary>
public sealed class HttpSampleGatewayTests(SampleGatewayFixture fixture) : SampleGatewayTests<SampleGatewayFixture>(fixture);
