import { IncidentRow, listOrder, matches, summarize, type IncidentPage, type IncidentQuery } from '../domain/incident-row.js';
import { Incident, incidentIdFor } from '../domain/incident.js';
import { isOpen } from '../domain/status.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/**
 * Writes a summary only if it is newer than the one stored: two replicas committing one after the
 * other may reach this write in the other order, and the list must not go back to the older state.
 */
const UPSERT_SCRIPT = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local ok, row = pcall(cjson.decode, current)
  if ok and tonumber(row.version) >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;

type UpsertCommand = { upsertIncidentSummary(key: string, id: string, version: string, json: string): Promise<number> };

/**
 * The incident list's index: one hash of small summaries (id → JSON) and the closed/resolved incidents
 * in a sorted set, kept by the store after each commit (bench/console.ts measures it at 10,000).
 */
export class IncidentIndex {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    if (!('upsertIncidentSummary' in redis)) redis.defineCommand('upsertIncidentSummary', { numberOfKeys: 1, lua: UPSERT_SCRIPT });
  }

  async record(incident: Incident): Promise<void> {
    const row = summarize(incident);
    // The store keeps `incidents:open`; the rest of the list order is kept here. Both go out at once.
    await Promise.all([
      (this.redis as unknown as UpsertCommand).upsertIncidentSummary(this.keys.incidentSummaries, row.id, String(row.version), JSON.stringify(row)),
      isOpen(incident.status) ? this.redis.zrem(this.keys.incidentHistory, incident.id) : this.redis.zadd(this.keys.incidentHistory, incident.number, incident.id),
    ]);
  }

  /**
   * Indexes every incident numbered 1..incident:seq: those created before the index existed have no row
   * in the list. Safe while the bot runs (a row never goes back to an older version), so it runs at
   * start-up once per Redis (`incidents:indexed` marks it done) and again with `sitrep reindex`.
   */
  async backfill(options: { force?: boolean; concurrency?: number } = {}): Promise<{ indexed: number; missing: number } | undefined> {
    if (!options.force && (await this.redis.exists(this.keys.incidentsIndexed))) return undefined;
    const last = Number((await this.redis.get(this.keys.incidentSeq)) ?? 0);
    let next = 1;
    let indexed = 0;
    let missing = 0;
    const worker = async () => {
      while (next <= last) {
        const data = await this.redis.hget(this.keys.incident(incidentIdFor(next++)), 'data');
        if (!data) {
          missing++;
          continue;
        }
        await this.record(Incident.parse(JSON.parse(data)));
        indexed++;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
    await this.redis.set(this.keys.incidentsIndexed, new Date().toISOString());
    return { indexed, missing };
  }

  async page(query: IncidentQuery): Promise<IncidentPage> {
    const filtered = query.severity || query.team || query.service || query.source || query.search || (query.status && query.status !== 'open');
    return filtered ? this.scan(query) : this.walk(query);
  }

  /**
   * No filter (or only "open"): the order is open incidents then history, both newest first, so a page
   * is two ZREVRANGEs and one HMGET, whatever the number of incidents.
   */
  private async walk(query: IncidentQuery): Promise<IncidentPage> {
    const [openCount, historyCount] = await Promise.all([this.redis.zcard(this.keys.openIncidents), query.status === 'open' ? 0 : this.redis.zcard(this.keys.incidentHistory)]);
    const start = (query.page - 1) * query.pageSize;
    const end = start + query.pageSize; // exclusive
    const ids: string[] = [];
    if (start < openCount) ids.push(...(await this.redis.zrevrange(this.keys.openIncidents, start, Math.min(end, openCount) - 1)));
    if (end > openCount && historyCount) {
      ids.push(...(await this.redis.zrevrange(this.keys.incidentHistory, Math.max(0, start - openCount), end - openCount - 1)));
    }
    const json = ids.length ? await this.redis.hmget(this.keys.incidentSummaries, ...ids) : [];
    const rows = json.filter((j): j is string => j !== null).map((j) => IncidentRow.parse(JSON.parse(j)));
    return { rows, total: openCount + historyCount, page: query.page, pageSize: query.pageSize };
  }

  /**
   * Any other filter reads the summaries in one round trip and filters them here. Each row's JSON is
   * first checked for the filter's literal text (cheap), so only rows that may match are parsed and
   * matched exactly.
   */
  private async scan(query: IncidentQuery): Promise<IncidentPage> {
    const all = await this.redis.hvals(this.keys.incidentSummaries);
    const mayMatch = prefilter(query);
    const rows: IncidentRow[] = [];
    for (const json of all) {
      if (!mayMatch(json)) continue;
      const row = JSON.parse(json) as IncidentRow;
      if (matches(row, query)) rows.push(row);
    }
    rows.sort(listOrder);
    const start = (query.page - 1) * query.pageSize;
    return { rows: rows.slice(start, start + query.pageSize).map((r) => IncidentRow.parse(r)), total: rows.length, page: query.page, pageSize: query.pageSize };
  }
}

/**
 * Text every matching row's JSON must contain: `"team":"team-3"` for a team, the search words in the
 * lower-cased JSON for a title search. A row without it cannot match; one with it is still matched exactly.
 */
function prefilter(query: IncidentQuery): (json: string) => boolean {
  const needles: string[] = [];
  const field = (name: string, value: string | undefined) => value && needles.push(`"${name}":${JSON.stringify(value)}`);
  field('severity', query.severity);
  field('team', query.team);
  field('source', query.source);
  if (query.status && query.status !== 'open') field('status', query.status);
  if (query.service) needles.push(JSON.stringify(query.service));
  const search = query.search?.toLowerCase();
  // A search with characters JSON escapes is left to the exact match.
  const searchable = search && JSON.stringify(search) === `"${search}"` ? search : undefined;
  return (json) => needles.every((n) => json.includes(n)) && (!searchable || json.toLowerCase().includes(searchable));
}
