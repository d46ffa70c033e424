/**
 * The connection counter's scripts. A count key (`<prefix>conns:a:<address>` or
 * `<prefix>conns:u:<user>`) is a hash of node id → `<count>:<expiresAt>`, stamped with Redis
 * `TIME` so that every node judges expiry on one clock. Each script touches one key (any slot of a
 * cluster).
 */

/**
 * KEYS: count key. ARGV: node id, this node's count, ttl (ms). Sets the node's count (0 removes
 * it) until now + ttl, and keeps the key alive at least that long.
 */
export const WRITE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[3])
if tonumber(ARGV[2]) <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. string.format('%d', now + ttl))
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

/**
 * KEYS: count key. ARGV: node id. Returns the sum of the other nodes' unexpired counts, and
 * removes expired ones (a crashed node's).
 */
export const READ_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local fields = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #fields, 2 do
  local value = fields[i + 1]
  local sep = string.find(value, ':', 1, true)
  local count = tonumber(string.sub(value, 1, (sep or 1) - 1)) or 0
  local expires = tonumber(string.sub(value, (sep or 0) + 1)) or 0
  if expires <= now then
    redis.call('HDEL', KEYS[1], fields[i])
  elseif fields[i] ~= ARGV[1] then
    total = total + count
  end
end
return total
`;
