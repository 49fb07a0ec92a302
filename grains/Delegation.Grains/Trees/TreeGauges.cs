namespace Delegation.Grains.Trees;

/// <summary>What this silo's tree grains hold right now, for the stats endpoint: activations and budget leases.</summary>
public sealed class TreeGauges
{
    private long _activations;
    private long _leases;

    /// <summary>Tree grains active in this silo.</summary>
    public long Activations => Interlocked.Read(ref _activations);

    /// <summary>Budget leases the tree grains of this silo hold.</summary>
    public long Leases => Interlocked.Read(ref _leases);

    internal void Activated() => Interlocked.Increment(ref _activations);

    internal void Deactivated() => Interlocked.Decrement(ref _activations);

    internal void LeasesChanged(long delta) => Interlocked.Add(ref _leases, delta);
}
