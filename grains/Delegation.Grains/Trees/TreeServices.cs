using Delegation.Grains.Anomaly;
using Delegation.Grains.Audit;
using Delegation.Grains.Budget;
using Delegation.Grains.Metrics;
using Delegation.Grains.Storage;

namespace Delegation.Grains.Trees;

/// <summary>What every tree grain of a silo shares: the store, the domain clock, the lease sizing, the decision log, the meters and the anomaly rules.</summary>
/// <param name="Store">The event store the trees load from and append to.</param>
/// <param name="Time">The clock checks and expiries are decided by.</param>
/// <param name="Leases">How the trees size and keep their budget leases.</param>
/// <param name="Options">Retry limits and the silo's name.</param>
/// <param name="Decisions">Where decisions are recorded, if anywhere.</param>
/// <param name="Metrics">The meters, if any.</param>
/// <param name="Gauges">Activations and leases held in this silo, if counted.</param>
/// <param name="Anomalies">The anomaly rules, when enabled.</param>
/// <param name="Local">Where activations register so that the silo decides their checks without a grain call, if anywhere.</param>
public sealed record TreeServices(
    IEventStore Store,
    TimeProvider Time,
    LeaseBankOptions Leases,
    TreeGrainOptions Options,
    DecisionRecorder? Decisions = null,
    DelegationMetrics? Metrics = null,
    TreeGauges? Gauges = null,
    AnomalyTracker? Anomalies = null,
    LocalTrees? Local = null);
