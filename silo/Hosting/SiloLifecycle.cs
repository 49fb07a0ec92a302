using Delegation.Grains.Audit;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Trees;
using Delegation.Silo.Feed;
using Delegation.Silo.Security;
using Delegation.Silo.Stats;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Hosting;

/// <summary>
/// Runs the silo's housekeeping on intervals: the decision log's writer and pruning, the due sweep that wakes
/// trees whose expiries fell due while they were not active, enforcer liveness and the grant counts. (A graceful
/// stop deactivates the tree grains, which settle the leases they hold.)
/// </summary>
public sealed partial class SiloLifecycle(
    KeyRing keys,
    DueTreeSweep dueSweep,
    IOptions<OrleansOptions> orleans,
    IEnforcerRegistry enforcers,
    EnforcerRegistryOptions cluster,
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
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loops.Add(recorder.RunAsync(_stopping.Token));
        _loops.Add(LoopAsync(TimeSpan.FromHours(1), () => decisionLog.PruneAsync(time.GetUtcNow() - decisionOptions.Retention, _stopping.Token), "prune the decision log"));
        GC.KeepAlive(keys);
        _loops.Add(LoopAsync(orleans.Value.DueSweepInterval, () => dueSweep.RunOnceAsync(_stopping.Token), "wake due trees"));
        _loops.Add(LoopAsync(cluster.HeartbeatInterval, () => enforcers.HeartbeatAsync(_stopping.Token), "refresh enforcer liveness"));
        _loops.Add(LoopAsync(TimeSpan.Zero, () => fleet.RunOnceAsync(TimeSpan.FromSeconds(1), _stopping.Token), "count grants"));
        GC.KeepAlive(series);
        GC.KeepAlive(clock);
        return Task.CompletedTask;
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
        await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
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
}
