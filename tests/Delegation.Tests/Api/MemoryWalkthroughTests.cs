using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Api;

/// <summary>The walkthrough on the memory store.</summary>
public sealed class MemoryWalkthroughTests(SiloFactory silo) : WalkthroughTests(silo), IClassFixture<SiloFactory>;
