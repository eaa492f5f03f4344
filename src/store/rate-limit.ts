import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/** KEYS: 1 the minute's counter. ARGV: 1 units, 2 limit. Takes all units or none; returns what was used before. */
const TAKE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {0, used} end
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], 120000)
return {1, used}
`;

/**
 * Per-minute budgets shared by every replica (fixed one-minute windows on Redis): "at most N new
 * incidents per minute from one alert source". All or nothing, so a refused request took nothing.
 */
export class RedisRateLimiter {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly perMinute: number,
  ) {
    this.keys = createKeys(prefix);
    if (!('rateLimitTake' in redis)) redis.defineCommand('rateLimitTake', { numberOfKeys: 1, lua: TAKE });
  }

  /** Takes `units` from `bucket`'s budget for this minute; false (and nothing taken) when they don't fit. */
  async take(bucket: string, units: number, now = Date.now()): Promise<{ ok: boolean; retryAfterS: number }> {
    const minute = Math.floor(now / 60_000);
    const script = (this.redis as unknown as { rateLimitTake(key: string, units: string, limit: string): Promise<[number, number]> }).rateLimitTake;
    const [ok] = await script.call(this.redis, this.keys.rateLimit(bucket, minute), String(units), String(this.perMinute));
    return { ok: ok === 1, retryAfterS: Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)) };
  }
}
