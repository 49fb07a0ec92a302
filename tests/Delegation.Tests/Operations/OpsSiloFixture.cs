namespace Delegation.Tests.Operations;

/// <summary>
/// One silo (memory store, system clock) shared by the tests of a class that only send requests the silo refuses,
/// or that make their own grants; it saves starting a silo per test.
/// </summary>
public sealed class OpsSiloFixture : IAsyncLifetime
{
    /// <summary>The shared silo.</summary>
    public OpsSilo Silo { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
