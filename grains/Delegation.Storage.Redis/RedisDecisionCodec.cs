using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Delegation.Api;
using Delegation.Grants;

namespace Delegation.Storage.Redis;

/// <summary>
/// The bytes of one decision in <see cref="RedisDecisionLog"/>, and its id. The head of a record is laid out for
/// the log's Lua scripts, which filter and index on it without decoding the rest; the tail is for .NET only.
/// <code>
/// [1] format version (1)    [1] decision (enum value)    [8] UTC ticks, big-endian
/// text grant id    text action    text agent    text user
/// varint 2*n + (1 when the chain ends with the grant id, which is then not repeated), then n texts: the chain
/// ---- read by .NET only ----
/// text resource    zigzag varint cost    [1] reason (0 = none, else enum value + 1)    text decided-by
/// text enforcer    [8] latency (IEEE double, little-endian)
/// </code>
/// A text is a varint of (UTF-8 length + 1), 0 meaning null, then its bytes; varints are LEB128.
/// <para>
/// An id is <c>(milliseconds since 1970) &lt;&lt; 20 | tiebreak</c>, the milliseconds clamped to
/// [0, 2<sup>43</sup>) (1970 to 2248), so ids order decisions by time and stay positive. The tiebreak comes from a
/// counter in Redis (insertion order within a millisecond) and is probed upward on a collision.
/// </para>
/// </summary>
internal static class RedisDecisionCodec
{
    /// <summary>The format version, the first byte of every record.</summary>
    public const byte Version = 1;

    /// <summary>Bits of an id below the millisecond.</summary>
    public const int TiebreakBits = 20;

    /// <summary>The largest millisecond an id can hold: 2<sup>43</sup> - 1 (the year 2248).</summary>
    public const long MaxMillisecond = (1L << (63 - TiebreakBits)) - 1;

    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>The millisecond an id of <paramref name="time"/> starts with, clamped to what an id can hold.</summary>
    public static long MillisecondOf(DateTimeOffset time) =>
        Math.Clamp((time.UtcTicks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond, 0, MaxMillisecond);

    /// <summary>The smallest id of millisecond <paramref name="millisecond"/>.</summary>
    public static long FirstId(long millisecond) => millisecond << TiebreakBits;

    /// <summary>An id as the 8 big-endian bytes it is stored as (they sort as the ids do).</summary>
    public static byte[] IdBytes(long id)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, id);
        return bytes;
    }

    /// <summary>The id stored as <paramref name="bytes"/>.</summary>
    public static long IdOf(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadInt64BigEndian(bytes);

    /// <summary>A time's UTC ticks as the two 32-bit halves the scripts compare (a Lua number holds 53 bits).</summary>
    public static (long High, long Low) TickHalves(DateTimeOffset time) => (time.UtcTicks >>> 32, time.UtcTicks & 0xFFFF_FFFF);

    /// <summary>The record of <paramref name="decision"/>.</summary>
    public static byte[] Encode(DecisionRecord decision)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var head = buffer.GetSpan(10);
        head[0] = Version;
        head[1] = (byte)decision.Decision;
        BinaryPrimitives.WriteInt64BigEndian(head[2..], decision.Time.UtcTicks);
        buffer.Advance(10);
        WriteText(buffer, decision.GrantId);
        WriteText(buffer, decision.Action);
        WriteText(buffer, decision.Agent);
        WriteText(buffer, decision.User);
        var chain = decision.Chain;
        var endsWithGrant = chain.Count > 0 && decision.GrantId is not null && chain[^1] == decision.GrantId;
        var stored = endsWithGrant ? chain.Count - 1 : chain.Count;
        WriteVarint(buffer, ((ulong)stored << 1) | (endsWithGrant ? 1UL : 0UL));
        for (var i = 0; i < stored; i++)
        {
            WriteText(buffer, chain[i]);
        }

        WriteText(buffer, decision.Resource);
        WriteVarint(buffer, (ulong)((decision.Cost << 1) ^ (decision.Cost >> 63)));
        WriteByte(buffer, decision.Reason is { } reason ? (byte)((int)reason + 1) : (byte)0);
        WriteText(buffer, decision.DecidedBy);
        WriteText(buffer, decision.Enforcer);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), decision.LatencyMicros);
        buffer.Advance(8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The decision in <paramref name="record"/>.</summary>
    /// <exception cref="FormatException">The record is not in a format this version reads.</exception>
    public static DecisionRecord Decode(ReadOnlySpan<byte> record)
    {
        if (record.Length < 10 || record[0] != Version)
        {
            throw new FormatException($"A decision record of format {(record.Length > 0 ? record[0] : -1)} cannot be read (this version reads {Version}).");
        }

        var decision = (Decision)record[1];
        var time = new DateTimeOffset(BinaryPrimitives.ReadInt64BigEndian(record[2..]), TimeSpan.Zero);
        var position = 10;
        var grantId = ReadText(record, ref position);
        var action = ReadText(record, ref position)!;
        var agent = ReadText(record, ref position);
        var user = ReadText(record, ref position);
        var chainHeader = ReadVarint(record, ref position);
        var stored = (int)(chainHeader >> 1);
        var chain = new string[stored + (int)(chainHeader & 1)];
        for (var i = 0; i < stored; i++)
        {
            chain[i] = ReadText(record, ref position)!;
        }

        if ((chainHeader & 1) == 1)
        {
            chain[^1] = grantId!;
        }

        var resource = ReadText(record, ref position);
        var zigzag = ReadVarint(record, ref position);
        var cost = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
        var reason = record[position++] is var r and > 0 ? (DenyReason?)(r - 1) : null;
        var decidedBy = ReadText(record, ref position);
        var enforcer = ReadText(record, ref position)!;
        var latency = BinaryPrimitives.ReadDoubleLittleEndian(record[position..]);
        return new DecisionRecord(time, grantId, chain, agent, user, action, resource, cost, decision, reason, decidedBy, enforcer, latency);
    }

    private static void WriteByte(ArrayBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> buffer, ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte(buffer, (byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte(buffer, (byte)value);
    }

    private static void WriteText(ArrayBufferWriter<byte> buffer, string? text)
    {
        if (text is null)
        {
            WriteByte(buffer, 0);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(text);
        WriteVarint(buffer, (ulong)length + 1);
        buffer.Advance(Encoding.UTF8.GetBytes(text, buffer.GetSpan(length)));
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> record, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = record[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    private static string? ReadText(ReadOnlySpan<byte> record, ref int position)
    {
        var length = (int)ReadVarint(record, ref position);
        if (length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(record.Slice(position, length - 1));
        position += length - 1;
        return text;
    }
}
