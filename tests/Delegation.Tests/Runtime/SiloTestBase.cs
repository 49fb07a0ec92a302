using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Storage;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Runtime;

/// <summary>A one-silo Orleans cluster over an in-memory store on a manual clock, fresh for every test.</summary>
public abstract class SiloTestBase : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private TestSilo? _silo;

    internal ManualTimeProvider Time { get; } = new();

    internal MemoryEventStore Store { get; } = new();

    internal TestSilo Silo => _silo ?? throw new InvalidOperationException("The silo starts in InitializeAsync.");

    public async Task InitializeAsync() => _silo = Own(await TestSilo.StartAsync(Store, Time));

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    internal T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    internal static string Json(TreeResponse tree) => JsonSerializer.Serialize(tree, DelegationJsonContext.Default.TreeResponse);

    internal static string Json(GrantView view) => JsonSerializer.Serialize(view, DelegationJsonContext.Default.GrantView);
}
