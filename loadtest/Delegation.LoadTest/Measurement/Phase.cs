using System.Diagnostics;

namespace Delegation.LoadTest.Measurement;

/// <summary>
/// One phase of a measurement (warm-up or measured): its clock window, its open-loop schedule and its shared
/// operation budget. Timestamps are <see cref="Stopwatch"/> ticks.
/// </summary>
internal sealed class Phase
{
    private readonly long _perOperationTicks;
    private long _nextTicket = -1;
    private long _budget;

    public Phase(TimeSpan duration, double? ratePerSecond, long maxOperations)
    {
        Start = Stopwatch.GetTimestamp();
        End = Start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        _perOperationTicks = ratePerSecond is { } rate ? Math.Max(1, (long)(Stopwatch.Frequency / rate)) : 0;
        _budget = maxOperations;
        IsOpenLoop = ratePerSecond is not null;
    }

    public long Start { get; }

    public long End { get; }

    public bool IsOpenLoop { get; }

    /// <summary>Closed loop: takes one operation from the budget; false once the phase is over.</summary>
    public bool TryTake(long now) => now < End && Interlocked.Decrement(ref _budget) >= 0;

    /// <summary>Closed loop, batched: takes <paramref name="count"/> operations from the budget at once.</summary>
    public bool TryTakeBatch(long now, int count) => now < End && Interlocked.Add(ref _budget, -count) >= 0;

    /// <summary>Open loop: the scheduled send time of the next operation; false once the schedule passes the end.</summary>
    public bool TryNextScheduled(out long intended)
    {
        var ticket = Interlocked.Increment(ref _nextTicket);
        intended = Start + (ticket * _perOperationTicks);
        return intended < End && Interlocked.Decrement(ref _budget) >= 0;
    }

    public static long ToNanos(long ticks) => (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));
}
