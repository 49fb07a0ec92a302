using Delegation.Api;
using Delegation.Grants;

namespace Delegation.Client;

public sealed partial class Enforcer
{
    // About 250 bytes of JSON each: a batch stays under the silo's default request body limit (64 KB).
    private const int MaxReportBatch = 200;
    private Task _reportLoop = Task.CompletedTask;
    private long _reported;
    private long _reportsLost;

    /// <summary>Decisions made here and reported to the authority.</summary>
    public long ReportedDecisions => Interlocked.Read(ref _reported);

    /// <summary>Decisions made here and not reported: the queue was full, or the authority refused or missed a report.</summary>
    public long DroppedDecisionReports => (_reports?.Dropped ?? 0) + Interlocked.Read(ref _reportsLost);

    // Queues the decision for the next report when the enforcer made it from its cache (a decision a silo made, or the
    // first one on a chain just fetched, is not: the silo saw the former, and one decision per cache fill is not worth
    // telling apart); a completed check (a cache hit) stays synchronous and allocation-free.
    private ValueTask<EnforcerDecision> Reported(ValueTask<EnforcerDecision> pending, string key, string action, string? resource, long cost)
    {
        if (pending.IsCompletedSuccessfully)
        {
            var decision = pending.Result;
            Queue(decision, key, action, resource, cost);
            return new(decision);
        }

        return new(ReportedAsync(pending, key, action, resource, cost));
    }

    private async Task<EnforcerDecision> ReportedAsync(ValueTask<EnforcerDecision> pending, string key, string action, string? resource, long cost)
    {
        var decision = await pending.ConfigureAwait(false);
        Queue(decision, key, action, resource, cost);
        return decision;
    }

    private void Queue(in EnforcerDecision decision, string key, string action, string? resource, long cost)
    {
        if (decision.FromCache && decision.GrantId is not null)
        {
            _reports!.Add(new ReportedDecision(
                key, decision.GrantId, action, resource, cost, decision.Decision, decision.Reason, decision.DecidedBy, _time.GetUtcNow().UtcTicks));
        }
    }

    private async Task ReportLoopAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(_options.DecisionReportInterval, _time, stopping).ConfigureAwait(false);
                await ReportQueuedAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sends what is queued, in batches; a batch the authority does not take is dropped and counted, not retried.</summary>
    private async Task ReportQueuedAsync(CancellationToken cancellationToken)
    {
        while (_reports is not null)
        {
            var batch = new List<DecisionRecord>();
            while (batch.Count < MaxReportBatch && _reports.TryTake(out var decision))
            {
                batch.Add(ToRecord(decision));
            }

            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                await _transport.ReportDecisionsAsync(new DecisionBatch(batch), cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _reported, batch.Count);
            }
            catch (Exception e) when (e is DelegationApiException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Interlocked.Add(ref _reportsLost, batch.Count);
                LogReportFailed(_logger, e, batch.Count);
                return;
            }
        }
    }

    // The chain comes from the cache when the entry is still there (root first, as the decision log keeps it).
    private DecisionRecord ToRecord(in ReportedDecision decision)
    {
        IReadOnlyList<string> chain = [decision.GrantId!];
        if (_cache.TryGet(decision.Key, out var entry) && entry.Links.Length > 0)
        {
            var ids = new string[entry.Links.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = entry.Links[ids.Length - 1 - i].Id;
            }

            chain = ids;
        }

        return new DecisionRecord(
            new DateTimeOffset(decision.UtcTicks, TimeSpan.Zero), decision.GrantId, chain, null, null, decision.Action, decision.Resource, decision.Cost,
            decision.Decision, decision.Decision == Decision.Allow ? null : decision.Reason, decision.DecidedBy, _name, 0);
    }
}
