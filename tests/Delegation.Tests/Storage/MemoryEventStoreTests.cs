using Delegation.Grains.Storage;

namespace Delegation.Tests.Storage;

/// <summary>The store contract against the in-memory reference store.</summary>
public sealed class MemoryEventStoreTests : EventStoreConformanceTests
{
    protected override async Task<IEventStore> CreateStoreAsync()
    {
        var store = new MemoryEventStore();
        await store.InitializeAsync();
        return store;
    }
}
