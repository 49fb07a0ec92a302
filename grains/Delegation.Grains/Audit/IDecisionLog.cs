using Delegation.Api;

namespace Delegation.Grains.Audit;

/// <summary>
/// The decision log: every check's answer, kept apart from the tree events (state changes are in the event log
/// itself). Written in batches; queried by operators; pruned by retention.
/// </summary>
public interface IDecisionLog
{
    /// <summary>Creates or migrates what the log needs. Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends a batch of decisions in one write.</summary>
    Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default);

    /// <summary>Entries matching <paramref name="query"/>, newest first.</summary>
    Task<AuditResult> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes entries older than <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
