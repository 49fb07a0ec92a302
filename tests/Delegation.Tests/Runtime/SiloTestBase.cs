using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Storage;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Runtime;

/// <summary>A silo over an in-memory store on a manual clock, fresh for every test.</summary>
public abstract class SiloTestBase : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    protected SiloTestBase()
    {
        Silo = Own(new TestSilo(Store, Time));
    }

    internal ManualTimeProvider Time { get; } = new();

    internal MemoryEventStore Store { get; } = new();

    internal TestSilo Silo { get; }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    internal T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    internal static string Json(TreeResponse tree) => JsonSerializer.Serialize(tree, DelegationJsonContext.Default.TreeResponse);

    internal static string Json(GrantView view) => JsonSerializer.Serialize(view, DelegationJsonContext.Default.GrantView);
}
