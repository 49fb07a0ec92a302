using System.Threading.Channels;
using Delegation.Api;
using Delegation.Grants;

namespace Delegation.Grains.Audit;

/// <summary>
/// Buffers decisions and writes them to the decision log in batches, off the check path. The buffer is bounded:
/// when the log cannot keep up, new decisions are dropped and counted rather than slowing checks down.
/// </summary>
public sealed class DecisionRecorder
{
    private readonly Channel<DecisionRecord> _buffer;
    private readonly IDecisionLog _log;
    private readonly DecisionLogOptions _options;
    private readonly TimeProvider _time;
    private long _dropped;
    private long _written;
    private long _failures;

    /// <summary>Creates a recorder writing to <paramref name="log"/>.</summary>
    public DecisionRecorder(IDecisionLog log, DecisionLogOptions options, TimeProvider time)
    {
        _log = log;
        _options = options;
        _time = time;
        // With DropWrite, TryWrite answers true even for a decision it drops: only this callback sees the drop.
        _buffer = Channel.CreateBounded<DecisionRecord>(
            new BoundedChannelOptions(options.BufferCapacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = true,
            },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Decisions dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Decisions written to the log.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Batch writes that failed (and were retried).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>True when a decision with this outcome should be recorded (denies always; allows by the sample rate).</summary>
    public bool ShouldRecord(Decision decision) =>
        decision == Decision.Deny || _options.AllowSampleRate >= 1.0
        || (_options.AllowSampleRate > 0 && Random.Shared.NextDouble() < _options.AllowSampleRate);

    /// <summary>Queues a decision; never blocks.</summary>
    public void Record(DecisionRecord decision)
    {
        if (!_buffer.Writer.TryWrite(decision))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes batches until cancelled, then flushes what is left.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<DecisionRecord>(_options.BatchSize);
        try
        {
            // A batch the log refused is retried without waiting for a new decision to arrive.
            while (batch.Count > 0 || await _buffer.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(_options.FlushInterval, _time, cancellationToken).ConfigureAwait(false);
                try
                {
                    await DrainAsync(batch, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The log is unavailable: keep the batch and try again after a pause.
                    Interlocked.Increment(ref _failures);
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            try
            {
                await DrainAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Shutting down with the log unavailable: what is buffered is lost, and counted.
                Interlocked.Add(ref _dropped, batch.Count);
            }
        }
    }

    /// <summary>Writes everything buffered now (tests and shutdown).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        DrainAsync(new List<DecisionRecord>(_options.BatchSize), cancellationToken);

    private async Task DrainAsync(List<DecisionRecord> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            // A batch that failed last time is still here and goes first.
            while (batch.Count < _options.BatchSize && _buffer.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                return;
            }

            await _log.AppendAsync(batch.ToArray(), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _written, batch.Count);
            batch.Clear();
        }
    }
}
