/**
 * The broker's Lua scripts. Each runs atomically in Redis, so the sequence number, the stream
 * entry and the PUBLISH of one message happen together: every node sees messages in seq order
 * and history never disagrees with what was fanned out.
 *
 * Numbers that become ids are formatted with %d: Lua's default `..` formatting is %.14g, which
 * would turn a very large seq into exponent notation.
 *
 * Keys of a topic (see README): `meta` hash {epoch, seq, maxAge}, `stream` (entries with id
 * `<seq>-0` and fields t = publish time, k = payload kind, d = payload bytes, and p = the W3C
 * `traceparent` when the publish was traced), and while
 * idempotent publishes are remembered `dedupe` (hash) and `dedupe-order` (sorted set).
 */

/**
 * KEYS: meta, stream, dedupe, dedupe order (all with the topic's hash tag: one slot). ARGV: fresh
 * epoch, ts, size, maxAge, kind, data, channel, meta ttl, idempotency key ('' for none), dedupe
 * window, dedupe max keys, publish command ('SPUBLISH' for sharded Pub/Sub on a cluster, else
 * 'PUBLISH'; the channel carries the topic's hash tag, so it lives in the keys' slot), traceparent
 * ('' for none). Returns { epoch, seq, ts, duplicate (0/1) }. Publishes
 * `m\n<epoch>\n<seq>\n<ts>\n<kind>\n<data>` on the channel, or for a traced publish
 * `M\n<epoch>\n<seq>\n<ts>\n<kind>\n<traceparent>\n<data>`: untraced messages keep their exact
 * bytes, and a node of an earlier version skips an `M` record and reads the message from the
 * stream when it sees the seq gap.
 *
 * With a key, the dedupe check and the append are one script (issue #20), so two nodes given the
 * same retried publish append it once. `dedupe` is a hash key → `<epoch> <seq> <ts>` of its first
 * publish; `dedupe order` a sorted set of the keys by publish time, which bounds both by the
 * window (expired keys are dropped before the check) and by max keys (the oldest go first).
 */
export const PUBLISH_SCRIPT = `
local key = ARGV[9]
local ts = tonumber(ARGV[2])
local window = tonumber(ARGV[10])
if key ~= '' then
  local cutoff = string.format('%d', ts - window)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', cutoff)
  for i = 1, #expired do redis.call('HDEL', KEYS[3], expired[i]) end
  if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', cutoff) end
  local first = redis.call('HGET', KEYS[3], key)
  if first then
    local e, s, t = string.match(first, '^(%S+) (%d+) (%d+)$')
    return { e, tonumber(s), tonumber(t), 1 }
  end
end
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch)
end
local seq = string.format('%d', redis.call('HINCRBY', KEYS[1], 'seq', 1))
local size = tonumber(ARGV[3])
local maxAge = tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'maxAge', maxAge)
local traceparent = ARGV[13]
if size > 0 then
  if traceparent == '' then
    redis.call('XADD', KEYS[2], 'MAXLEN', '=', size, seq .. '-0', 't', ARGV[2], 'k', ARGV[5], 'd', ARGV[6])
  else
    redis.call('XADD', KEYS[2], 'MAXLEN', '=', size, seq .. '-0', 't', ARGV[2], 'k', ARGV[5], 'p', traceparent, 'd', ARGV[6])
  end
  if maxAge > 0 then redis.call('PEXPIRE', KEYS[2], maxAge) end
else
  redis.call('DEL', KEYS[2])
end
redis.call('PEXPIRE', KEYS[1], math.max(maxAge, tonumber(ARGV[8])))
if traceparent == '' then
  redis.call(ARGV[12], ARGV[7], 'm\\n' .. epoch .. '\\n' .. seq .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[5] .. '\\n' .. ARGV[6])
else
  redis.call(ARGV[12], ARGV[7], 'M\\n' .. epoch .. '\\n' .. seq .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[5] .. '\\n' .. traceparent .. '\\n' .. ARGV[6])
end
if key ~= '' then
  redis.call('HSET', KEYS[3], key, epoch .. ' ' .. seq .. ' ' .. ARGV[2])
  redis.call('ZADD', KEYS[4], ts, key)
  local excess = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[11])
  if excess > 0 then
    local oldest = redis.call('ZPOPMIN', KEYS[4], excess)
    for i = 1, #oldest, 2 do redis.call('HDEL', KEYS[3], oldest[i]) end
  end
  redis.call('PEXPIRE', KEYS[3], window)
  redis.call('PEXPIRE', KEYS[4], window)
end
return { epoch, tonumber(seq), ts, 0 }
`;

/**
 * KEYS: meta, stream. ARGV: fresh epoch, now, mode ('since' | 'last'), since epoch, since seq,
 * limit, meta ttl. Returns { epoch, seq, recovered (0/1), entries }.
 *
 * A read of an unknown topic creates its epoch (seq 0), so the position a subscriber is given
 * stays valid when the first message arrives. A `since` of another epoch (the topic's keys were
 * lost) gets the current epoch's retained entries from the first, with recovered 0. Entries older than maxAge are evicted from the
 * front, as by the memory broker's ring, and count as missing.
 */
export const HISTORY_SCRIPT = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
end
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local maxAge = tonumber(redis.call('HGET', KEYS[1], 'maxAge') or '0')
local cutoff = nil
if maxAge > 0 then cutoff = tonumber(ARGV[2]) - maxAge end
local function fresh(entries)
  local first = 1
  if cutoff then
    while first <= #entries do
      local fields = entries[first][2]
      local ts = nil
      for i = 1, #fields, 2 do if fields[i] == 't' then ts = tonumber(fields[i + 1]) end end
      if ts and ts >= cutoff then break end
      first = first + 1
    end
  end
  local out = {}
  for i = first, #entries do out[#out + 1] = entries[i] end
  return out
end
if ARGV[3] == 'last' then
  local limit = tonumber(ARGV[6])
  if limit <= 0 then return { epoch, seq, 1, {} } end
  local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[6])
  local entries = {}
  for i = #newest, 1, -1 do entries[#entries + 1] = newest[i] end
  return { epoch, seq, 1, fresh(entries) }
end
local since = tonumber(ARGV[5])
if ARGV[4] ~= epoch then return { epoch, seq, 0, fresh(redis.call('XRANGE', KEYS[2], '-', '+')) } end
if since > seq then return { epoch, seq, 0, {} } end
if since == seq then return { epoch, seq, 1, {} } end
local first = string.format('%d', since + 1) .. '-0'
local entries = fresh(redis.call('XRANGE', KEYS[2], first, '+'))
if #entries == 0 or entries[1][1] ~= first then return { epoch, seq, 0, {} } end
return { epoch, seq, 1, entries }
`;
