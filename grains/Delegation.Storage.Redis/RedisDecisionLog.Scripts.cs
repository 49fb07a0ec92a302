namespace Delegation.Storage.Redis;

/// <summary>
/// The decision log's Lua scripts. Each starts with <see cref="Common"/>, which takes the keys from ARGV[1..6]
/// (records, all, sequence, and the prefixes of the agent, user and grant indexes: index keys are named after what
/// a record holds, so a script finds them by reading the record, and adding and removing a decision name the same
/// keys by construction). A script runs alone on the server, so each leaves the indexes consistent with the records.
/// </summary>
public sealed partial class RedisDecisionLog
{
    private const string Common = """
        local records, all, sequence = ARGV[1], ARGV[2], ARGV[3]
        local by_agent, by_user, by_grant = ARGV[4], ARGV[5], ARGV[6]

        local function varint(s, p)
          local v, m = 0, 1
          while true do
            local b = string.byte(s, p)
            p = p + 1
            if b < 128 then return v + b * m, p end
            v = v + (b - 128) * m
            m = m * 128
          end
        end

        -- A text of a record: its value (false for null) and the position after it.
        local function text(s, p)
          local n
          n, p = varint(s, p)
          if n == 0 then return false, p end
          return string.sub(s, p, p + n - 2), p + n - 1
        end

        -- The index keys that hold a record's id: its agent, its user, its grant and every grant of its chain.
        local function indexes(r)
          if string.byte(r, 1) ~= 1 then error('decision record of unknown format ' .. string.byte(r, 1)) end
          local keys, seen = {}, {}
          local grant, p = text(r, 11)
          local _, agent, user
          _, p = text(r, p)
          agent, p = text(r, p)
          user, p = text(r, p)
          if agent then keys[#keys + 1] = by_agent .. agent end
          if user then keys[#keys + 1] = by_user .. user end
          local function add(g)
            if g and not seen[g] then
              seen[g] = true
              keys[#keys + 1] = by_grant .. g
            end
          end
          add(grant)
          local header
          header, p = varint(r, p)
          for _ = 1, math.floor(header / 2) do
            local g
            g, p = text(r, p)
            add(g)
          end
          return keys
        end

        local function remove(id)
          local r = redis.call('HGET', records, id)
          if r then
            for _, k in ipairs(indexes(r)) do redis.call('ZREM', k, id) end
            redis.call('HDEL', records, id)
          end
          redis.call('ZREM', all, id)
          return r and 1 or 0
        end

        -- Removes the oldest decisions beyond cap, at most `most` of them; returns how many.
        local function trim(cap, most)
          local excess = redis.call('ZCARD', all) - cap
          if excess <= 0 then return 0 end
          if excess > most then excess = most end
          local ids = redis.call('ZRANGEBYLEX', all, '-', '+', 'LIMIT', 0, excess)
          for _, id in ipairs(ids) do remove(id) end
          return #ids
        end

        -- Whether a record's time (UTC ticks, bytes 3 to 10) is at or after the ticks whose halves are hi, lo.
        local function at_or_after(r, hi, lo)
          local b1, b2, b3, b4, b5, b6, b7, b8 = string.byte(r, 3, 10)
          local h = ((b1 * 256 + b2) * 256 + b3) * 256 + b4
          if h ~= hi then return h > hi end
          return ((b5 * 256 + b6) * 256 + b7) * 256 + b8 >= lo
        end

        local function be32(x)
          return string.char(math.floor(x / 16777216) % 256, math.floor(x / 65536) % 256, math.floor(x / 256) % 256, x % 256)
        end

        """;

    // ARGV[7] the cap, ARGV[8] how many beyond the batch it may trim, then (millisecond, record) per decision.
    // Returns how many old decisions were trimmed for the cap.
    private const string AppendScript = Common + """
        local n = (#ARGV - 8) / 2
        local last = redis.call('INCRBY', sequence, n)
        for i = 1, n do
          local ms = tonumber(ARGV[7 + 2 * i])
          local r = ARGV[8 + 2 * i]
          local high, low = math.floor(ms / 4096), (ms % 4096) * 1048576
          local t = (last - n + i) % 1048576
          local id
          for _ = 1, 1048576 do
            local candidate = be32(high) .. be32(low + t)
            if redis.call('HSETNX', records, candidate, r) == 1 then
              id = candidate
              break
            end
            t = (t + 1) % 1048576
          end
          if not id then error('more than 1048576 decisions in one millisecond') end
          redis.call('ZADD', all, 0, id)
          for _, k in ipairs(indexes(r)) do redis.call('ZADD', k, 0, id) end
        end
        return trim(tonumber(ARGV[7]), n + tonumber(ARGV[8]))
        """;

    // ARGV[7..9] the agent, user and grant index keys ('' when not filtered), [10] the grant that must be the
    // decision's own ('' for none), [11] '1' when [10] applies, [12] '1' when [13] is the action, [14] the decision
    // (-1 for either), [15] '1' with [16], [17] the ticks' halves of From, [18] '1' with [19], [20] those of To,
    // [21] the upper and [22] the lower ZRANGEBYLEX bound, [23] how many to find, [24] how many to look at most.
    // Returns { continuation, id, record, id, record, ... }: the continuation is the last id looked at when the budget
    // ran out first, '' when the range was exhausted or enough were found.
    private const string QueryScript = Common + """
        local filters = {}
        for _, k in ipairs({ ARGV[9], ARGV[7], ARGV[8] }) do
          if k ~= '' then filters[#filters + 1] = k end
        end
        local result = { '' }
        local driver, smallest = all, nil
        for _, k in ipairs(filters) do
          local size = redis.call('ZCARD', k)
          if not smallest or size < smallest then driver, smallest = k, size end
        end
        if smallest == 0 then return result end

        local grant, exact = ARGV[10], ARGV[11] == '1'
        local has_action, action = ARGV[12] == '1', ARGV[13]
        local decision = tonumber(ARGV[14])
        local has_from, from_hi, from_lo = ARGV[15] == '1', tonumber(ARGV[16]), tonumber(ARGV[17])
        local has_to, to_hi, to_lo = ARGV[18] == '1', tonumber(ARGV[19]), tonumber(ARGV[20])
        local upper, lower = ARGV[21], ARGV[22]
        local wanted, budget = tonumber(ARGV[23]), tonumber(ARGV[24])

        local function matches(id, r)
          if decision >= 0 and string.byte(r, 2) ~= decision then return false end
          if has_from and not at_or_after(r, from_hi, from_lo) then return false end
          if has_to and at_or_after(r, to_hi, to_lo) then return false end
          if exact or has_action then
            local g, p = text(r, 11)
            if exact and g ~= grant then return false end
            if has_action and (text(r, p)) ~= action then return false end
          end
          for _, k in ipairs(filters) do
            if k ~= driver and not redis.call('ZSCORE', k, id) then return false end
          end
          return true
        end

        local found, scanned = 0, 0
        while true do
          local ids = redis.call('ZREVRANGEBYLEX', driver, upper, lower, 'LIMIT', 0, 256)
          for _, id in ipairs(ids) do
            scanned = scanned + 1
            local r = redis.call('HGET', records, id)
            if r and matches(id, r) then
              result[#result + 1] = id
              result[#result + 1] = r
              found = found + 1
              if found >= wanted then return result end
            end
            if scanned >= budget then
              result[1] = id
              return result
            end
          end
          if #ids < 256 then return result end
          upper = '(' .. ids[#ids]
        end
        """;

    // ARGV[7], [8] the cutoff's ticks halves, [9] the upper ZRANGEBYLEX bound (past the cutoff's millisecond),
    // [10] where to start ('-' or after the last decision kept), [11] how many to look at most.
    // Returns { removed, continuation ('' when done) }.
    private const string PruneScript = Common + """
        local hi, lo, upper, lower, budget = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9], ARGV[10], tonumber(ARGV[11])
        local removed, scanned = 0, 0
        while true do
          local ids = redis.call('ZRANGEBYLEX', all, lower, upper, 'LIMIT', 0, 256)
          for _, id in ipairs(ids) do
            scanned = scanned + 1
            local r = redis.call('HGET', records, id)
            if r and at_or_after(r, hi, lo) then
              lower = '(' .. id
            else
              removed = removed + remove(id)
            end
            if scanned >= budget then return { removed, lower } end
          end
          if #ids < 256 then return { removed, '' } end
        end
        """;

    // ARGV[7] the cap, ARGV[8] how many to remove at most. Returns how many were removed.
    private const string TrimScript = Common + """
        return trim(tonumber(ARGV[7]), tonumber(ARGV[8]))
        """;
}
