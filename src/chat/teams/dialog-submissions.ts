import { createKeys, type Keys } from '../../store/keys.js';
import type { RedisClient } from '../../store/redis.js';

/** As long as the delivery log remembers other Teams deliveries. */
const TTL_SECONDS = 24 * 3600;

/**
 * Dialog submits that already ran. The claim is taken before the work starts, atomically, on the same
 * delivery key the delivery log uses: declaring has no idempotency key of its own (every declaration
 * takes a new number), so a submit Teams delivers twice, even at the same moment, must run once.
 */
export class DialogSubmissions {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
  }

  /** True for the first delivery of `activityId`; false for every redelivery. */
  async claim(activityId: string): Promise<boolean> {
    return (await this.redis.set(this.keys.delivery('teams', activityId), '1', 'EX', TTL_SECONDS, 'NX')) === 'OK';
  }
}
