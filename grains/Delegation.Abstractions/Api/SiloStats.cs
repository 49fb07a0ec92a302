namespace Delegation.Api;

/// <summary>Answer to <c>GET /v1/stats</c>: what the operators' overview shows about one silo.</summary>
/// <param name="Silo">The silo's name.</param>
/// <param name="Store">The store kind (sqlite, memory, postgres).</param>
/// <param name="StartedAt">When the silo started.</param>
/// <param name="Now">The silo's clock.</param>
/// <param name="FeedHead">The newest feed sequence number.</param>
/// <param name="Activations">Trees loaded in this silo.</param>
/// <param name="LeasesHeld">Budget leases this silo holds.</param>
/// <param name="Grants">Grants by their own status, across the whole store.</param>
/// <param name="Series">Checks per second (allowed, denied) and latency percentiles, oldest first.</param>
/// <param name="Enforcers">Enforcers connected to this silo and their lag.</param>
/// <param name="Propagation">Recent waits for enforcers to acknowledge a change, newest last.</param>
/// <param name="DecisionLog">The decision log's counters.</param>
public sealed record SiloStats(
    string Silo,
    string Store,
    DateTimeOffset StartedAt,
    DateTimeOffset Now,
    long FeedHead,
    int Activations,
    int LeasesHeld,
    GrantCounts Grants,
    IReadOnlyList<StatsSecond> Series,
    IReadOnlyList<EnforcerView> Enforcers,
    IReadOnlyList<PropagationSample> Propagation,
    DecisionLogStats DecisionLog);
