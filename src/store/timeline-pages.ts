import { TimelineEvent } from '../domain/timeline.js';
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

/**
 * Walks the stream inside Redis and returns only what the card shows, so a 10,000-entry timeline does
 * not cross the network and get parsed to draw a card. The kind is the first "type" in the entry (events
 * are stored with it first); card entries are found by a plain search and checked again in TypeScript.
 */
const DIGEST = `
local kinds, card, seen = {}, {}, {}
local start = '-'
while true do
  local batch = redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', 1000)
  for _, entry in ipairs(batch) do
    local json = entry[2][2]
    local kind = string.match(json, '"type":"([%w_]+)"')
    if kind and not seen[kind] then seen[kind] = true; table.insert(kinds, kind) end
    if string.find(json, '"type":"alert_fired"', 1, true) or string.find(json, '"type":"alert_resolved"', 1, true) or string.find(json, '"type":"owner_changed"', 1, true) then
      table.insert(card, json)
    end
  end
  if #batch < 1000 then break end
  start = '(' .. batch[#batch][1]
end
return {kinds, card}`;

const CARD_TYPES = new Set(['alert_fired', 'alert_resolved', 'owner_changed']);

type DigestCommand = { timelineDigest(key: string): Promise<[string[], string[]]> };

/** Pages of an incident's timeline for the console: the newest first, older ones on request. */
export class RedisTimelinePages {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    if (!('timelineDigest' in redis)) redis.defineCommand('timelineDigest', { numberOfKeys: 1, lua: DIGEST });
  }

  /** The `limit` newest entries, or the `limit` entries just before stream id `before`. */
  async newest(incidentId: string, limit: number, before?: string): Promise<TimelinePage> {
    const key = this.keys.timeline(incidentId);
    const [total, newestFirst] = await Promise.all([this.redis.xlen(key), this.redis.xrevrange(key, before ? `(${before}` : '+', '-', 'COUNT', limit + 1)]);
    const hasEarlier = newestFirst.length > limit;
    const entries = newestFirst
      .slice(0, limit)
      .reverse()
      .map(([streamId, fields]) => ({ streamId, event: TimelineEvent.parse(JSON.parse(fields[1] ?? 'null')) }));
    return { entries, total, hasEarlier };
  }

  async digest(incidentId: string): Promise<TimelineDigest> {
    const [kinds, card] = await (this.redis as unknown as DigestCommand).timelineDigest(this.keys.timeline(incidentId));
    const cardEvents = card.map((json) => JSON.parse(json) as { type?: string }).filter((e) => CARD_TYPES.has(e.type ?? '')).map((e) => TimelineEvent.parse(e));
    return { kinds: [...kinds].sort(), cardEvents };
  }
}
