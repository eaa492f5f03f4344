// Timeline append and read throughput against the Redis on REDIS_URL (default 127.0.0.1:6379),
// compared with redis-benchmark doing raw XADDs of the same size on the same server.
// Goals: sitrep's append rate ≥ 0.5× the raw rate; reading a 10k-event timeline < 50 ms.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { incidentIdFor, type Incident } from '../src/domain/incident.js';
import type { NewTimelineEvent } from '../src/domain/timeline.js';
import { RedisIncidentStore } from '../src/store/incident-store.js';
import { cleanPrefix } from '../test/helpers/redis.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const APPENDS = 100_000;
const CONCURRENCY = 64;
const READ_EVENTS = 10_000;

const actor = { platform: 'slack' as const, id: 'U_BENCH', name: 'bench' };
const incident = (n: number): Incident => ({
  id: incidentIdFor(n),
  number: n,
  title: 'bench',
  severity: 'SEV3',
  highestSeverity: 'SEV3',
  status: 'investigating',
  roles: {},
  declaredBy: actor,
  source: { kind: 'command' },
  affectedServices: [],
  alertFingerprints: [],
  pages: [],
  links: [],
  declaredAt: new Date().toISOString(),
  version: 0,
});
const note = (i: number): NewTimelineEvent => ({ type: 'note', actor, key: `bench:${i}`, text: `note ${i}: checked the dashboards, error rate still 4%` });

async function main() {
  const redis = new Redis(url, { enableAutoPipelining: true });
  const prefix = `sitrep-bench:${randomBytes(3).toString('hex')}:`;
  const store = new RedisIncidentStore(redis, prefix);
  try {
    await store.create(incident(1), []);
    // Warm the JIT and the connection first, as a running bot would be.
    await store.create(incident(3), []);
    for (let i = 0; i < 10_000; i += CONCURRENCY) {
      await Promise.all(Array.from({ length: CONCURRENCY }, (_, j) => store.append(incident(3).id, [note(i + j)])));
    }
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < APPENDS) await store.append(incident(1).id, [note(next++)]);
      }),
    );
    const appendSeconds = (performance.now() - started) / 1000;
    const sitrepRate = APPENDS / appendSeconds;

    const entry = await redis.xrange(store.keys.timeline(incident(1).id), '-', '+', 'COUNT', '1');
    const payload = entry[0]?.[1][1] ?? '';

    await store.create(incident(2), []);
    for (let i = 0; i < READ_EVENTS; i += 500) {
      await store.append(incident(2).id, Array.from({ length: 500 }, (_, j) => note(i + j)));
    }
    const reads: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const events = await store.timeline(incident(2).id);
      reads.push(performance.now() - t0);
      if (events.length !== READ_EVENTS) throw new Error(`read ${events.length} events, expected ${READ_EVENTS}`);
    }
    reads.sort((a, b) => a - b);

    const rawKey = `${prefix}raw-xadd`;
    const host = new URL(url);
    const out = execFileSync('redis-benchmark', ['-h', host.hostname, '-p', host.port || '6379', '-n', String(APPENDS), '-c', String(CONCURRENCY), '-q', 'XADD', rawKey, '*', 'e', payload], { encoding: 'utf8' });
    const rawRate = Number(/([\d.]+) requests per second/.exec(out.split('\r').pop() ?? out)?.[1] ?? NaN);

    console.log(`timeline append: ${APPENDS} events, concurrency ${CONCURRENCY}, ${payload.length}-byte events`);
    console.log(`  sitrep (idempotent Lua append): ${Math.round(sitrepRate)} events/s (${appendSeconds.toFixed(2)} s)`);
    console.log(`  redis-benchmark raw XADD:       ${Math.round(rawRate)} events/s`);
    console.log(`  ratio: ${(sitrepRate / rawRate).toFixed(2)}× (goal ≥ 0.5×)`);
    console.log(`timeline read: ${READ_EVENTS} events, median ${reads[3]!.toFixed(1)} ms, best ${reads[0]!.toFixed(1)} ms (goal < 50 ms)`);
  } finally {
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  }
}

await main();
