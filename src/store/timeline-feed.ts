import { parseTimelineEvent, type TimelineEvent } from '../domain/timeline.js';
import type { TimelineCursor, TimelineFeed } from '../incidents/store-port.js';
import type { Keys } from './keys.js';
import { dedicatedConnection, type RedisClient } from './redis.js';

/**
 * Follows an incident's timeline stream for live views. Each follower blocks on XREAD with a connection
 * of its own (a blocked connection can serve nobody else), so a write by any replica reaches every
 * viewer at once, without polling.
 */
export class RedisTimelineFeed implements TimelineFeed {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async cursor(incidentId: string): Promise<TimelineCursor> {
    const last = await this.redis.xrevrange(this.keys.timeline(incidentId), '+', '-', 'COUNT', 1);
    return last[0]?.[0] ?? '0-0';
  }

  async *follow(incidentId: string, after: TimelineCursor, signal: AbortSignal): AsyncGenerator<{ cursor: TimelineCursor; event: TimelineEvent }> {
    // It blocks for up to 15 s, so it waits out Redis outages instead of failing fast like request connections.
    const connection = dedicatedConnection(this.redis, 'worker');
    const stop = () => connection.disconnect();
    signal.addEventListener('abort', stop, { once: true });
    let cursor = after;
    try {
      while (!signal.aborted) {
        const reply = await connection.xread('COUNT', 200, 'BLOCK', 15_000, 'STREAMS', this.keys.timeline(incidentId), cursor).catch((err: unknown) => {
          if (signal.aborted) return null;
          throw err;
        });
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            cursor = id;
            yield { cursor: id, event: parseTimelineEvent(JSON.parse(fields[1] ?? 'null')) };
          }
        }
      }
    } finally {
      signal.removeEventListener('abort', stop);
      connection.disconnect();
    }
  }
}
