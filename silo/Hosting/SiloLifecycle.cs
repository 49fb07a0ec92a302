using Delegation.Grains.Audit;
using Delegation.Grains.Budget;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Runtime;
using Delegation.Grains.Storage;
using Delegation.Silo.Cluster;
using Delegation.Silo.Security;
using Delegation.Silo.Stats;

namespace Delegation.Silo.Hosting;

/// <summary>
/// Starts the silo (schema, keys) before it takes requests, runs the runtime's housekeeping on intervals, and
/// on a graceful stop settles the leases it holds so their unused units are released at once.
/// </summary>
public sealed partial class SiloLifecycle(
    IEventStore store,
    KeyRing keys,
    RuntimeMaintenance maintenance,
    RuntimeOptions runtime,
    LeaseBankOptions leases,
    SiloLeaseBank bank,
    TreeDirectory directory,
    FeedTailer tailer,
    IEnforcerRegistry enforcers,
    ClusterOptions cluster,
    IDecisionLog decisionLog,
    DecisionRecorder recorder,
    DecisionLogOptions decisionOptions,
    FleetCounter fleet,
    CheckSeries series,
    SiloClock clock,
    TimeProvider time,
    ILogger<SiloLifecycle> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly Lock _stopGate = new();
    private Task? _stop;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await decisionLog.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await enforcers.InitializeAsync(cancellationToken).ConfigureAwait(false);

        // Caught up with the store before the first request, so a shared store's freshness guard lets checks in.
        await tailer.RunOnceAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        _loops.Add(recorder.RunAsync(_stopping.Token));
        _loops.Add(LoopAsync(TimeSpan.FromHours(1), () => decisionLog.PruneAsync(time.GetUtcNow() - decisionOptions.Retention, _stopping.Token), "prune the decision log"));
        GC.KeepAlive(keys);
        _loops.Add(LoopAsync(runtime.CollectionInterval, () => Task.FromResult(maintenance.CollectIdle()), "collect idle activations"));
        _loops.Add(LoopAsync(runtime.DueSweepInterval, () => maintenance.WakeDueTreesAsync(_stopping.Token), "wake due trees"));
        _loops.Add(LoopAsync(leases.IdleSettleAfter, () => maintenance.SettleIdleLeasesAsync(_stopping.Token), "settle idle leases"));
        _loops.Add(LoopAsync(TimeSpan.Zero, () => tailer.RunOnceAsync(TimeSpan.FromSeconds(1), _stopping.Token), "tail the feed"));
        _loops.Add(LoopAsync(cluster.HeartbeatInterval, () => enforcers.HeartbeatAsync(_stopping.Token), "refresh enforcer liveness"));
        _loops.Add(LoopAsync(TimeSpan.Zero, () => fleet.RunOnceAsync(TimeSpan.FromSeconds(1), _stopping.Token), "count grants"));
        GC.KeepAlive(series);
        GC.KeepAlive(clock);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may stop its services more than once, and dispose them in between: under WebApplicationFactory the
        // app's own Run() and the factory both stop the host (dotnet/aspnetcore#40271). Every caller awaits one stop.
        lock (_stopGate)
        {
            return _stop ??= StopOnceAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        try
        {
            await bank.SettleAllAsync(directory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unsettled leases count as spent when they expire: nothing is overspent, some units are stranded.
            LogSettleFailed(logger, ex);
        }
    }

    private async Task LoopAsync(TimeSpan interval, Func<Task<int>> pass, string name)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (interval > TimeSpan.Zero)
                {
                    await Task.Delay(interval, time, _stopping.Token).ConfigureAwait(false);
                }

                await pass().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex, name);

                // A pass that fails at once (the store is down) must not spin.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Housekeeping pass '{Pass}' failed; it runs again at its next interval.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string pass);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Settling leases at shutdown failed; they count as spent when they expire.")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception);
}
