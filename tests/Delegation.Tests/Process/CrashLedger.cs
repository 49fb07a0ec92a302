using System.Collections.Concurrent;

namespace Delegation.Tests.Process;

/// <summary>What the silo acknowledged (answered 2xx) before it was killed, recorded from many threads.</summary>
public sealed class CrashLedger
{
    private readonly ConcurrentDictionary<string, AckedGrant> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _allowedCost = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _revokeAttempted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _revokeAcked = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _target;
    private int _acks;
    private int _inFlight;

    /// <summary>A ledger that signals <see cref="Enough"/> after <paramref name="target"/> acknowledgements.</summary>
    public CrashLedger(int target) => _target = target;

    /// <summary>Completes once the target number of acknowledgements is recorded.</summary>
    public Task Enough => _enough.Task;

    /// <summary>Acknowledgements recorded.</summary>
    public int Acks => Volatile.Read(ref _acks);

    /// <summary>Calls sent and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Acknowledged grants by id.</summary>
    public IReadOnlyDictionary<string, AckedGrant> Grants => _grants;

    /// <summary>Makes a call, counted in <see cref="InFlight"/> until it is answered or fails.</summary>
    public async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            return await call();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public void Granted(AckedGrant grant)
    {
        _grants[grant.Id] = grant;
        Ack();
    }

    public void Allowed(string grantId, long cost)
    {
        _allowedCost.AddOrUpdate(grantId, cost, (_, sum) => sum + cost);
        Ack();
    }

    public void RevokeAttempted(string grantId) => _revokeAttempted[grantId] = true;

    public void Revoked(string grantId)
    {
        _revokeAcked[grantId] = true;
        Ack();
    }

    public bool WasRevoked(string grantId) => _revokeAcked.ContainsKey(grantId);

    public bool MayBeRevoked(string grantId) => _revokeAttempted.ContainsKey(grantId);

    public int RevokesAcked => _revokeAcked.Count;

    public long ChecksAllowedCost => _allowedCost.Values.Sum();

    /// <summary>Cost of allowed checks at the grant and at every acknowledged grant below it: what it has surely spent.</summary>
    public long ConsumedUnder(string grantId) =>
        _allowedCost.Where(c => c.Key == grantId || IsBelow(c.Key, grantId)).Sum(c => c.Value);

    private bool IsBelow(string id, string ancestorId)
    {
        for (var parent = _grants[id].ParentId; parent is not null; parent = _grants[parent].ParentId)
        {
            if (parent == ancestorId)
            {
                return true;
            }
        }

        return false;
    }

    private void Ack()
    {
        if (Interlocked.Increment(ref _acks) >= _target)
        {
            _enough.TrySetResult();
        }
    }
}
