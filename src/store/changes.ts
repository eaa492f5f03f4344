import { ChangeEvent } from '../domain/change.js';
import type { ChangeLog } from '../incidents/changes.js';
import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

// Stores one event unless it is stored already (a retried delivery), and drops what is past the
// retention, in one step so two replicas receiving the same delivery store it once.
const RECORD_CHANGE = `
-- KEYS: 1 index zset, 2 data hash; ARGV: 1 event id, 2 event time ms, 3 event JSON, 4 cutoff ms, 5 ttl ms
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4], 'LIMIT', 0, 500)
if #old > 0 then
  redis.call('HDEL', KEYS[2], unpack(old))
  redis.call('ZREM', KEYS[1], unpack(old))
end
local added = 0
if tonumber(ARGV[2]) >= tonumber(ARGV[4]) then
  added = redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3])
  if added == 1 then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
return added`;

/**
 * Change events per service in Redis, for `retentionMs` (default 7 days): a service nobody deploys
 * any more expires as a whole, an active one sheds its old events at every write.
 */
export class RedisChangeLog implements ChangeLog {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    readonly retentionMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.keys = createKeys(prefix);
  }

  async record(event: ChangeEvent): Promise<boolean> {
    const now = this.clock().getTime();
    const added = await this.redis.eval(
      RECORD_CHANGE,
      2,
      this.keys.changes(event.service),
      this.keys.changeData(event.service),
      event.eventId,
      String(Date.parse(event.at)),
      JSON.stringify(event),
      String(now - this.retentionMs),
      String(this.retentionMs),
    );
    return added === 1;
  }

  async between(service: string, from: Date, to: Date): Promise<ChangeEvent[]> {
    const cutoff = Math.max(from.getTime(), this.clock().getTime() - this.retentionMs);
    const ids = await this.redis.zrangebyscore(this.keys.changes(service), cutoff, to.getTime());
    if (ids.length === 0) return [];
    const values = await this.redis.hmget(this.keys.changeData(service), ...ids);
    return values.flatMap((v) => {
      if (v === null) return [];
      const parsed = ChangeEvent.safeParse(JSON.parse(v));
      return parsed.success ? [parsed.data] : [];
    });
  }
}
