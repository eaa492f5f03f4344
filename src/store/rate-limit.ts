import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/**
 * KEYS: 1 the minute's set of what was counted. ARGV: 1 limit, 2… members. A member already counted this
 * minute is free (two requests racing to open the same alert group take one unit); the new ones are taken
 * all or none. Returns {ok, used before}.
 */
const TAKE = `
local used = redis.call('SCARD', KEYS[1])
local fresh = {}
for i = 2, #ARGV do
  if redis.call('SISMEMBER', KEYS[1], ARGV[i]) == 0 then table.insert(fresh, ARGV[i]) end
end
if #fresh == 0 then return {1, used} end
if used + #fresh > tonumber(ARGV[1]) then return {0, used} end
redis.call('SADD', KEYS[1], unpack(fresh))
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
    if (!('rateLimitTakeDistinct' in redis)) redis.defineCommand('rateLimitTakeDistinct', { numberOfKeys: 1, lua: TAKE });
  }

  /**
   * Takes one unit per member (e.g. alert group) not yet counted in `bucket` this minute; false (and nothing
   * taken) when they don't fit.
   */
  async take(bucket: string, members: readonly string[], now = Date.now()): Promise<{ ok: boolean; retryAfterS: number }> {
    const minute = Math.floor(now / 60_000);
    const script = (this.redis as unknown as { rateLimitTakeDistinct(key: string, limit: string, ...members: string[]): Promise<[number, number]> }).rateLimitTakeDistinct;
    const [ok] = await script.call(this.redis, this.keys.rateLimit(bucket, minute), String(this.perMinute), ...members);
    return { ok: ok === 1, retryAfterS: Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)) };
  }
}
