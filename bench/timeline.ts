// Timeline append and read against the Redis on REDIS_URL (default 127.0.0.1:6379), each beside its
// floor measured in the same run, interleaved (bench/floor.ts):
// - append: 100k single-event appends at concurrency 64 through the idempotent store, against
//   `redis-benchmark -P 1` doing raw XADDs of the same payload size at the same concurrency. Goal ≥ 0.6×.
//   (The store sends appends made together to one incident as one script call: see commitAppend.)
// - read: a 10k-event timeline through the store (XRANGE + parse + schema check), against a raw XRANGE
//   of the same stream + JSON.parse of each entry. Goal ≤ 1.5×.
// Run: `npx tsx bench/timeline.ts` (BENCH_ROUNDS overrides the number of measured rounds).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { incidentIdFor, type Incident } from '../src/domain/incident.js';
import type { NewTimelineEvent } from '../src/domain/timeline.js';
import { RedisIncidentStore } from '../src/store/incident-store.js';
import { cleanPrefix } from '../test/helpers/redis.js';
import { interleave, reportRatio } from './floor.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const APPENDS = 100_000;
const CONCURRENCY = 64;
const READ_EVENTS = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const run = promisify(execFile);

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
const note = (round: number, i: number): NewTimelineEvent => ({
  type: 'note',
  actor,
  key: `bench:${round}:${i}`,
  text: `note ${i}: checked the dashboards, error rate still 4%`,
});

async function main() {
  const redis = new Redis(url, { enableAutoPipelining: true });
  const prefix = `sitrep-bench:${randomBytes(3).toString('hex')}:`;
  const store = new RedisIncidentStore(redis, prefix);
  const host = new URL(url);
  try {
    // The payload redis-benchmark writes is exactly as long as one stored event.
    await store.create(incident(1), []);
    await store.append(incident(1).id, [note(0, 0)]);
    const sample = await redis.xrange(store.keys.timeline(incident(1).id), '-', '+', 'COUNT', '1');
    const payload = sample[0]?.[1][1] ?? '';
    await redis.del(store.keys.timeline(incident(1).id));

    let round = 0;
    const appendFloor = async (): Promise<number> => {
      const key = `${prefix}raw-xadd:${round}`;
      const { stdout } = await run('redis-benchmark', ['-h', host.hostname, '-p', host.port || '6379', '-n', String(APPENDS), '-c', String(CONCURRENCY), '-P', '1', '-q', 'XADD', key, '*', 'e', payload]);
      await redis.del(key);
      const rate = Number(/([\d.]+) requests per second/.exec(stdout.split('\r').pop() ?? stdout)?.[1]);
      if (!Number.isFinite(rate)) throw new Error(`could not read redis-benchmark's throughput from: ${stdout}`);
      return rate;
    };
    const appendSitrep = async (): Promise<number> => {
      const n = 10 + round++;
      await store.create(incident(n), []);
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < APPENDS) await store.append(incident(n).id, [note(n, next++)]);
        }),
      );
      const rate = APPENDS / ((performance.now() - started) / 1000);
      const stored = await redis.xlen(store.keys.timeline(incident(n).id));
      if (stored !== APPENDS) throw new Error(`stored ${stored} events, expected ${APPENDS}`);
      await redis.del(store.keys.incident(incident(n).id), store.keys.timeline(incident(n).id), store.keys.idempotency(incident(n).id));
      return rate;
    };
    console.log(`timeline append: ${APPENDS} events, concurrency ${CONCURRENCY}, ${payload.length}-byte events`);
    reportRatio({
      bench: 'timeline',
      measure: 'append events/s',
      unit: 'ev/s',
      pairs: await interleave({ rounds: ROUNDS, warmup: 1, floor: appendFloor, subject: appendSitrep }),
      goal: 0.6,
      kind: 'min',
    });

    await store.create(incident(2), []);
    for (let i = 0; i < READ_EVENTS; i += 500) {
      await store.append(incident(2).id, Array.from({ length: 500 }, (_, j) => note(2, i + j)));
    }
    const key = store.keys.timeline(incident(2).id);
    const readFloor = async (): Promise<number> => {
      const t0 = performance.now();
      const entries = await redis.xrange(key, '-', '+');
      const events = entries.map(([, fields]) => JSON.parse(fields[1]!) as unknown);
      const ms = performance.now() - t0;
      if (events.length !== READ_EVENTS) throw new Error(`read ${events.length} raw entries, expected ${READ_EVENTS}`);
      return ms;
    };
    const readSitrep = async (): Promise<number> => {
      const t0 = performance.now();
      const events = await store.timeline(incident(2).id);
      const ms = performance.now() - t0;
      if (events.length !== READ_EVENTS) throw new Error(`read ${events.length} events, expected ${READ_EVENTS}`);
      return ms;
    };
    console.log(`timeline read: ${READ_EVENTS} events`);
    reportRatio({
      bench: 'timeline',
      measure: 'read 10k ms',
      unit: 'ms',
      pairs: await interleave({ rounds: 9, warmup: 3, floor: readFloor, subject: readSitrep }),
      goal: 1.5,
      kind: 'max',
    });
  } finally {
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  }
}

await main();
