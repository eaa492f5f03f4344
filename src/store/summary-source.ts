import { Incident } from '../domain/incident.js';
import { parseTimelineEvent, type TimelineEvent, type TimelineEventType } from '../domain/timeline.js';
import type { SummaryInput, SummarySource } from '../incidents/summary-port.js';
import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

// KEYS: timeline stream, incident hash (one slot: both carry the incident's hash tag). ARGV: the wanted
// event types. Returns { timeline length, incident JSON or false, wanted raw events… }.
//
// A timeline is mostly notes and captured messages (a long one is ~70 KB); shipping all of it to be
// thrown away costs more than reading it. Redis keeps the entries whose JSON holds `"type":"<wanted>"`
// (JSON.stringify writes no spaces there, and a quote inside a string value is always escaped, so an
// entry without the marker cannot be a wanted event); the caller parses what comes back and checks the
// type again. One script also reads the record and the timeline at the same instant.
const READ = `
local wanted = {}
for i = 1, #ARGV do wanted[ARGV[i]] = true end
local entries = redis.call('XRANGE', KEYS[1], '-', '+')
-- false, not nil: a nil would end the array and the first event would take its place.
local out = { #entries, redis.call('HGET', KEYS[2], 'data') or false }
for _, entry in ipairs(entries) do
  local raw = entry[2][2]
  local from = 1
  while true do
    local _, stop = string.find(raw, '"type":"', from, true)
    if not stop then break end
    local t = string.match(raw, '^[%w_]+', stop + 1)
    if t and wanted[t] then
      out[#out + 1] = raw
      break
    end
    from = stop + 1
  end
end
return out`;

type Scripts = { readForSummary(...args: string[]): Promise<[number, string | null, ...string[]]> };

/** Reads what an insights summary needs straight from the incident's keys, in one round trip. */
export class RedisSummarySource implements SummarySource {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
    if (!('readForSummary' in redis)) redis.defineCommand('readForSummary', { numberOfKeys: 2, lua: READ });
  }

  async read(id: string, types: ReadonlySet<TimelineEventType>): Promise<SummaryInput> {
    const [length, data, ...raw] = await (this.redis as unknown as Scripts).readForSummary(this.keys.timeline(id), this.keys.incident(id), ...types);
    const events: TimelineEvent[] = [];
    for (const json of raw) {
      const event = parseTimelineEvent(JSON.parse(json));
      if (types.has(event.type)) events.push(event);
    }
    return { incident: data ? Incident.parse(JSON.parse(data)) : undefined, events, length };
  }
}
