using Delegation.Grains.Audit;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Storage;
using Delegation.Silo.Configuration;
using Delegation.Storage.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Delegation.Silo.Hosting;

/// <summary>
/// Creates or migrates the stores' schemas before the Orleans silo starts, so that no tree grain (which another
/// silo may place here as soon as this one joins the cluster) activates on a store that is not ready. On PostgreSQL it
/// first takes the membership lock (<see cref="PostgresMembershipLock"/>) and holds it while the silo runs.
/// </summary>
public sealed class StoreStartup(
    IEventStore store, IDecisionLog decisionLog, IEnforcerRegistry enforcers, IOptions<DelegationOptions> options, IServiceProvider services)
    : IHostedService, IAsyncDisposable
{
    private PostgresMembershipLock? _membership;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Store == "postgres")
        {
            // Before anything else: a silo that is not in the same Orleans cluster as the silos already on this
            // database must not start (it would hold a second, unsynchronised activation of every tree).
            _membership = await PostgresMembershipLock.AcquireAsync(
                services.GetRequiredService<NpgsqlDataSource>(), shared: options.Value.Cluster == DelegationOptions.RedisCluster, cancellationToken).ConfigureAwait(false);
        }

        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await decisionLog.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await enforcers.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_membership is { } membership)
        {
            await membership.DisposeAsync().ConfigureAwait(false);
        }
    }
}
