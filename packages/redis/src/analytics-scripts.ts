import { METRICS_WINDOW_MINUTES } from '@oxidite/protocol';
import { ANALYTICS_MINUTE_MS, PAGE_VIEW_EVENT_TYPE } from '@oxidite/server';

/**
 * The analytics store's Lua scripts (semantics: `AnalyticsStore` in @oxidite/server). Both run
 * atomically, which the store needs for two things a pipeline cannot do: the store's clock lives
 * in Redis and never runs backwards (so the minute keys of a call are only known once the stored
 * clock is read), and the `maxEventTypes` cap is a read-then-write that every node must see in
 * one order.
 *
 * Keys under `base` = `<prefix>{analytics}:` (see README): `clock` (string, ms), `types` (zset: named
 * type → latest minute it was counted under its name), `active` (zset: visitor → latest time),
 * and per minute `m:<minute>` (hash: `n` events, `p` page views, `o` events of types past the
 * cap, `t:<type>` per named type) and `v:<minute>` (HyperLogLog of visitors). Minute keys are
 * built inside the scripts from the clock, so on Redis Cluster every analytics key must hash to
 * one slot: `{analytics}` in `base` is that hash tag.
 *
 * Times are formatted with %.17g (exact for any double) and minutes with %d: Lua's default `..`
 * formatting is %.14g, and a number returned to Redis is truncated to an integer.
 */
const PRELUDE = `
local MINUTE = ${ANALYTICS_MINUTE_MS}
local WINDOW_MINUTES = ${METRICS_WINDOW_MINUTES}
local KEEP = (WINDOW_MINUTES + 1) * MINUTE
local function fmt(n) return string.format('%.17g', n) end
local function id(minute) return string.format('%d', minute) end
local function advance(clockKey, now)
  local clock = tonumber(now)
  local stored = tonumber(redis.call('GET', clockKey) or '')
  if stored and stored > clock then clock = stored end
  redis.call('SET', clockKey, fmt(clock), 'PX', KEEP)
  return clock, math.floor(clock / MINUTE) * MINUTE - (WINDOW_MINUTES - 1) * MINUTE
end
`;

/**
 * KEYS: clock, types, active. ARGV: base, now, activeWindowMs, maxEventTypes, then for each event
 * its timestamp, type and visitor ('' when anonymous). Returns the number of events dropped for
 * being older than the window.
 *
 * Events are summed per minute in Lua first, so a 500-event batch costs one HINCRBY per (minute,
 * type), one PFADD per minute and one ZADD per active visitor, not a call per event. A minute key
 * expires a minute after it leaves the window; the zsets and the clock a window and a minute after
 * the last call.
 */
export const RECORD_SCRIPT = `${PRELUDE}
local base = ARGV[1]
local clock, start = advance(KEYS[1], ARGV[2])
local cutoff = clock - tonumber(ARGV[3])
local maxTypes = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. fmt(start))
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', fmt(cutoff))
local named = redis.call('ZCARD', KEYS[2])
local isNamed = {}
local typeLatest = {}
local lastSeen = {}
local buckets = {}
local order = {}
local dropped = 0
for i = 5, #ARGV, 3 do
  local time = math.min(tonumber(ARGV[i]), clock)
  if not (time >= start) then
    dropped = dropped + 1
  else
    local minute = math.floor(time / MINUTE) * MINUTE
    local bucket = buckets[minute]
    if not bucket then
      bucket = { n = 0, p = 0, o = 0, types = {}, visitors = {} }
      buckets[minute] = bucket
      order[#order + 1] = minute
    end
    bucket.n = bucket.n + 1
    local etype = ARGV[i + 1]
    if etype == '${PAGE_VIEW_EVENT_TYPE}' then bucket.p = bucket.p + 1 end
    local known = isNamed[etype]
    if known == nil then
      known = redis.call('ZSCORE', KEYS[2], etype) ~= false
      if not known and named < maxTypes then
        known = true
        named = named + 1
      end
      isNamed[etype] = known
    end
    if known then
      bucket.types[etype] = (bucket.types[etype] or 0) + 1
      if (typeLatest[etype] or -1) < minute then typeLatest[etype] = minute end
    else
      bucket.o = bucket.o + 1
    end
    local visitor = ARGV[i + 2]
    if visitor ~= '' then
      bucket.visitors[#bucket.visitors + 1] = visitor
      if time > cutoff and (lastSeen[visitor] or cutoff) < time then lastSeen[visitor] = time end
    end
  end
end
for _, minute in ipairs(order) do
  local bucket = buckets[minute]
  local hash = base .. 'm:' .. id(minute)
  local ttl = id(math.ceil(minute + WINDOW_MINUTES * MINUTE - clock + MINUTE))
  redis.call('HINCRBY', hash, 'n', bucket.n)
  if bucket.p > 0 then redis.call('HINCRBY', hash, 'p', bucket.p) end
  if bucket.o > 0 then redis.call('HINCRBY', hash, 'o', bucket.o) end
  for etype, count in pairs(bucket.types) do redis.call('HINCRBY', hash, 't:' .. etype, count) end
  redis.call('PEXPIRE', hash, ttl)
  local visitors = bucket.visitors
  if #visitors > 0 then
    local hll = base .. 'v:' .. id(minute)
    for j = 1, #visitors, 500 do redis.call('PFADD', hll, unpack(visitors, j, math.min(j + 499, #visitors))) end
    redis.call('PEXPIRE', hll, ttl)
  end
end
for etype, minute in pairs(typeLatest) do redis.call('ZADD', KEYS[2], 'GT', id(minute), etype) end
redis.call('PEXPIRE', KEYS[2], KEEP)
for visitor, time in pairs(lastSeen) do redis.call('ZADD', KEYS[3], 'GT', fmt(time), visitor) end
redis.call('PEXPIRE', KEYS[3], KEEP)
return dropped
`;

/**
 * KEYS: clock, active. ARGV: base, now, activeWindowMs. Returns { clock, window start, unique
 * visitors (PFCOUNT over the 60 minute HyperLogLogs), active visitors, the 60 minute hashes
 * (HGETALL, oldest first) }. Only the clock is written.
 */
export const SNAPSHOT_SCRIPT = `${PRELUDE}
local base = ARGV[1]
local clock, start = advance(KEYS[1], ARGV[2])
local active = redis.call('ZCOUNT', KEYS[2], '(' .. fmt(clock - tonumber(ARGV[3])), '+inf')
local hlls = {}
local minutes = {}
for i = 0, WINDOW_MINUTES - 1 do
  local minute = id(start + i * MINUTE)
  hlls[#hlls + 1] = base .. 'v:' .. minute
  minutes[#minutes + 1] = redis.call('HGETALL', base .. 'm:' .. minute)
end
return { fmt(clock), fmt(start), redis.call('PFCOUNT', unpack(hlls)), active, minutes }
`;
