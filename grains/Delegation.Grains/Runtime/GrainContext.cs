using Delegation.Grains.Budget;

namespace Delegation.Grains.Runtime;

/// <summary>What every grain reference of a silo shares: the directory, the clock and the silo's lease bank.</summary>
internal sealed record GrainContext(TreeDirectory Directory, TimeProvider Time, SiloLeaseBank Bank);
