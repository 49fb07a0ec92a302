using Delegation.Grains.Audit;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Storage;

namespace Delegation.Silo.Hosting;

/// <summary>
/// Creates or migrates the stores' schemas before the Orleans silo starts, so that no tree grain (which another
/// silo may place here as soon as this one joins the cluster) activates on a store that is not ready.
/// </summary>
public sealed class StoreStartup(IEventStore store, IDecisionLog decisionLog, IEnforcerRegistry enforcers) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await decisionLog.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await enforcers.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
