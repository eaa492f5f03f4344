// The web console's speed targets, against the Redis on REDIS_URL (default 127.0.0.1:6379) and a real
// sitrep on loopback (WEB_AUTH=none). Times are request round trips on loopback: an upper bound of server time.
// Goals: first page of 10,000 incidents < 100 ms; incident page with a 10,000-event timeline < 200 ms;
// a timeline entry reaches an open live stream < 500 ms after it is written.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { startSitrep } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { incidentIdFor, type Incident } from '../src/domain/incident.js';
import type { NewTimelineEvent } from '../src/domain/timeline.js';
import { silentLogger } from '../src/log.js';
import { cleanPrefix } from '../test/helpers/redis.js';

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

async function timeGet(base: string, path: string, runs = 15): Promise<{ median: number; max: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs + 3; i++) {
    const started = performance.now();
    const res = await fetch(base + path);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    if (i >= 3) times.push(performance.now() - started); // the first three warm up
    bytes = body.length;
  }
  return { median: median(times), max: Math.max(...times), bytes };
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
    const busy = incident(1).id;
    for (let i = 0; i < EVENTS; i += 200) await Promise.all(Array.from({ length: 200 }, (_, j) => store.append(busy, [note(i + j)])));
    console.log(`seeded a ${EVENTS}-event timeline in ${((performance.now() - made) / 1000).toFixed(1)} s`);

    const report = (label: string, r: { median: number; max: number; bytes: number }, goal: number) =>
      console.log(`${label}: median ${r.median.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, ${(r.bytes / 1024).toFixed(0)} KiB (goal < ${goal} ms)`);
    report('incident list, first page of 10,000 (HTML)', await timeGet(sitrep.url, '/incidents'), 100);
    report('incident list, first page (JSON API)', await timeGet(sitrep.url, '/api/incidents'), 100);
    report('incident list, filtered: open SEV1 of team-3, title search', await timeGet(sitrep.url, '/incidents?status=open&severity=SEV1&team=team-3&search=checkout'), 100);
    report('incident list, page 150', await timeGet(sitrep.url, '/incidents?page=150'), 100);
    report('incident page with a 10,000-event timeline', await timeGet(sitrep.url, '/incidents/1', 10), 200);

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
