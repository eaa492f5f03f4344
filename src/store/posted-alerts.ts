import type { PostedAlerts, PostedFiring } from '../incidents/alert-intake.js';
import type { RedisClient } from './redis.js';

const TTL_S = 7 * 24 * 3600;

/**
 * Alerts routed to `post`, on Redis: a firing (fingerprint + startsAt) or its resolution is claimed once
 * across replicas and re-notifications, and the message a firing went to is kept for threading its resolution.
 */
export class RedisPostedAlerts implements PostedAlerts {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async claim(fingerprint: string, startsAt: string, status: 'firing' | 'resolved'): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}posted:${fingerprint}:${startsAt}:${status}`, '1', 'EX', TTL_S, 'NX')) === 'OK';
  }

  async remember(fingerprint: string, firing: PostedFiring): Promise<void> {
    await this.redis.set(`${this.prefix}posted:${fingerprint}`, JSON.stringify(firing), 'EX', TTL_S);
  }

  async firing(fingerprint: string, startsAt: string): Promise<PostedFiring | undefined> {
    const raw = await this.redis.get(`${this.prefix}posted:${fingerprint}`);
    const found = raw ? (JSON.parse(raw) as PostedFiring) : undefined;
    return found?.startsAt === startsAt ? found : undefined;
  }
}
