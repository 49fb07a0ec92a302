using Delegation.Api;

namespace Delegation.Grains.Audit;

/// <summary>An in-process decision log for tests and demos.</summary>
public sealed class MemoryDecisionLog : IDecisionLog
{
    private readonly Lock _gate = new();
    private readonly List<(long Id, DecisionRecord Record)> _entries = [];
    private long _nextId;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var decision in decisions)
            {
                _entries.Add((++_nextId, decision));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<AuditResult> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var page = new List<(long Id, DecisionRecord Record)>();
            for (var i = _entries.Count - 1; i >= 0 && page.Count <= query.Limit; i--)
            {
                var (id, record) = _entries[i];
                if ((query.Before is null || id < query.Before) && Matches(record, query))
                {
                    page.Add((id, record));
                }
            }

            var more = page.Count > query.Limit;
            var items = page.Take(query.Limit).ToList();
            return Task.FromResult(new AuditResult(items.Select(e => e.Record).ToArray(), more ? items[^1].Id : null));
        }
    }

    /// <inheritdoc />
    public Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.RemoveAll(e => e.Record.Time < cutoff));
        }
    }

    private static bool Matches(DecisionRecord record, AuditQuery query) =>
        (query.Agent is null || record.Agent == query.Agent)
        && (query.User is null || record.User == query.User)
        && (query.GrantId is null || record.GrantId == query.GrantId || (query.Subtree && record.Chain.Contains(query.GrantId)))
        && (query.Action is null || record.Action == query.Action)
        && (query.Decision is null || record.Decision == query.Decision)
        && (query.From is null || record.Time >= query.From)
        && (query.To is null || record.Time < query.To);
}
