namespace Delegation.Storage.Postgres;

/// <summary>
/// Times are stored as UTC ticks in <c>bigint</c> columns, as in the SQLite store: PostgreSQL's
/// <c>timestamptz</c> keeps microseconds only, and the store contract round-trips every tick of a
/// <see cref="DateTimeOffset"/> (a due time one tick away must still compare correctly). The offset is not
/// kept; instants compare equal.
/// </summary>
internal static class UtcTicks
{
    public static long From(DateTimeOffset time) => time.UtcTicks;

    public static DateTimeOffset ToTime(long ticks) => new(ticks, TimeSpan.Zero);
}
