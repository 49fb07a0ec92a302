using Delegation.Api;
using Delegation.Grains.Audit;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Operations;

/// <summary>The recorder between the check path and the decision log: its bounded buffer, its batches, its retries.</summary>
public sealed class DecisionRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_full_buffer_drops_new_decisions_and_counts_them()
    {
        var log = new ScriptedLog();
        var recorder = new DecisionRecorder(log, new DecisionLogOptions { BufferCapacity = 3 }, TimeProvider.System);

        for (var i = 0; i < 5; i++)
        {
            recorder.Record(Entry(i));
        }

        await recorder.FlushAsync();

        Assert.Equal((2L, 3L), (recorder.Dropped, recorder.Written));
        Assert.Equal([0L, 1, 2], log.Written.Select(d => d.Cost));
    }

    [Fact]
    public async Task A_flush_writes_in_batches_of_the_batch_size_in_order()
    {
        var log = new ScriptedLog();
        var recorder = new DecisionRecorder(log, new DecisionLogOptions { BatchSize = 4 }, TimeProvider.System);
        for (var i = 0; i < 10; i++)
        {
            recorder.Record(Entry(i));
        }

        await recorder.FlushAsync();

        Assert.Equal([4, 4, 2], log.Batches);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), log.Written.Select(d => d.Cost));
        Assert.Equal(10, recorder.Written);
    }

    [Fact]
    public void Denies_are_always_recorded_and_allows_by_the_sample_rate()
    {
        var none = new DecisionRecorder(new ScriptedLog(), new DecisionLogOptions { AllowSampleRate = 0 }, TimeProvider.System);
        var all = new DecisionRecorder(new ScriptedLog(), new DecisionLogOptions { AllowSampleRate = 1 }, TimeProvider.System);

        Assert.Equal((true, false), (none.ShouldRecord(Decision.Deny), none.ShouldRecord(Decision.Allow)));
        Assert.Equal((true, true), (all.ShouldRecord(Decision.Deny), all.ShouldRecord(Decision.Allow)));
    }

    [Fact]
    public async Task A_batch_the_log_refused_is_written_once_the_log_recovers_even_when_no_new_decision_arrives()
    {
        var clock = new ManualTimeProvider(T0);
        var log = new ScriptedLog { FailuresLeft = 1 };
        var recorder = new DecisionRecorder(log, new DecisionLogOptions(), clock);
        using var stop = new CancellationTokenSource();
        var run = recorder.RunAsync(stop.Token);

        recorder.Record(Entry(7));

        // The writer sleeps on the manual clock: move it on until the decision is written (or the bound passes).
        await OpsAssert.EventuallyAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(250));
                return Task.FromResult(log.Written.Count);
            },
            written => written == 1,
            "the refused batch has been written");
        Assert.Equal((1L, 1L), (recorder.Failures, recorder.Written));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Stopping_the_writer_writes_what_is_buffered()
    {
        var log = new ScriptedLog();
        var recorder = new DecisionRecorder(log, new DecisionLogOptions(), new ManualTimeProvider(T0));
        using var stop = new CancellationTokenSource();
        var run = recorder.RunAsync(stop.Token);
        recorder.Record(Entry(1));
        recorder.Record(Entry(2));

        await stop.CancelAsync();
        await run;

        Assert.Equal([1L, 2], log.Written.Select(d => d.Cost));
    }

    private static DecisionRecord Entry(int cost) =>
        new(T0, "g_abcdefghijkmnpqr", ["g_abcdefghijkmnpqr"], "agent", "user", "tickets:read", null, cost, Decision.Allow, null, null, "silo", 1);

    /// <summary>A decision log that keeps what it is given and refuses the first <see cref="FailuresLeft"/> appends.</summary>
    private sealed class ScriptedLog : IDecisionLog
    {
        private readonly Lock _gate = new();
        private readonly List<DecisionRecord> _written = [];
        private readonly List<int> _batches = [];

        public int FailuresLeft { get; set; }

        public IReadOnlyList<DecisionRecord> Written
        {
            get
            {
                lock (_gate)
                {
                    return [.. _written];
                }
            }
        }

        public IReadOnlyList<int> Batches
        {
            get
            {
                lock (_gate)
                {
                    return [.. _batches];
                }
            }
        }

        public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                if (FailuresLeft > 0)
                {
                    FailuresLeft--;
                    throw new IOException("the log is unavailable");
                }

                _written.AddRange(decisions);
                _batches.Add(decisions.Count);
            }

            return Task.CompletedTask;
        }

        public Task<AuditResult> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
