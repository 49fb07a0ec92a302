using Delegation.Api;

namespace Delegation.Grains.Enforcers;

/// <summary>
/// The enforcers following the feed and the feed position each has acknowledged. An enforcer is live while it has a
/// named feed stream open (on any silo that shares this registry); a silent one is already failing closed within
/// its maxStaleness, so a wait for acknowledgements counts only live enforcers. One silo keeps it in memory; silos
/// sharing a database keep it there, so that <c>revoke?wait=true</c> on any silo counts the enforcers of every silo.
/// </summary>
public interface IEnforcerRegistry
{
    /// <summary>Creates what the registry needs. Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Registers an open feed stream of <paramref name="name"/>; dispose the result when it closes.</summary>
    Task<IAsyncDisposable> ConnectAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="name"/> has applied the feed up to <paramref name="seq"/>.</summary>
    Task AcknowledgeAsync(string name, long seq, CancellationToken cancellationToken = default);

    /// <summary>Every enforcer known, with its lag behind <paramref name="head"/>, ordered by name.</summary>
    Task<IReadOnlyList<EnforcerView>> ListAsync(long head, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until every live enforcer has acknowledged <paramref name="seq"/>, or <paramref name="timeout"/>.
    /// Counts the enforcers live when the wait starts; one that stops being live meanwhile stops being waited for.
    /// </summary>
    Task<PropagationView> WaitForAsync(long seq, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>One pass of upkeep (a shared registry refreshes this silo's liveness); the silo runs it on an interval.</summary>
    Task<int> HeartbeatAsync(CancellationToken cancellationToken = default);
}
