namespace Delegation.Storage.Sqlite;

/// <summary>
/// Times are stored as UTC ticks in INTEGER columns: exact to the tick (100 ns, the whole precision of
/// <see cref="DateTimeOffset"/>), and they sort as numbers. The offset is not kept; instants compare equal.
/// </summary>
internal static class UtcTicks
{
    public static long From(DateTimeOffset time) => time.UtcTicks;

    public static DateTimeOffset ToTime(long ticks) => new(ticks, TimeSpan.Zero);
}
