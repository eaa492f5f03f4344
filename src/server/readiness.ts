import type { RedisClient } from '../store/redis.js';

/** Readiness answers within this, whatever Redis does (a probe that hangs is as bad as one that lies). */
export const READY_TIMEOUT_MS = 800;

/** True when Redis answers a PING within READY_TIMEOUT_MS. */
export async function redisReady(redis: RedisClient, timeoutMs = READY_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([redis.ping().then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
