namespace Delegation.Silo.Telemetry;

/// <summary>What the <see cref="FeedMonitor"/> last saw of the feed.</summary>
/// <param name="Head">The feed's head sequence number.</param>
/// <param name="PassAt">When the watcher last completed a pass (system clock), or null before the first.</param>
/// <param name="Delay">How late this silo saw the newest events after their append, at the last pass that saw any.</param>
/// <param name="DelayAt">When that delay was observed (system clock), or null while no event has been seen.</param>
public sealed record FeedReading(long Head, DateTimeOffset? PassAt, TimeSpan Delay, DateTimeOffset? DelayAt)
{
    /// <summary>Before the first pass.</summary>
    public static FeedReading None { get; } = new(0, null, TimeSpan.Zero, null);
}
