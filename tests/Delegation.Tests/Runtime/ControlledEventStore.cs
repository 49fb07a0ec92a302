using Delegation.Events;
using Delegation.Grains.Storage;

namespace Delegation.Tests.Runtime;

/// <summary>
/// A store in front of another that a test can hold (appends wait until released) or break (every call fails),
/// to see what the runtime does while a write is in flight or the store is gone.
/// </summary>
internal sealed class ControlledEventStore(IEventStore inner) : IEventStore
{
    private TaskCompletionSource? _hold;
    private int _appends;
    private int _conflicts;
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Broken { get; set; }

    /// <summary>Appends that reached the inner store.</summary>
    public int Appends => Volatile.Read(ref _appends);

    /// <summary>Appends the inner store refused for a stale expected version.</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>From now on appends wait (without writing) until <see cref="Release"/>.</summary>
    public void Hold()
    {
        _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _hold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    /// <summary>Completes when an append has reached the hold.</summary>
    public Task AppendHeld => _held.Task;

    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> ReadTreeAsync(string treeId, long afterVersion = 0, CancellationToken cancellationToken = default) =>
        Broken ? throw new IOException("store down") : inner.ReadTreeAsync(treeId, afterVersion, cancellationToken);

    public async Task<AppendResult> AppendAsync(string treeId, long expectedVersion, IReadOnlyList<TreeEvent> events, DateTimeOffset at, DateTimeOffset? nextDueAt, CancellationToken cancellationToken = default)
    {
        if (Broken)
        {
            throw new IOException("store down");
        }

        if (Volatile.Read(ref _hold) is { } hold)
        {
            _held.TrySetResult();
            await hold.Task.WaitAsync(cancellationToken);
        }

        Interlocked.Increment(ref _appends);
        var result = await inner.AppendAsync(treeId, expectedVersion, events, at, nextDueAt, cancellationToken);
        if (!result.Succeeded)
        {
            Interlocked.Increment(ref _conflicts);
        }

        return result;
    }

    public Task<IReadOnlyList<StoredEvent>> ReadFeedAsync(long afterSeq, int max, CancellationToken cancellationToken = default) =>
        inner.ReadFeedAsync(afterSeq, max, cancellationToken);

    public Task<long> GetFeedHeadAsync(CancellationToken cancellationToken = default) => inner.GetFeedHeadAsync(cancellationToken);

    public Task WaitForAppendAsync(long afterSeq, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        inner.WaitForAppendAsync(afterSeq, timeout, cancellationToken);

    public Task<IReadOnlyList<GrantLocator>> FindGrantsByAgentAsync(string agent, CancellationToken cancellationToken = default) =>
        Broken ? throw new IOException("store down") : inner.FindGrantsByAgentAsync(agent, cancellationToken);

    public Task<IReadOnlyList<GrantLocator>> FindRootGrantsByUserAsync(string user, CancellationToken cancellationToken = default) =>
        inner.FindRootGrantsByUserAsync(user, cancellationToken);

    public Task<IReadOnlyList<string>> FindTreesDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        inner.FindTreesDueAsync(now, max, cancellationToken);
}
