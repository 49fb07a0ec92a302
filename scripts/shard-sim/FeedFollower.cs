namespace ShardSim;

/// <summary>
/// An enforcer's view of the sharded feed: a position per bucket (the vector), one wait-and-read loop per bucket,
/// woken by that bucket's channel like the product's tailers. It checks what an enforcer relies on: within a bucket
/// the sequences it reads are consecutive, so a gap would be seen; after the writers stop and it has caught up, its
/// vector equals the buckets' heads.
/// </summary>
internal sealed class FeedFollower
{
    private const int Page = 1000;
    private readonly BucketedStore _store;
    private readonly long[] _positions;
    private long _gaps;
    private long _seen;

    public FeedFollower(BucketedStore store)
    {
        _store = store;
        _positions = new long[store.BucketCount];
    }

    /// <summary>Sequences that did not follow the previous one of their bucket (must be 0).</summary>
    public long Gaps => Interlocked.Read(ref _gaps);

    /// <summary>Events read so far, over every bucket.</summary>
    public long Seen => Interlocked.Read(ref _seen);

    /// <summary>The position per bucket.</summary>
    public IReadOnlyList<long> Positions => _positions;

    /// <summary>Follows every bucket until <paramref name="stop"/>.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, _store.BucketCount).Select(b => Task.Run(() => FollowAsync(b, stop))));

    /// <summary>Reads every bucket up to its head (after the writers have stopped).</summary>
    public async Task CatchUpAsync()
    {
        for (var b = 0; b < _store.BucketCount; b++)
        {
            while (await ReadAsync(b) == Page)
            {
            }
        }
    }

    private async Task FollowAsync(int bucket, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _store.Bucket(bucket).WaitForAppendAsync(_positions[bucket], TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await ReadAsync(bucket);
        }
    }

    private async Task<int> ReadAsync(int bucket)
    {
        var events = await _store.Bucket(bucket).ReadFeedAsync(_positions[bucket], Page);
        foreach (var e in events)
        {
            if (e.Seq != _positions[bucket] + 1)
            {
                Interlocked.Increment(ref _gaps);
            }

            _positions[bucket] = e.Seq;
        }

        Interlocked.Add(ref _seen, events.Count);
        return events.Count;
    }
}
