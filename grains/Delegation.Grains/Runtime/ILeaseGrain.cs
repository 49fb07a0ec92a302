using Delegation.Api;

namespace Delegation.Grains.Runtime;

/// <summary>A budget lease, addressed by its id (which embeds its tree).</summary>
public interface ILeaseGrain
{
    /// <summary>Settles the lease: <paramref name="used"/> units become spent, the rest is released.</summary>
    Task<SettleLeaseResponse> SettleAsync(long used, CancellationToken cancellationToken = default);
}
