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

  /**
   * Claims a delivery before its work starts, atomically: true for the first delivery, false for every
   * redelivery, even at the same moment. For work with no idempotency key of its own (a declaration takes
   * a new number each time), at the price that a failed first attempt is not retried by a redelivery.
   */
  async claim(source: string, id: string): Promise<boolean> {
    return (await this.redis.set(this.keys.delivery(source, id), '1', 'EX', this.ttlSeconds, 'NX')) === 'OK';
  }
}
