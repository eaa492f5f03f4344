import { parseTimelineEvent, type TimelineEvent } from '../domain/timeline.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/** A stretch of a timeline, oldest first, with the stream ids to page from and to follow live. */
export interface TimelinePage {
  entries: Array<{ streamId: string; event: TimelineEvent }>;
  /** Entries in the whole timeline. */
  total: number;
  /** Whether older entries exist before the first one here. */
  hasEarlier: boolean;
}

/** What the incident card needs from the whole timeline, however long it is. */
export interface TimelineDigest {
  /** Every kind of entry in the timeline (for the "show" filter). */
  kinds: string[];
  /** The alert and hand-off entries (alerts with their counts, the hand-off ledger). */
  cardEvents: TimelineEvent[];
}

const CARD_TYPES = new Set(['alert_fired', 'alert_resolved', 'owner_changed']);

/** Pages of an incident's timeline for the console: the newest first, older ones on request, and its digest. */
export class RedisTimelinePages {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** The `limit` newest entries, or the `limit` entries just before stream id `before`. */
  async newest(incidentId: string, limit: number, before?: string): Promise<TimelinePage> {
    const key = this.keys.timeline(incidentId);
    const [total, newestFirst] = await Promise.all([this.redis.xlen(key), this.redis.xrevrange(key, before ? `(${before}` : '+', '-', 'COUNT', limit + 1)]);
    const hasEarlier = newestFirst.length > limit;
    const entries = newestFirst
      .slice(0, limit)
      .reverse()
      .map(([streamId, fields]) => ({ streamId, event: parseTimelineEvent(JSON.parse(fields[1] ?? 'null')) }));
    return { entries, total, hasEarlier };
  }

  /**
   * Kept as entries are written (by the commit script, src/store/commit-script.ts), so a page never walks a long timeline; an incident from
   * before that is walked once, in chunks, and its digest written then.
   */
  async digest(incidentId: string): Promise<TimelineDigest> {
    if (!(await this.redis.exists(this.keys.timelineDigested(incidentId)))) await this.backfill(incidentId);
    const [kinds, card] = await Promise.all([this.redis.smembers(this.keys.timelineKinds(incidentId)), this.redis.zrange(this.keys.timelineCard(incidentId), '0', '-1')]);
    return { kinds: kinds.sort(), cardEvents: card.map((json) => parseTimelineEvent(JSON.parse(json))) };
  }

  private async backfill(incidentId: string): Promise<void> {
    let start = '-';
    for (;;) {
      const batch = await this.redis.xrange(this.keys.timeline(incidentId), start, '+', 'COUNT', 1000);
      await recordDigest(this.redis, this.keys, incidentId, batch.map(([, fields]) => JSON.parse(fields[1] ?? 'null') as TimelineEvent));
      if (batch.length < 1000) break;
      start = `(${batch.at(-1)![0]}`;
    }
    await this.redis.set(this.keys.timelineDigested(incidentId), '1');
  }
}

/** The score of an entry the card reads (alerts, hand-offs) in the digest, '' for any other entry. */
export function cardScore(event: TimelineEvent): string {
  return CARD_TYPES.has(event.type) ? String(Date.parse(event.at)) : '';
}

/**
 * Adds entries of an incident from before the digest existed to it: the kinds seen, and the alert and
 * hand-off entries by time (the same JSON as in the stream, so writing one twice changes nothing).
 */
async function recordDigest(redis: RedisClient, keys: Keys, incidentId: string, events: readonly TimelineEvent[]): Promise<void> {
  if (!events.length) return;
  const pipeline = redis.pipeline();
  pipeline.sadd(keys.timelineKinds(incidentId), ...new Set(events.map((e) => e.type)));
  for (const e of events) if (CARD_TYPES.has(e.type)) pipeline.zadd(keys.timelineCard(incidentId), Date.parse(e.at), JSON.stringify(e));
  await pipeline.exec();
}
