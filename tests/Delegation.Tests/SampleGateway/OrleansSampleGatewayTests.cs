namespace Delegation.Tests.SampleGateway;

/// <summary>The sample gateway in Orleans-client mode: the same requests, the same answers, no HTTP hop to the silo.</summary>
public sealed class OrleansSampleGatewayTests(OrleansSampleGatewayFixture fixture) : SampleGatewayTests<OrleansSampleGatewayFixture>(fixture);
