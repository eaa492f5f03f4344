import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own for each test run, so parallel test files never see each other's data. */
export function testPrefix(label = 'test'): string {
  return `sitrep-test:${label}:${randomBytes(4).toString('hex')}:`;
}

export function testRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { enableAutoPipelining: true, maxRetriesPerRequest: 2 });
}

/** Deletes every key under the prefix (SCAN, never KEYS: Redis may be shared). */
export async function cleanPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
