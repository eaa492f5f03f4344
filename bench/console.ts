// The web console's speed targets, against the Redis on REDIS_URL (default 127.0.0.1:6379) and a real
// sitrep on loopback (WEB_AUTH=none). Times are request round trips on loopback: an upper bound of server time.
// Goals: first page of 10,000 incidents < 100 ms; incident page with a 10,000-event timeline < 200 ms;
// a timeline entry reaches an open live stream < 500 ms after it is written.
// Each page is also measured against its floor, interleaved (bench/floor.ts): the raw Redis reads that
// page needs and JSON.parse of what they return, on a connection of its own — what no implementation
// of the same page could skip.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { startSitrep } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { incidentIdFor, type Incident } from '../src/domain/incident.js';
import type { NewTimelineEvent } from '../src/domain/timeline.js';
import { silentLogger } from '../src/log.js';
import { createKeys } from '../src/store/keys.js';
import { cleanPrefix } from '../test/helpers/redis.js';
import { interleave, reportRatio } from './floor.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const INCIDENTS = 10_000;
const EVENTS = 10_000;
const actor = { platform: 'slack' as const, id: 'U_BENCH', name: 'bench' };
const STATUSES = ['investigating', 'resolved', 'closed', 'closed', 'closed'] as const;

const incident = (n: number): Incident => ({
  id: incidentIdFor(n),
  number: n,
  title: `bench incident ${n}: ${n % 7 === 0 ? 'checkout' : 'search'} latency`,
  severity: (['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const)[n % 4]!,
  highestSeverity: 'SEV1',
  status: STATUSES[n % STATUSES.length]!,
  roles: { lead: actor },
  declaredBy: actor,
  source: { kind: n % 3 ? 'command' : 'alert', detail: n % 3 ? 'slack' : 'alertmanager' },
  affectedServices: [`svc-${n % 40}`],
  suspectedOwner: { team: `team-${n % 12}`, via: 'triage' },
  alertFingerprints: [],
  pages: [],
  links: [],
  declaredAt: new Date(Date.now() - n * 60_000).toISOString(),
  version: 0,
});
const note = (i: number): NewTimelineEvent => ({ type: 'note', actor, key: `bench:${i}`, text: `note ${i}: checked the dashboards, error rate still 4%` });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function liveLatency(base: string, number: number, append: (i: number) => Promise<unknown>, samples = 20): Promise<number[]> {
  const abort = new AbortController();
  const res = await fetch(`${base}/incidents/${number}/live`, { signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  await reader.read();
  const latencies: number[] = [];
  let text = '';
  for (let i = 0; i < samples; i++) {
    const written = performance.now();
    await append(i);
    while (!text.includes(`note live ${i}:`)) {
      const { value } = await reader.read();
      text += decoder.decode(value);
    }
    latencies.push(performance.now() - written);
  }
  abort.abort();
  return latencies;
}

async function main() {
  const prefix = `sitrep-bench:${randomBytes(3).toString('hex')}:`;
  const config = parseConfig({ REDIS_URL: url, REDIS_KEY_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1', WEB_CONSOLE: 'on', WEB_AUTH: 'none', PUBLIC_URL: 'http://127.0.0.1' });
  const sitrep = await startSitrep(config, silentLogger);
  const redis = new Redis(url, { enableAutoPipelining: true });
  try {
    const store = sitrep.deps.store;
    let made = performance.now();
    for (let n = 1; n <= INCIDENTS; n += 200) {
      await Promise.all(Array.from({ length: Math.min(200, INCIDENTS - n + 1) }, (_, j) => store.create(incident(n + j), [])));
    }
    console.log(`seeded ${INCIDENTS} incidents in ${((performance.now() - made) / 1000).toFixed(1)} s`);
    made = performance.now();
    // An open incident (INC-5): notes on a resolved one would also rewrite its insights summary each time.
    const busy = incident(5).id;
    // 50 at a time: appends to one incident queue behind each other in Redis, and a busy machine must not time them out.
    for (let i = 0; i < EVENTS; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => store.append(busy, [note(i + j)])));
    console.log(`seeded a ${EVENTS}-event timeline in ${((performance.now() - made) / 1000).toFixed(1)} s`);

    const keys = createKeys(prefix);
    const once = async (path: string) => {
      const started = performance.now();
      const res = await fetch(sitrep.url + path);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
      return performance.now() - started;
    };
    const timed = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    const parseAll = (values: Array<string | null>) => values.forEach((v) => v && JSON.parse(v));
    // The unfiltered list: open and history counts, one page of ids, their rows.
    const listFloor = () =>
      timed(async () => {
        const [open] = await Promise.all([redis.zcard(keys.openIncidents), redis.zcard(keys.incidentHistory)]);
        // The console's default page size is 50.
        const ids = [...(await redis.zrevrange(keys.openIncidents, 0, 49)), ...(await redis.zrevrange(keys.incidentHistory, 0, Math.max(0, 49 - open)))].slice(0, 50);
        parseAll(await redis.hmget(keys.incidentSummaries, ...ids));
      });
    // A filtered list (title search included) has to look at every row: all of them, parsed.
    const filteredFloor = () => timed(async () => parseAll(await redis.hvals(keys.incidentSummaries)));
    // The incident page: the incident, the newest entries and the timeline's digest for the card.
    const busyId = busy;
    const pageFloor = () =>
      timed(async () => {
        const [data, , newest] = await Promise.all([
          redis.hget(keys.incident(busyId), 'data'),
          redis.xlen(keys.timeline(busyId)),
          redis.xrevrange(keys.timeline(busyId), '+', '-', 'COUNT', 301),
        ]);
        JSON.parse(data!);
        newest.forEach(([, fields]) => JSON.parse(fields[1]!));
      });

    const pages: Array<{ measure: string; path: string; floor: () => Promise<number>; goalMs: number }> = [
      { measure: 'incident list, first page of 10,000 (HTML)', path: '/incidents', floor: listFloor, goalMs: 100 },
      { measure: 'incident list, first page (JSON API)', path: '/api/incidents', floor: listFloor, goalMs: 100 },
      { measure: 'incident list, filtered: open SEV1 of team-3, title search', path: '/incidents?status=open&severity=SEV1&team=team-3&search=checkout', floor: filteredFloor, goalMs: 100 },
      { measure: 'incident list, title search only', path: '/incidents?search=checkout', floor: filteredFloor, goalMs: 100 },
      { measure: 'incident list, page 150', path: '/incidents?page=150', floor: listFloor, goalMs: 100 },
      { measure: 'incident page with a 10,000-event timeline', path: '/incidents/5', floor: pageFloor, goalMs: 200 },
    ];
    const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
    for (const p of pages) {
      const pairs = await interleave({ rounds, warmup: 2, floor: p.floor, subject: () => once(p.path) });
      const ratio = reportRatio({ bench: 'console', measure: p.measure, unit: 'ms', pairs, goal: 4, kind: 'max', goalBy: 'ours' });
      console.log(`    absolute: median ${ratio.subject.toFixed(1)} ms round trip (goal < ${p.goalMs} ms server time): ${ratio.subject < p.goalMs ? 'ok' : 'MISSED'}`);
    }

    const latencies = await liveLatency(sitrep.url, 2, (i) => store.append(incident(2).id, [{ type: 'note', actor, key: `live:${i}`, text: `note live ${i}: still degraded` }]));
    console.log(`live update, write → SSE event read: median ${median(latencies).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length} (goal < 500 ms)`);
  } finally {
    await sitrep.stop();
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
