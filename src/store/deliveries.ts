import type { RedisClient } from './redis.js';
import { createKeys, type Keys } from './keys.js';

/**
 * Platform deliveries (Slack `event_id`s, …) that were handled successfully. A delivery is marked only
 * after its work succeeded, so a retry of a delivery whose first attempt failed still runs; the
 * timeline's idempotency keys stay the guarantee against doubles when two attempts race.
 */
export class DeliveryLog {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly ttlSeconds = 24 * 3600,
  ) {
    this.keys = createKeys(prefix);
  }

  async handled(source: string, id: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.delivery(source, id))) === 1;
  }

  async markHandled(source: string, id: string): Promise<void> {
    await this.redis.set(this.keys.delivery(source, id), '1', 'EX', this.ttlSeconds);
  }
}
