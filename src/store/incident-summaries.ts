import { parseSummary, type IncidentSummary } from '../domain/incident-summary.js';
import type { SummaryStore } from '../incidents/summary-port.js';
import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

// Lua's unpack takes a few thousand values at most: HMGET in chunks.
const READ_CHUNK = 1_000;

// PUT and REMOVE start here. KEYS[2] is the meta hash; ARGV[1] the incident id, ARGV[2] the timeline length
// summarised. A write from a shorter timeline than the one already summarised is stale (a slower
// replica): it stops. Otherwise the incident leaves the indexes it was in.
const UNINDEX_UNLESS_NEWER = `
local meta = redis.call('HGET', KEYS[2], ARGV[1])
if meta then
  meta = cjson.decode(meta)
  if meta.e > tonumber(ARGV[2]) then return 0 end
  for _, key in ipairs(meta.k) do redis.call('ZREM', key, ARGV[1]) end
end`;

// KEYS: summary hash, meta hash, then the index zsets the summary belongs in. ARGV: id, events, score, json.
const PUT = `${UNINDEX_UNLESS_NEWER}
local keys = {}
for i = 3, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[3], ARGV[1])
  keys[#keys + 1] = KEYS[i]
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode({ e = tonumber(ARGV[2]), k = keys }))
return 1`;

// KEYS: summary hash, meta hash. ARGV: id, events. The meta entry stays, so a late write of the older summary loses.
const REMOVE = `${UNINDEX_UNLESS_NEWER}
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], '{"e":' .. tonumber(ARGV[2]) .. ',"k":{}}')
return 1`;

// KEYS: an index zset, the summary hash. ARGV: from (ms), to (ms, exclusive). The summaries declared in
// [from, to), in one round trip: a report over months reads thousands of them.
const FIND = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '(' .. ARGV[2])
local out = {}
for first = 1, #ids, ${READ_CHUNK} do
  local values = redis.call('HMGET', KEYS[2], unpack(ids, first, math.min(first + ${READ_CHUNK} - 1, #ids)))
  for i = 1, #values do
    if values[i] then out[#out + 1] = values[i] end
  end
end
return out`;

type Scripts = {
  findIncidentSummaries(index: string, summaries: string, from: number, to: number): Promise<string[]>;
  putIncidentSummary(...args: (string | number)[]): Promise<number>;
  removeIncidentSummary(...args: (string | number)[]): Promise<number>;
};


/** Incident summaries and their time, team and service indexes. */
export class RedisIncidentSummaries implements SummaryStore {
  readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
    if (!('putIncidentSummary' in redis)) {
      redis.defineCommand('putIncidentSummary', { lua: PUT });
      redis.defineCommand('removeIncidentSummary', { numberOfKeys: 2, lua: REMOVE });
      redis.defineCommand('findIncidentSummaries', { numberOfKeys: 2, lua: FIND });
    }
  }

  private get scripts(): Scripts {
    return this.redis as unknown as Scripts;
  }

  async put(summary: IncidentSummary): Promise<boolean> {
    const keys = [
      this.keys.insightsSummary,
      this.keys.insightsMeta,
      this.keys.insightsByTime,
      ...(summary.team ? [this.keys.insightsByTeam(summary.team)] : []),
      ...summary.services.map((s) => this.keys.insightsByService(s)),
    ];
    const done = await this.scripts.putIncidentSummary(keys.length, ...keys, summary.id, summary.events, Date.parse(summary.declaredAt), JSON.stringify(summary));
    return done === 1;
  }

  async remove(incidentId: string, events: number): Promise<boolean> {
    return (await this.scripts.removeIncidentSummary(this.keys.insightsSummary, this.keys.insightsMeta, incidentId, events)) === 1;
  }

  async find(range: { from: Date; to: Date; team?: string; service?: string }): Promise<IncidentSummary[]> {
    // The narrowest index answers; `matching` (src/insights/report.ts) applies the rest of the query.
    const index = range.team ? this.keys.insightsByTeam(range.team) : range.service ? this.keys.insightsByService(range.service) : this.keys.insightsByTime;
    // The range is half-open: [from, to).
    const values = await this.scripts.findIncidentSummaries(index, this.keys.insightsSummary, range.from.getTime(), range.to.getTime());
    const out: IncidentSummary[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = parseSummary(JSON.parse(values[i]!));
    return out;
  }
}
