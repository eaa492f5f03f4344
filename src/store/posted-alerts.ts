import { NormalizedAlert } from '../alerts/alert.js';
import type { PendingPost, PostedAlerts, PostedFiring } from '../incidents/alert-intake.js';
import { createKeys } from './keys.js';
import type { RedisClient } from './redis.js';

const TTL_S = 7 * 24 * 3600;

/**
 * Claims a post: free, or pending for longer than the stale window (the claimer died or chat refused it) →
 * ours, with the time reset so one replica takes it over. A claim key without a pending entry was posted.
 * KEYS: claim, pending set. ARGV: now ms, stale ms, record, ttl s, member.
 */
const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  local since = redis.call('ZSCORE', KEYS[2], ARGV[5])
  if not since or tonumber(since) > tonumber(ARGV[1]) - tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[5])
return 1`;

/**
 * Takes over posts pending for longer than the stale window, up to a limit: each is re-dated to now,
 * so exactly one replica takes it. KEYS: pending set. ARGV: now ms, stale ms, limit, key prefix.
 */
const TAKE_STALE = `
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]), 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, m in ipairs(members) do
  local record = redis.call('GET', ARGV[4] .. m)
  if record then
    redis.call('ZADD', KEYS[1], ARGV[1], m)
    table.insert(out, record)
  else
    redis.call('ZREM', KEYS[1], m)
  end
end
return out`;

/**
 * Alerts routed to `post`, on Redis: a firing (fingerprint + startsAt) or its resolution is claimed once
 * across replicas and re-notifications, and stays pending until the chat post is done; the message a firing
 * went to is kept for threading its resolution.
 */
export class RedisPostedAlerts implements PostedAlerts {
  /** `<p>{posted}:`: every key of posted alerts shares one hash tag (see keys.ts). */
  private readonly base: string;
  private readonly pendingKey: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    /** How long a claimed post may stay unposted before another caller (or the sweep) takes it over. */
    readonly staleMs = 60_000,
  ) {
    this.base = createKeys(prefix).postedPrefix;
    this.pendingKey = `${this.base}pending`;
  }

  async claim(alert: NormalizedAlert, channel: string): Promise<boolean> {
    const member = memberOf(alert);
    const record = JSON.stringify({ alert, channel } satisfies PendingPost);
    const claimed = await this.redis.eval(CLAIM, 2, `${this.base}${member}`, this.pendingKey, Date.now(), this.staleMs, record, TTL_S, member);
    return claimed === 1;
  }

  async posted(alert: NormalizedAlert, firing?: PostedFiring): Promise<void> {
    const tx = this.redis.multi().zrem(this.pendingKey, memberOf(alert));
    if (firing) tx.set(`${this.base}${alert.fingerprint}`, JSON.stringify(firing), 'EX', TTL_S);
    await tx.exec();
  }

  async takeStale(limit: number): Promise<PendingPost[]> {
    const raw = (await this.redis.eval(TAKE_STALE, 1, this.pendingKey, Date.now(), this.staleMs, limit, this.base)) as string[];
    return raw.map((r) => {
      const { alert, channel } = JSON.parse(r) as { alert: unknown; channel: string };
      return { alert: NormalizedAlert.parse(alert), channel };
    });
  }

  async firing(fingerprint: string, startsAt: string): Promise<PostedFiring | undefined> {
    const raw = await this.redis.get(`${this.base}${fingerprint}`);
    const found = raw ? (JSON.parse(raw) as PostedFiring) : undefined;
    return found?.startsAt === startsAt ? found : undefined;
  }
}

function memberOf(alert: NormalizedAlert): string {
  return `${alert.fingerprint}:${alert.startsAt}:${alert.status}`;
}
