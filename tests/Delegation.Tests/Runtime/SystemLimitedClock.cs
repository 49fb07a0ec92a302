using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Runtime;

/// <summary>
/// The manual clock with the system timer's limits: a due time or period beyond uint.MaxValue - 1 ms (about 49.7
/// days) is refused as <see cref="TimeProvider.System"/> refuses it, so long waits can be driven by hand.
/// </summary>
internal sealed class SystemLimitedClock(ManualTimeProvider inner) : TimeProvider
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public ManualTimeProvider Inner { get; } = inner;

    public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow();

    public override long TimestampFrequency => Inner.TimestampFrequency;

    public override long GetTimestamp() => Inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        return new LimitedTimer(Inner.CreateTimer(callback, state, dueTime, period));
    }

    private static void Validate(TimeSpan dueTime, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dueTime, MaxDelay);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(period, MaxDelay);
    }

    private sealed class LimitedTimer(ITimer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Validate(dueTime, period);
            return timer.Change(dueTime, period);
        }

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
