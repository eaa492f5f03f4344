import { Incident } from '../domain/incident.js';
import { TimelineEvent, type TimelineEventType } from '../domain/timeline.js';
import type { SummarySource } from '../incidents/summary-port.js';
import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/**
 * Reads what an insights summary needs straight from the incident's keys. Events of other types are
 * counted but never parsed: JSON.stringify writes `"type":"note"` with no spaces, and a quote inside a
 * string value is always escaped, so a raw entry without `"type":"<wanted>"` cannot be a wanted event.
 * Wanted ones are parsed and validated as usual.
 */
export class RedisSummarySource implements SummarySource {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
  }

  async get(id: string): Promise<Incident | undefined> {
    const data = await this.redis.hget(this.keys.incident(id), 'data');
    return data ? Incident.parse(JSON.parse(data)) : undefined;
  }

  async timelineOf(id: string, types: ReadonlySet<TimelineEventType>): Promise<{ events: TimelineEvent[]; length: number }> {
    const markers = [...types].map((t) => `"type":"${t}"`);
    const entries = await this.redis.xrange(this.keys.timeline(id), '-', '+');
    const events: TimelineEvent[] = [];
    for (const [, fields] of entries) {
      const raw = fields[1] ?? 'null';
      if (!markers.some((m) => raw.includes(m))) continue;
      const event = TimelineEvent.parse(JSON.parse(raw));
      if (types.has(event.type)) events.push(event);
    }
    return { events, length: entries.length };
  }
}
