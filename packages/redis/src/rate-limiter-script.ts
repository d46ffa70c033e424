/**
 * The token-bucket step of `takeTokens` (see `RateLimiter` in @oxidite/server) in Lua, so that all
 * nodes share one bucket per key. The arithmetic is the same double-precision expressions in the
 * same order, so decisions match the in-memory limiter's exactly.
 *
 * KEYS: bucket hash {tokens, updatedAt}. ARGV: capacity, refillPerSecond, cost, now ('' = Redis TIME).
 * Returns { allowed (0/1), remaining, retryAfter (-1 = never) }. The key expires when the bucket
 * would be full again (a full bucket is the same as no state); with no refill it is kept.
 */
export const CONSUME_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now
if ARGV[4] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
else
  now = tonumber(ARGV[4])
end
local function refilled(tokens, elapsed)
  return math.min(capacity, tokens + (elapsed * rate) / 1000)
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updatedAt')
local tokens = capacity
local updatedAt = now
if state[1] and state[2] then
  local lastTokens = tonumber(state[1])
  local last = tonumber(state[2])
  updatedAt = math.max(last, now)
  tokens = refilled(lastTokens, math.max(0, now - last))
end
local allowed = 0
local retryAfter = 0
if cost <= tokens then
  allowed = 1
  tokens = tokens - cost
elseif cost > capacity or rate == 0 then
  retryAfter = -1
else
  local wait = math.max(1, math.ceil(((cost - tokens) * 1000) / rate))
  while refilled(tokens, wait) < cost do wait = wait + 1 end
  while wait > 1 and refilled(tokens, wait - 1) >= cost do wait = wait - 1 end
  retryAfter = wait + math.ceil(updatedAt - now)
end
if tokens >= capacity then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'updatedAt', string.format('%.17g', updatedAt))
  if rate > 0 then
    local ttl = math.ceil(((capacity - tokens) * 1000) / rate + (updatedAt - now))
    redis.call('PEXPIRE', KEYS[1], math.max(1, ttl))
  else
    redis.call('PERSIST', KEYS[1])
  end
end
return { allowed, math.floor(tokens), retryAfter }
`;
