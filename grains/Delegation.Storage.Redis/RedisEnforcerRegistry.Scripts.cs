namespace Delegation.Storage.Redis;

/// <summary>
/// The enforcer registry's Lua scripts. Each starts with <see cref="Common"/>, which takes the keys and the channel
/// from ARGV[1..7] and reads the server's clock (TIME, microseconds since 1970): the one clock every silo shares, so
/// liveness does not depend on the silos' clocks agreeing.
/// </summary>
public sealed partial class RedisEnforcerRegistry
{
    private const string Common = """
        local acked, acked_at, connected_at, silos = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
        local streams, seen, channel = ARGV[5], ARGV[6], ARGV[7]
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

        -- A whole number as digits (tostring would give 1.7e+15).
        local function digits(x) return string.format('%.0f', x) end

        -- A feed stream: the silo's length, ':', the silo and the enforcer's name, so that any names split back.
        local function stream(silo, name) return #silo .. ':' .. silo .. name end

        local function split(m)
          local colon = string.find(m, ':', 1, true)
          local length = tonumber(string.sub(m, 1, colon - 1))
          return string.sub(m, colon + 1, colon + length), string.sub(m, colon + length + 1)
        end

        local function forget(m)
          redis.call('HDEL', streams, m)
          redis.call('ZREM', seen, m)
        end

        -- The names with a stream open on a silo that refreshed it less than `timeout` microseconds ago.
        local function live(timeout)
          local names = {}
          for _, m in ipairs(redis.call('ZRANGEBYSCORE', seen, '(' .. digits(now - timeout), '+inf')) do
            if tonumber(redis.call('HGET', streams, m) or '0') > 0 then
              local _, name = split(m)
              names[name] = true
            end
          end
          return names
        end

        """;

    // ARGV[8] the silo, [9] the enforcer.
    private const string ConnectScript = Common + """
        local silo, name = ARGV[8], ARGV[9]
        redis.call('HSET', connected_at, name, digits(now))
        redis.call('HSET', silos, name, silo)
        local m = stream(silo, name)
        redis.call('HINCRBY', streams, m, 1)
        redis.call('ZADD', seen, digits(now), m)
        redis.call('PUBLISH', channel, name)
        return 1
        """;

    // ARGV[8] the silo, [9] the enforcer.
    private const string DisconnectScript = Common + """
        local m = stream(ARGV[8], ARGV[9])
        if redis.call('HINCRBY', streams, m, -1) <= 0 then forget(m) end
        redis.call('PUBLISH', channel, ARGV[9])
        return 1
        """;

    // ARGV[8] the silo (of an enforcer not known yet), [9] the enforcer, [10] the sequence.
    private const string AcknowledgeScript = Common + """
        local silo, name, seq = ARGV[8], ARGV[9], ARGV[10]
        local current = redis.call('HGET', acked, name)
        if not current or tonumber(current) < tonumber(seq) then redis.call('HSET', acked, name, seq) end
        redis.call('HSET', acked_at, name, digits(now))
        if redis.call('HSETNX', connected_at, name, digits(now)) == 1 then redis.call('HSET', silos, name, silo) end
        redis.call('PUBLISH', channel, name)
        return 1
        """;

    // ARGV[8] the silo, [9] after how long (microseconds) any silo's silent stream is forgotten, [10] after how long
    // (microseconds) an enforcer with no stream, not connected or acknowledging since, is forgotten, then (name, open
    // connections) per stream open on the silo. Makes the silo's streams exactly those, refreshed now.
    private const string HeartbeatScript = Common + """
        local silo = ARGV[8]
        local open = {}
        for i = 11, #ARGV, 2 do open[stream(silo, ARGV[i])] = ARGV[i + 1] end
        for _, m in ipairs(redis.call('HKEYS', streams)) do
          if split(m) == silo and not open[m] then forget(m) end
        end
        for m, connections in pairs(open) do
          redis.call('HSET', streams, m, connections)
          redis.call('ZADD', seen, digits(now), m)
        end
        for _, m in ipairs(redis.call('ZRANGEBYSCORE', seen, '-inf', '(' .. digits(now - tonumber(ARGV[9])))) do forget(m) end
        local streaming = {}
        for _, m in ipairs(redis.call('HKEYS', streams)) do
          local _, name = split(m)
          streaming[name] = true
        end
        local before = now - tonumber(ARGV[10])
        for _, name in ipairs(redis.call('HKEYS', connected_at)) do
          local last = math.max(tonumber(redis.call('HGET', connected_at, name) or '0'), tonumber(redis.call('HGET', acked_at, name) or '0'))
          if not streaming[name] and last < before then
            redis.call('HDEL', connected_at, name)
            redis.call('HDEL', acked, name)
            redis.call('HDEL', acked_at, name)
            redis.call('HDEL', silos, name)
          end
        end
        return 1
        """;

    // ARGV[8] the liveness timeout (microseconds). Returns (name, acked, acked at, connected at, silo, live) per enforcer.
    private const string ListScript = Common + """
        local live_names = live(tonumber(ARGV[8]))
        local result = {}
        for _, name in ipairs(redis.call('HKEYS', connected_at)) do
          result[#result + 1] = name
          result[#result + 1] = redis.call('HGET', acked, name) or '0'
          result[#result + 1] = redis.call('HGET', acked_at, name) or ''
          result[#result + 1] = redis.call('HGET', connected_at, name)
          result[#result + 1] = redis.call('HGET', silos, name) or ''
          result[#result + 1] = live_names[name] and '1' or '0'
        end
        return result
        """;

    // ARGV[8] the liveness timeout (microseconds), [9] the sequence, [10] '1' to wait for the enforcers live now (and
    // return their names after the counts), else the names follow. Returns { acknowledged, pending (live, not yet), names... }.
    private const string CountScript = Common + """
        local live_names = live(tonumber(ARGV[8]))
        local seq = tonumber(ARGV[9])
        local first = ARGV[10] == '1'
        local names = {}
        if first then
          for name in pairs(live_names) do names[#names + 1] = name end
        else
          for i = 11, #ARGV do names[#names + 1] = ARGV[i] end
        end
        local done, pending = 0, 0
        for _, name in ipairs(names) do
          if tonumber(redis.call('HGET', acked, name) or '0') >= seq then
            done = done + 1
          elseif live_names[name] then
            pending = pending + 1
          end
        end
        local result = { done, pending }
        if first then
          for _, name in ipairs(names) do result[#result + 1] = name end
        end
        return result
        """;
}
